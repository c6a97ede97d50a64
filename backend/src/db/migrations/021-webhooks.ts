// Webhooks : la table des abonnements (`webhook`) est une entité du moteur, créée par la synchronisation du schéma.
// Ici, le journal des envois :
// - `webhook_event` : un événement tel qu'il part chez les destinataires (id stable d'une tentative à l'autre et d'un
//   rejeu à l'autre, sujet, date, données) ; `data` nul : instantané de l'enregistrement à charger au premier envoi ;
// - `webhook_delivery` : un envoi d'un événement à un abonnement (état, tentatives, réponse, durée, erreur).
// Les lignes sont écrites par le répartiteur de l'outbox (propriétaire, tenant posé) et lues par l'API (rôle applicatif).
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const webhooks: Migration = {
  version: 21,
  name: 'webhooks',
  statements: [
    `CREATE TABLE webhook_event (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       topic text NOT NULL,
       occurred_at timestamptz NOT NULL,
       entity text,
       record_id text,
       data jsonb,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX webhook_event_age ON webhook_event (created_at)`,
    ...tenantPolicySql('webhook_event'),
    `GRANT SELECT, INSERT, UPDATE ON webhook_event TO ${APP_ROLE}`,
    `CREATE TABLE webhook_delivery (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       webhook_id uuid NOT NULL,
       event_id uuid NOT NULL,
       status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed', 'skipped')),
       manual boolean NOT NULL DEFAULT false,
       replay_of uuid,
       attempts integer NOT NULL DEFAULT 0,
       response_status integer,
       duration_ms integer,
       response_body text,
       error text,
       created_at timestamptz NOT NULL DEFAULT now(),
       last_attempt_at timestamptz,
       finished_at timestamptz
     )`,
    // journal d'un abonnement, du plus récent au plus ancien (id UUIDv7 : ordre de création)
    `CREATE INDEX webhook_delivery_log ON webhook_delivery (webhook_id, id DESC)`,
    `CREATE INDEX webhook_delivery_event ON webhook_delivery (event_id)`,
    ...tenantPolicySql('webhook_delivery'),
    `GRANT SELECT, INSERT, UPDATE ON webhook_delivery TO ${APP_ROLE}`,
  ],
};
