// File d'envoi des courriels : une ligne par message (destinataire, contenu rendu, état, tentatives, dernière erreur,
// identifiant du fournisseur). Le travail `email.send` de la table `job` porte l'id du message ; la ligne est l'historique
// visible des administrateurs du tenant. Les modèles (`email_template`) sont une entité du moteur : leur table vient
// de la synchronisation du schéma, pas d'ici.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const emailQueue: Migration = {
  version: 20,
  name: 'email-queue',
  statements: [
    `CREATE TABLE email_message (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'bounced')),
       recipient text NOT NULL,
       subject text NOT NULL,
       html text,
       text text,
       template text,
       locale text,
       attachments jsonb NOT NULL DEFAULT '[]',
       sensitive boolean NOT NULL DEFAULT false,
       attempts integer NOT NULL DEFAULT 0,
       last_error text,
       provider_message_id text,
       job_id uuid,
       resend_of uuid,
       created_by uuid,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       sent_at timestamptz,
       failed_at timestamptz,
       bounced_at timestamptz
     )`,
    `CREATE INDEX email_message_recent ON email_message (tenant_id, id DESC)`,
    `CREATE INDEX email_message_status ON email_message (tenant_id, status, id DESC)`,
    `CREATE INDEX email_message_provider ON email_message (tenant_id, provider_message_id) WHERE provider_message_id IS NOT NULL`,
    ...tenantPolicySql('email_message'),
    `GRANT SELECT, INSERT, UPDATE ON email_message TO ${APP_ROLE}`,
  ],
};
