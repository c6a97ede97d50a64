// Chaînage de l'audit en arrière-plan : la requête insère une ligne simple, le chaîneur lui donne son rang et son
// empreinte juste après le commit. Une seule chaîne par tenant ; plus de verrou de tête pendant la requête.
// Les lignes déjà écrites (chaînées en voies par la migration 1) sont rechaînées dans l'ordre de leur `id`.
import { APP_ROLE } from '../roles.js';
import type { Migration } from './runner.js';

/** Verrou consultatif du chaîneur : un seul nœud chaîne à la fois. */
export const AUDIT_CHAIN_LOCK = 0x0f5f1c;

/** Colonnes que le rôle applicatif peut écrire : ni rang, ni empreinte, ni horodatage, ni identifiant. */
const APP_COLUMNS = 'tenant_id, actor, action, entity, record_id, changes, request_id, ip';

export const auditChain: Migration = {
  version: 2,
  name: 'audit-background-chain',
  statements: [
    `DROP FUNCTION audit_append(jsonb)`,
    `DROP FUNCTION audit_hash(uuid, smallint, bigint, text, timestamptz, uuid, text, text, uuid, jsonb, text, text)`,
    // le propriétaire (migrations, chaîneur, vérification) voit et chaîne les lignes de tous les tenants
    `CREATE POLICY audit_chainer ON audit_log TO CURRENT_USER USING (true) WITH CHECK (true)`,
    `CREATE POLICY audit_chainer ON audit_head TO CURRENT_USER USING (true) WITH CHECK (true)`,
    `ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey`,
    `ALTER TABLE audit_log DROP COLUMN lane,
       ALTER COLUMN seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL,
       ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq'),
       ALTER COLUMN at SET DEFAULT clock_timestamp()`,
    `UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL`,
    `ALTER TABLE audit_log ADD PRIMARY KEY (id)`,
    `CREATE UNIQUE INDEX audit_log_chain ON audit_log (tenant_id, seq)`,
    `CREATE INDEX audit_log_pending ON audit_log (tenant_id, id) WHERE seq IS NULL`,
    `DELETE FROM audit_head`,
    `ALTER TABLE audit_head DROP CONSTRAINT audit_head_pkey, DROP COLUMN lane`,
    `ALTER TABLE audit_head ADD PRIMARY KEY (tenant_id)`,

    `CREATE FUNCTION audit_hash(
       p_id bigint, p_tenant uuid, p_seq bigint, p_prev text, p_at timestamptz, p_actor uuid, p_action text,
       p_entity text, p_record uuid, p_changes jsonb, p_request text, p_ip text
     ) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT encode(sha256(convert_to(concat_ws(chr(31),
         p_id::text, p_tenant::text, p_seq::text, p_prev,
         to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         coalesce(p_actor::text, ''), p_action, p_entity, coalesce(p_record::text, ''),
         p_changes::text, coalesce(p_request, ''), coalesce(p_ip, '')), 'UTF8')), 'hex')
     $$`,
    // Chaîne jusqu'à p_limit lignes en attente, tenant par tenant, dans l'ordre des id ; renvoie leur nombre.
    `CREATE FUNCTION audit_chain(p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
     DECLARE
       r record;
       t uuid;
       s bigint;
       prev text;
       n integer := 0;
     BEGIN
       PERFORM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK});
       FOR r IN SELECT * FROM audit_log WHERE seq IS NULL ORDER BY tenant_id, id LIMIT p_limit LOOP
         IF t IS DISTINCT FROM r.tenant_id THEN
           IF t IS NOT NULL THEN PERFORM audit_move_head(t, s, prev); END IF;
           t := r.tenant_id;
           SELECT h.seq, h.hash INTO s, prev FROM audit_head h WHERE h.tenant_id = t;
           IF NOT FOUND THEN s := 0; prev := repeat('0', 64); END IF;
         END IF;
         s := s + 1;
         UPDATE audit_log SET seq = s, prev_hash = prev,
           hash = audit_hash(r.id, t, s, prev, r.at, r.actor, r.action, r.entity, r.record_id, r.changes, r.request_id, r.ip)
         WHERE id = r.id RETURNING hash INTO prev;
         n := n + 1;
       END LOOP;
       IF t IS NOT NULL THEN PERFORM audit_move_head(t, s, prev); END IF;
       RETURN n;
     END $$`,
    `CREATE FUNCTION audit_move_head(p_tenant uuid, p_seq bigint, p_hash text) RETURNS void LANGUAGE sql AS $$
       INSERT INTO audit_head (tenant_id, seq, hash) VALUES (p_tenant, p_seq, p_hash)
       ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
     $$`,
    `REVOKE ALL ON FUNCTION audit_chain(integer) FROM PUBLIC`,
    `REVOKE ALL ON FUNCTION audit_move_head(uuid, bigint, text) FROM PUBLIC`,

    // le rôle applicatif ajoute des lignes (colonnes métier seulement) et les lit ; rien d'autre
    `REVOKE ALL ON audit_log FROM ${APP_ROLE}`,
    `GRANT SELECT ON audit_log TO ${APP_ROLE}`,
    `GRANT INSERT (${APP_COLUMNS}) ON audit_log TO ${APP_ROLE}`,
    `GRANT USAGE ON SEQUENCE audit_log_id_seq TO ${APP_ROLE}`,
  ],
};
