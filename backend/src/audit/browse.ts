// Lecture du journal d'audit d'un tenant pour la console : filtres (entité, enregistrement, auteur, action, période),
// pages par identifiant décroissant, nom de l'auteur joint dans la même instruction.
import { sql } from 'kysely';
import type { Tx } from '../db/transaction.js';
import type { Catalog } from '../engine/registry.js';

export interface AuditQuery {
  entity?: string;
  recordId?: string;
  actor?: string;
  action?: string;
  /** bornes ISO 8601 (from incluse, to exclue) */
  from?: string;
  to?: string;
  limit?: number;
  /** identifiant de la dernière ligne de la page précédente */
  before?: number;
}

export interface AuditEntry {
  id: string;
  seq: string | null;
  at: Date;
  actor: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  recordId: string | null;
  requestId: string | null;
  ip: string | null;
  changes: Record<string, unknown>;
}

// taille maximale d'une page de l'API d'audit : contrat de l'API (documenté dans OpenAPI), pas un réglage
export const AUDIT_BROWSE_MAX = 500;

export async function browseAudit(trx: Tx, catalog: Catalog, query: AuditQuery): Promise<{ data: AuditEntry[]; meta: { nextCursor: string | null } }> {
  const limit = Math.min(query.limit ?? 100, AUDIT_BROWSE_MAX);
  const users = sql.table(catalog.get('user')!.table);
  const conditions = [
    query.entity ? sql`a.entity = ${query.entity}` : undefined,
    query.recordId ? sql`a.record_id = ${query.recordId}::uuid` : undefined,
    query.actor ? sql`a.actor = ${query.actor}::uuid` : undefined,
    query.action ? sql`a.action = ${query.action}` : undefined,
    query.from ? sql`a.at >= ${query.from}::timestamptz` : undefined,
    query.to ? sql`a.at < ${query.to}::timestamptz` : undefined,
    query.before !== undefined ? sql`a.id < ${query.before}` : undefined,
  ].filter((c) => c !== undefined);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const { rows } = await sql<AuditEntry>`
    SELECT a.id::text AS id, a.seq::text AS seq, a.at, a.actor, coalesce(u.display_name, u.email) AS "actorName", a.action, a.entity,
           a.record_id AS "recordId", a.request_id AS "requestId", a.ip, a.changes
    FROM audit_log a LEFT JOIN ${users} u ON u.id = a.actor
    ${where} ORDER BY a.id DESC LIMIT ${limit + 1}`.execute(trx);
  const more = rows.length > limit;
  if (more) rows.length = limit;
  return { data: rows, meta: { nextCursor: more ? rows[rows.length - 1]!.id : null } };
}
