// Travaux d'import : une ligne par fichier importé (état, options, progression, compteurs) et le rapport d'erreurs
// ligne par ligne, téléchargeable. La demande d'annulation est un drapeau lu par le travail entre deux lots.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const imports: Migration = {
  version: 14,
  name: 'imports',
  statements: [
    `CREATE TABLE import_job (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       entity text NOT NULL,
       format text NOT NULL,
       file_name text NOT NULL,
       file_bytes bigint NOT NULL DEFAULT 0,
       options jsonb NOT NULL DEFAULT '{}',
       status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
       read_bytes bigint NOT NULL DEFAULT 0,
       rows_read integer NOT NULL DEFAULT 0,
       created integer NOT NULL DEFAULT 0,
       updated integer NOT NULL DEFAULT 0,
       skipped integer NOT NULL DEFAULT 0,
       errors integer NOT NULL DEFAULT 0,
       columns jsonb,
       message text,
       cancel_requested boolean NOT NULL DEFAULT false,
       created_by uuid,
       created_at timestamptz NOT NULL DEFAULT now(),
       started_at timestamptz,
       finished_at timestamptz,
       heartbeat_at timestamptz
     )`,
    `CREATE INDEX import_job_recent ON import_job (tenant_id, created_at DESC)`,
    ...tenantPolicySql('import_job'),
    `GRANT SELECT, INSERT, UPDATE ON import_job TO ${APP_ROLE}`,
    `CREATE TABLE import_issue (
       tenant_id uuid NOT NULL,
       job_id uuid NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
       line integer NOT NULL,
       field text NOT NULL,
       code text NOT NULL,
       message text NOT NULL,
       value text
     )`,
    `CREATE INDEX import_issue_job ON import_issue (job_id, line)`,
    ...tenantPolicySql('import_issue'),
    `GRANT SELECT, INSERT, DELETE ON import_issue TO ${APP_ROLE}`,
  ],
};
