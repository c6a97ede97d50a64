// Rôle de plateforme (ADR 0023) : le travail de fond commun aux tenants (réservation des files de l'outbox et des
// travaux, chaînage de l'audit, registres de la plateforme) ne tourne plus sous le propriétaire — superutilisateur
// sur PGlite, donc hors RLS — mais sous un rôle sans aucun droit sur les tables des entités. Les tables de files et
// de journaux que le rôle applicatif utilise (`job`, `job_schedule`, `error_group`, `short_code`) passent sous RLS.
import { APP_ROLE, PLATFORM_ROLE, platformPolicySql, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

const grant = (privileges: string, table: string) => `GRANT ${privileges} ON "${table}" TO ${PLATFORM_ROLE}`;

export const platformRole: Migration = {
  version: 22,
  name: 'platform-role',
  statements: [
    // le rôle est global au cluster : plusieurs bases OpsFlux peuvent le créer en même temps
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PLATFORM_ROLE}') THEN
         CREATE ROLE ${PLATFORM_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
       END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,
    // un propriétaire non superutilisateur doit en être membre pour SET ROLE (sinon l'exploitant l'accorde)
    `DO $$ BEGIN
       IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
         EXECUTE format('GRANT ${PLATFORM_ROLE} TO %I', current_user);
       END IF;
     EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN NULL;
     END $$`,
    `GRANT USAGE ON SCHEMA public TO ${PLATFORM_ROLE}`,

    // registre des tenants
    grant('SELECT, INSERT, UPDATE', 'tenant'),
    ...platformPolicySql('tenant'),

    // outbox : le répartiteur réserve, compte les échecs et supprime ; les abonnés tournent sous le rôle applicatif
    grant('SELECT, UPDATE, DELETE', 'outbox'),
    ...platformPolicySql('outbox'),

    // audit : le chaîneur pose rang, maillon et empreinte ; rien d'autre
    grant('SELECT', 'audit_log'),
    `GRANT UPDATE (seq, prev_hash, hash) ON audit_log TO ${PLATFORM_ROLE}`,
    grant('SELECT, INSERT, UPDATE', 'audit_head'),
    ...platformPolicySql('audit_log'),
    ...platformPolicySql('audit_head'),
    `GRANT EXECUTE ON FUNCTION audit_chain(integer) TO ${PLATFORM_ROLE}`,
    `GRANT EXECUTE ON FUNCTION audit_move_head(uuid, bigint, text) TO ${PLATFORM_ROLE}`,

    // travaux et planifications : les nœuds réservent pour tous les tenants ; le rôle applicatif ne voit que les siens
    ...tenantPolicySql('job'),
    ...platformPolicySql('job'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'job'),
    ...tenantPolicySql('job_schedule'),
    ...platformPolicySql('job_schedule'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'job_schedule'),

    // journal des erreurs : portée = tenant (ou l'uuid zéro pour la plateforme, hors de portée du rôle applicatif)
    ...tenantPolicySql('error_group', 'scope'),
    ...platformPolicySql('error_group'),
    grant('SELECT, INSERT, UPDATE', 'error_group'),

    // codes des liens courts : registre de la plateforme ; un tenant n'y lit et n'y écrit que les siens
    ...tenantPolicySql('short_code'),
    ...platformPolicySql('short_code'),
    grant('SELECT', 'short_code'),

    // registres et réglages de la plateforme, fenêtres de limitation de débit, secrets
    grant('SELECT, INSERT, UPDATE, DELETE', 'platform_setting'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'module_release'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'module_package'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'rate_limit_window'),
    // clés gardées en base (développement) : `opsflux secrets retire` supprime les anciennes
    grant('SELECT, INSERT, UPDATE, DELETE', 'system_secret'),
    // le rôle applicatif lisait module_release ; il n'y écrit toujours pas
    `GRANT SELECT ON module_release TO ${APP_ROLE}`,
  ],
};
