// Clés d'API par intégration : identité de service du tenant (rôle, portées, expiration, adresses autorisées, limite
// de débit), secret haché ; statistiques d'usage agrégées par jour et classe de statut (une ligne par compteur, pas
// par requête) ; compteurs de limitation de débit partagés par tous les nœuds (une ligne par clé de limitation).
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const apiKeys: Migration = {
  version: 18,
  name: 'api-keys',
  statements: [
    `CREATE TABLE api_key (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       name text NOT NULL,
       description text,
       secret_hash text NOT NULL,
       role_id uuid NOT NULL,
       scopes text[],
       allowed_ips text[],
       rate_limit integer CHECK (rate_limit IS NULL OR rate_limit > 0),
       expires_at timestamptz,
       created_by uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       rotated_at timestamptz,
       revoked_at timestamptz,
       revoked_by uuid,
       last_used_at timestamptz,
       last_used_ip text
     )`,
    `CREATE INDEX api_key_tenant ON api_key (tenant_id, created_at DESC)`,
    ...tenantPolicySql('api_key'),
    `GRANT SELECT, INSERT, UPDATE ON api_key TO ${APP_ROLE}`,
    // compteurs du jour par classe de statut (2 = 2xx…) : un UPSERT par lot de requêtes
    `CREATE TABLE api_key_usage (
       tenant_id uuid NOT NULL,
       key_id uuid NOT NULL,
       day date NOT NULL,
       status_class smallint NOT NULL,
       requests bigint NOT NULL DEFAULT 0,
       PRIMARY KEY (tenant_id, key_id, day, status_class)
     )`,
    ...tenantPolicySql('api_key_usage'),
    `GRANT SELECT, INSERT, UPDATE ON api_key_usage TO ${APP_ROLE}`,
    // fenêtres de @fastify/rate-limit partagées entre nœuds : clé de limitation → coups et fin de fenêtre ; écrite
    // hors transaction de tenant par la plateforme (la clé ne dit rien d'un tenant), donc sans RLS ni droit applicatif
    `CREATE TABLE rate_limit_window (
       key text PRIMARY KEY,
       hits integer NOT NULL,
       resets_at timestamptz NOT NULL
     )`,
  ],
};
