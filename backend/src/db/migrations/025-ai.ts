// IA : consommation et journal des appels (jetons, coût, durée ; prompt et réponse seulement si le tenant le permet),
// messages des conversations de l'assistant (l'entité ai_conversation en porte le titre et le propriétaire ; les
// messages, ajoutés sans fin, restent hors de l'audit), écritures proposées par l'assistant, exécutées seulement après
// la confirmation de l'utilisateur, résultats des actions `ai` des règles (appliqués avec leur provenance, ou en
// attente d'approbation).
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const ai: Migration = {
  version: 25,
  name: 'ai',
  statements: [
    `CREATE TABLE ai_usage (
       id bigserial PRIMARY KEY,
       tenant_id uuid NOT NULL,
       user_id uuid,
       feature text NOT NULL,
       provider text,
       model text,
       status text NOT NULL CHECK (status IN ('ok', 'failed', 'refused')),
       input_tokens integer NOT NULL DEFAULT 0,
       output_tokens integer NOT NULL DEFAULT 0,
       cost numeric(14, 6) NOT NULL DEFAULT 0,
       duration_ms integer NOT NULL DEFAULT 0,
       request_id text,
       error text,
       prompt jsonb,
       response text,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    // budgets du mois (tenant, utilisateur, fonction) et journal par date
    `CREATE INDEX ai_usage_recent ON ai_usage (tenant_id, at DESC)`,
    ...tenantPolicySql('ai_usage'),
    `GRANT SELECT, INSERT ON ai_usage TO ${APP_ROLE}`,
    `GRANT USAGE ON SEQUENCE ai_usage_id_seq TO ${APP_ROLE}`,

    `CREATE TABLE ai_message (
       id bigserial PRIMARY KEY,
       tenant_id uuid NOT NULL,
       conversation_id uuid NOT NULL,
       message jsonb NOT NULL,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX ai_message_conversation ON ai_message (tenant_id, conversation_id, id)`,
    ...tenantPolicySql('ai_message'),
    `GRANT SELECT, INSERT ON ai_message TO ${APP_ROLE}`,
    `GRANT USAGE ON SEQUENCE ai_message_id_seq TO ${APP_ROLE}`,

    `CREATE TABLE ai_proposal (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       user_id uuid NOT NULL,
       conversation_id uuid,
       action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
       entity text NOT NULL,
       record_id uuid,
       data jsonb,
       summary text,
       status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'cancelled', 'failed')),
       result jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       decided_at timestamptz
     )`,
    `CREATE INDEX ai_proposal_user ON ai_proposal (tenant_id, user_id, created_at DESC)`,
    ...tenantPolicySql('ai_proposal'),
    `GRANT SELECT, INSERT, UPDATE ON ai_proposal TO ${APP_ROLE}`,
  
    `CREATE TABLE ai_suggestion (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       rule_id uuid,
       rule_name text,
       task text NOT NULL,
       entity text NOT NULL,
       record_id uuid NOT NULL,
       "values" jsonb NOT NULL,
       confidence real,
       provider text,
       model text,
       status text NOT NULL CHECK (status IN ('pending', 'applied', 'rejected', 'failed')),
       error text,
       created_at timestamptz NOT NULL DEFAULT now(),
       decided_at timestamptz,
       decided_by uuid
     )`,
    `CREATE INDEX ai_suggestion_queue ON ai_suggestion (tenant_id, status, created_at DESC)`,
    `CREATE INDEX ai_suggestion_record ON ai_suggestion (tenant_id, entity, record_id)`,
    ...tenantPolicySql('ai_suggestion'),
    `GRANT SELECT, INSERT, UPDATE ON ai_suggestion TO ${APP_ROLE}`,
  ],
};
