// Valeurs des réglages (ConfigManager). Niveau tenant, société ou utilisateur : `setting_value`, sous RLS, la cible
// étant le tenant lui-même, la société ou l'utilisateur. Niveau plateforme : `platform_setting`, hors de portée du
// rôle applicatif (lue et écrite par la plateforme seule). Les secrets sont scellés (AES-256-GCM), jamais en clair.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const settings: Migration = {
  version: 8,
  name: 'settings',
  statements: [
    `CREATE TABLE setting_value (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       level text NOT NULL CHECK (level IN ('tenant', 'company', 'user')),
       target_id uuid NOT NULL,
       key text NOT NULL,
       value jsonb,
       sealed text,
       updated_at timestamptz NOT NULL DEFAULT now(),
       updated_by uuid,
       CHECK ((value IS NULL) <> (sealed IS NULL)),
       UNIQUE (tenant_id, level, target_id, key)
     )`,
    ...tenantPolicySql('setting_value'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON setting_value TO ${APP_ROLE}`,
    `CREATE TABLE platform_setting (
       key text PRIMARY KEY,
       value jsonb,
       sealed text,
       updated_at timestamptz NOT NULL DEFAULT now(),
       updated_by uuid,
       CHECK ((value IS NULL) <> (sealed IS NULL))
     )`,
    `REVOKE ALL ON platform_setting FROM PUBLIC`,
  ],
};
