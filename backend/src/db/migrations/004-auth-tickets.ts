// Jetons à usage unique envoyés par courriel : réinitialisation du mot de passe, vérification de l'adresse.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const authTickets: Migration = {
  version: 4,
  name: 'auth-tickets',
  statements: [
    `CREATE TABLE auth_ticket (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       user_id uuid NOT NULL,
       purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
       token_hash text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       used_at timestamptz
     )`,
    `CREATE INDEX auth_ticket_user ON auth_ticket (tenant_id, user_id, purpose)`,
    ...tenantPolicySql('auth_ticket'),
    `GRANT SELECT, INSERT, UPDATE ON auth_ticket TO ${APP_ROLE}`,
  ],
};
