// Schéma système du cœur : tenants, secrets, audit chaîné, outbox, idempotence, jetons, métadonnées personnalisées.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

const grant = (privileges: string, table: string) => `GRANT ${privileges} ON "${table}" TO ${APP_ROLE}`;

/** Nombre de chaînes d'audit parallèles par tenant. */
export const AUDIT_LANES = 8;

export const coreSchema: Migration = {
  version: 1,
  name: 'core-schema',
  statements: [
    `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
    // le rôle est global au cluster : plusieurs bases OpsFlux peuvent le créer en même temps
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
         CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
       END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,
    // un propriétaire non superutilisateur doit être membre du rôle pour pouvoir SET ROLE
    `DO $$ BEGIN
       IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
         EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
       END IF;
     EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN NULL;
     END $$`,
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
    `CREATE OR REPLACE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
       $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$`,
    `CREATE OR REPLACE FUNCTION app_user() RETURNS uuid LANGUAGE sql STABLE AS
       $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$`,

    `CREATE TABLE tenant (
       id uuid PRIMARY KEY,
       slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
       name text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       disabled_at timestamptz
     )`,
    // le rôle applicatif ne voit que son propre tenant
    `ALTER TABLE tenant ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_self ON tenant FOR SELECT TO ${APP_ROLE} USING (id = (SELECT app_tenant()))`,
    grant('SELECT', 'tenant'),

    `CREATE TABLE system_secret (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    `REVOKE ALL ON system_secret FROM PUBLIC`,

    // Journal d'audit : chaînes de hachage par tenant, en AUDIT_LANES voies parallèles pour que les écritures
    // concurrentes ne se sérialisent pas ; `id` (séquence globale) donne l'ordre chronologique de l'historique.
    `CREATE TABLE audit_log (
       id bigint NOT NULL,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       lane smallint NOT NULL,
       seq bigint NOT NULL,
       at timestamptz NOT NULL,
       actor uuid,
       action text NOT NULL,
       entity text NOT NULL,
       record_id uuid,
       changes jsonb NOT NULL DEFAULT '{}'::jsonb,
       request_id text,
       ip text,
       prev_hash text NOT NULL,
       hash text NOT NULL,
       PRIMARY KEY (tenant_id, lane, seq)
     )`,
    `CREATE SEQUENCE audit_log_id_seq`,
    `CREATE INDEX audit_log_record ON audit_log (tenant_id, entity, record_id, id DESC)`,
    `CREATE TABLE audit_head (
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       lane smallint NOT NULL,
       seq bigint NOT NULL,
       hash text NOT NULL,
       PRIMARY KEY (tenant_id, lane)
     )`,
    `CREATE OR REPLACE FUNCTION audit_hash(
       p_tenant uuid, p_lane smallint, p_seq bigint, p_prev text, p_at timestamptz, p_actor uuid, p_action text,
       p_entity text, p_record uuid, p_changes jsonb, p_request text, p_ip text
     ) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT encode(sha256(convert_to(concat_ws(chr(31),
         p_tenant::text, p_lane::text, p_seq::text, p_prev,
         to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         coalesce(p_actor::text, ''), p_action, p_entity, coalesce(p_record::text, ''),
         p_changes::text, coalesce(p_request, ''), coalesce(p_ip, '')), 'UTF8')), 'hex')
     $$`,
    // Ajoute des entrées à une voie du tenant courant (celle de la connexion), dans l'ordre, sous verrou de sa tête.
    // SECURITY DEFINER : le rôle applicatif ne peut écrire le journal qu'à travers elle, jamais forger une empreinte
    // ni déplacer une tête de chaîne (le tenant reste celui de la transaction : app_tenant()).
    `CREATE OR REPLACE FUNCTION audit_append(p_entries jsonb) RETURNS void LANGUAGE plpgsql
     SECURITY DEFINER SET search_path = public AS $$
     DECLARE
       t uuid := app_tenant();
       l smallint := (pg_backend_pid() % ${AUDIT_LANES})::smallint;
       s bigint;
       prev text;
       ts timestamptz := clock_timestamp();
       e jsonb;
       h text;
     BEGIN
       IF t IS NULL THEN RAISE EXCEPTION 'audit_append outside a tenant transaction'; END IF;
       SELECT seq, hash INTO s, prev FROM audit_head WHERE tenant_id = t AND lane = l FOR UPDATE;
       IF NOT FOUND THEN
         -- première écriture de cette voie : la tête est créée une fois (insertion concurrente tolérée)
         INSERT INTO audit_head (tenant_id, lane, seq, hash) VALUES (t, l, 0, repeat('0', 64)) ON CONFLICT (tenant_id, lane) DO NOTHING;
         SELECT seq, hash INTO s, prev FROM audit_head WHERE tenant_id = t AND lane = l FOR UPDATE;
       END IF;
       FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
         s := s + 1;
         h := audit_hash(t, l, s, prev, ts, (e->>'actor')::uuid, e->>'action', e->>'entity', (e->>'recordId')::uuid,
                         coalesce(e->'changes', '{}'::jsonb), e->>'requestId', e->>'ip');
         INSERT INTO audit_log (id, tenant_id, lane, seq, at, actor, action, entity, record_id, changes, request_id, ip, prev_hash, hash)
         VALUES (nextval('audit_log_id_seq'), t, l, s, ts, (e->>'actor')::uuid, e->>'action', e->>'entity', (e->>'recordId')::uuid,
                 coalesce(e->'changes', '{}'::jsonb), e->>'requestId', e->>'ip', prev, h);
         prev := h;
       END LOOP;
       UPDATE audit_head SET seq = s, hash = prev WHERE tenant_id = t AND lane = l;
     END $$`,
    ...tenantPolicySql('audit_log'),
    ...tenantPolicySql('audit_head'),
    grant('SELECT', 'audit_log'),
    grant('SELECT', 'audit_head'),
    `REVOKE ALL ON FUNCTION audit_append(jsonb) FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION audit_append(jsonb) TO ${APP_ROLE}`,

    // Outbox transactionnelle : écrite dans la transaction métier, distribuée après commit par le processus.
    `CREATE TABLE outbox (
       id bigserial PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       topic text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       dispatched_at timestamptz,
       attempts integer NOT NULL DEFAULT 0,
       last_error text
     )`,
    `CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL`,
    // table système : le rôle applicatif peut seulement y écrire pour son tenant ; le répartiteur lit en propriétaire
    `ALTER TABLE outbox ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_insert ON outbox FOR INSERT TO ${APP_ROLE} WITH CHECK (tenant_id = (SELECT app_tenant()))`,
    grant('INSERT', 'outbox'),
    `GRANT USAGE ON SEQUENCE outbox_id_seq TO ${APP_ROLE}`,

    `CREATE TABLE idempotency_key (
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       user_id uuid NOT NULL,
       key text NOT NULL,
       request_hash text NOT NULL,
       status integer,
       response jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, user_id, key)
     )`,
    ...tenantPolicySql('idempotency_key'),
    grant('SELECT, INSERT, UPDATE, DELETE', 'idempotency_key'),

    `CREATE TABLE refresh_token (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       user_id uuid NOT NULL,
       family_id uuid NOT NULL,
       token_hash text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       used_at timestamptz,
       revoked_at timestamptz,
       ip text,
       user_agent text
     )`,
    `CREATE INDEX refresh_token_family ON refresh_token (tenant_id, family_id)`,
    `CREATE INDEX refresh_token_user ON refresh_token (tenant_id, user_id)`,
    ...tenantPolicySql('refresh_token'),
    grant('SELECT, INSERT, UPDATE', 'refresh_token'),

    // Métadonnées créées à l'exécution (entités et champs personnalisés d'un tenant).
    `CREATE TABLE meta_entity (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       name text NOT NULL,
       table_name text NOT NULL,
       definition jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by uuid,
       archived_at timestamptz
     )`,
    `CREATE UNIQUE INDEX meta_entity_name ON meta_entity (tenant_id, name) WHERE archived_at IS NULL`,
    ...tenantPolicySql('meta_entity'),
    grant('SELECT, INSERT, UPDATE', 'meta_entity'),
    `CREATE TABLE meta_field (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL REFERENCES tenant(id),
       entity text NOT NULL,
       name text NOT NULL,
       column_name text NOT NULL,
       definition jsonb NOT NULL,
       position integer NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by uuid,
       archived_at timestamptz
     )`,
    `CREATE UNIQUE INDEX meta_field_name ON meta_field (tenant_id, entity, name) WHERE archived_at IS NULL`,
    ...tenantPolicySql('meta_field'),
    grant('SELECT, INSERT, UPDATE', 'meta_field'),
  ],
};
