// Assertions SAML déjà consommées (anti-rejeu partagé par tous les nœuds), gardées jusqu'à leur expiration.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const samlReplay: Migration = {
  version: 5,
  name: 'saml-replay',
  statements: [
    `CREATE TABLE saml_assertion (
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       id text NOT NULL,
       expires_at timestamptz NOT NULL,
       PRIMARY KEY (tenant_id, id)
     )`,
    ...tenantPolicySql('saml_assertion'),
    `GRANT SELECT, INSERT, DELETE ON saml_assertion TO ${APP_ROLE}`,
  ],
};
