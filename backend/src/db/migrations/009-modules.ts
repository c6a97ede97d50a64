// Modules. Plateforme : `module_release` (version dont le code est chargé et le schéma en place, une par module, pour
// tous les nœuds) et `module_package` (archives téléversées, gardées en base pour que chaque nœud les retrouve).
// Tenant : `module_install` (état du module dans le tenant) et `module_licence` (licence signée), sous RLS.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const modules: Migration = {
  version: 9,
  name: 'modules',
  statements: [
    `CREATE TABLE module_release (
       name text PRIMARY KEY,
       version text NOT NULL,
       source text NOT NULL CHECK (source IN ('builtin', 'upload')),
       manifest jsonb NOT NULL,
       tenants integer NOT NULL DEFAULT 0 CHECK (tenants >= 0),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `GRANT SELECT ON module_release TO ${APP_ROLE}`,
    `CREATE TABLE module_package (
       name text NOT NULL,
       version text NOT NULL,
       manifest jsonb NOT NULL,
       archive bytea NOT NULL,
       sha256 text NOT NULL,
       uploaded_at timestamptz NOT NULL DEFAULT now(),
       uploaded_by uuid,
       PRIMARY KEY (name, version)
     )`,
    `REVOKE ALL ON module_package FROM PUBLIC`,
    `CREATE TABLE module_install (
       tenant_id uuid NOT NULL,
       name text NOT NULL,
       state text NOT NULL CHECK (state IN ('installed', 'active', 'inactive')),
       installed_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, name)
     )`,
    ...tenantPolicySql('module_install'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON module_install TO ${APP_ROLE}`,
    `CREATE TABLE module_licence (
       tenant_id uuid NOT NULL,
       name text NOT NULL,
       licence jsonb NOT NULL,
       expires_at timestamptz NOT NULL,
       uploaded_at timestamptz NOT NULL DEFAULT now(),
       uploaded_by uuid,
       PRIMARY KEY (tenant_id, name)
     )`,
    ...tenantPolicySql('module_licence'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON module_licence TO ${APP_ROLE}`,
  ],
};
