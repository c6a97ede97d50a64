// Jetons d'accès personnels : secret haché, portées, expiration, révocation ; propres à un utilisateur d'un tenant.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const personalTokens: Migration = {
  version: 3,
  name: 'personal-tokens',
  statements: [
    `CREATE TABLE personal_token (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       user_id uuid NOT NULL,
       name text NOT NULL,
       token_hash text NOT NULL,
       scopes text[],
       expires_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       last_used_at timestamptz,
       revoked_at timestamptz
     )`,
    `CREATE INDEX personal_token_user ON personal_token (tenant_id, user_id)`,
    ...tenantPolicySql('personal_token'),
    `GRANT SELECT, INSERT, UPDATE ON personal_token TO ${APP_ROLE}`,
  ],
};
