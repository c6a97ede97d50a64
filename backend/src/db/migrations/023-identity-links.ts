// Identités externes liées aux comptes et désignation des super-administrateurs.
// `user_identity` : une identité (fournisseur, sujet) mène à un seul compte ; la connexion par un fournisseur ne
// cherche plus le compte par son adresse. `platform_admin` : la désignation des super-administrateurs quitte
// `app_user` (donnée que l'administrateur d'un tenant écrit) pour une table que le rôle applicatif lit, pour son
// tenant seulement, sans pouvoir y écrire ; seuls l'amorçage, la CLI et le rôle de plateforme l'écrivent.
import { APP_ROLE, PLATFORM_ROLE, platformPolicySql, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

/** Colonne présente ? (`app_user` et `auth_provider` sont créées par la synchronisation du schéma, après les migrations) */
const columnExists = (table: string, column: string) =>
  `EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' AND column_name = '${column}')`;

export const identityLinks: Migration = {
  version: 23,
  name: 'identity-links',
  statements: [
    `CREATE TABLE user_identity (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       user_id uuid NOT NULL,
       provider_id uuid NOT NULL,
       subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
       email text,
       method text NOT NULL CHECK (method IN ('provisioned', 'verified_email', 'administrator', 'self')),
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by uuid,
       last_login_at timestamptz,
       UNIQUE (tenant_id, provider_id, subject),
       UNIQUE (tenant_id, provider_id, user_id)
     )`,
    `CREATE INDEX user_identity_user ON user_identity (tenant_id, user_id)`,
    ...tenantPolicySql('user_identity'),
    `GRANT SELECT, INSERT, DELETE ON user_identity TO ${APP_ROLE}`,
    `GRANT UPDATE (last_login_at) ON user_identity TO ${APP_ROLE}`,

    `CREATE TABLE platform_admin (
       tenant_id uuid NOT NULL,
       user_id uuid NOT NULL,
       granted_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, user_id)
     )`,
    // RLS sans FORCE : le propriétaire (migrations) y passe ; le rôle applicatif lit les lignes de son tenant, rien d'autre
    `ALTER TABLE platform_admin ENABLE ROW LEVEL SECURITY`,
    `REVOKE ALL ON platform_admin FROM PUBLIC`,
    `CREATE POLICY own_tenant_read ON platform_admin FOR SELECT TO ${APP_ROLE} USING (tenant_id = (SELECT app_tenant()))`,
    `GRANT SELECT ON platform_admin TO ${APP_ROLE}`,
    ...platformPolicySql('platform_admin'),
    `GRANT SELECT, INSERT, DELETE ON platform_admin TO ${PLATFORM_ROLE}`,

    // base existante : les super-administrateurs et les comptes déjà provisionnés par un fournisseur sont repris
    // (RLS forcée levée le temps de la copie : un propriétaire non superutilisateur y serait soumis)
    `DO $$ BEGIN
       IF ${columnExists('app_user', 'super_admin')} THEN
         ALTER TABLE app_user NO FORCE ROW LEVEL SECURITY;
         INSERT INTO platform_admin (tenant_id, user_id) SELECT tenant_id, id FROM app_user WHERE super_admin ON CONFLICT DO NOTHING;
         ALTER TABLE app_user DROP COLUMN super_admin;
         ALTER TABLE app_user FORCE ROW LEVEL SECURITY;
       END IF;
     END $$`,
    `DO $$ BEGIN
       IF ${columnExists('app_user', 'external_id')} AND ${columnExists('auth_provider', 'name')} THEN
         ALTER TABLE app_user NO FORCE ROW LEVEL SECURITY;
         ALTER TABLE auth_provider NO FORCE ROW LEVEL SECURITY;
         INSERT INTO user_identity (id, tenant_id, user_id, provider_id, subject, email, method)
         SELECT gen_random_uuid(), u.tenant_id, u.id, p.id, u.external_id, u.email, 'provisioned'
         FROM app_user u JOIN auth_provider p ON p.tenant_id = u.tenant_id AND p.name = u.auth_provider AND p.deleted_at IS NULL
         WHERE u.external_id IS NOT NULL AND u.deleted_at IS NULL
         ON CONFLICT DO NOTHING;
         ALTER TABLE app_user FORCE ROW LEVEL SECURITY;
         ALTER TABLE auth_provider FORCE ROW LEVEL SECURITY;
       END IF;
     END $$`,
  ],
};
