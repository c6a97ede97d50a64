// Liens courts : registre des codes pour toute la plateforme (l'adresse publique /s/<code> ne dit pas le tenant ; un
// code n'est jamais réattribué, même après suppression du lien) et clics datés pour les statistiques.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const shortLinks: Migration = {
  version: 15,
  name: 'short-links',
  statements: [
    `CREATE TABLE short_code (
       code text PRIMARY KEY,
       tenant_id uuid NOT NULL,
       link_id uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    // unicité sans égard à la casse (« Promo » et « promo » se confondraient à l'oral), garantie par la base
    `CREATE UNIQUE INDEX short_code_folded ON short_code (lower(code))`,
    `GRANT SELECT, INSERT ON short_code TO ${APP_ROLE}`,
    `CREATE TABLE short_link_click (
       tenant_id uuid NOT NULL,
       link_id uuid NOT NULL,
       at timestamptz NOT NULL DEFAULT now(),
       referrer text
     )`,
    `CREATE INDEX short_link_click_link ON short_link_click (tenant_id, link_id, at)`,
    ...tenantPolicySql('short_link_click'),
    `GRANT SELECT, INSERT ON short_link_click TO ${APP_ROLE}`,
  ],
};
