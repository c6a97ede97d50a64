// Écriture du journal d'audit dans la transaction de la modification : une simple insertion ; le rang et l'empreinte
// de la chaîne du tenant sont posés juste après le commit par le chaîneur (audit/chainer.ts).
import { sql, type RawBuilder } from 'kysely';
import { jsonValue, type SqlOr } from '../db/sql-json.js';
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  action: string;
  entity: string;
  recordId?: SqlOr<string | null>;
  changes?: SqlOr<Changes | Record<string, unknown>>;
}

/**
 * Instruction INSERT des entrées (à composer, par exemple dans un WITH avec l'outbox). Avec `from`, une seule entrée
 * dont les expressions portent sur cette source : `INSERT … SELECT … FROM source`.
 */
/** Auteur d'une écriture tel que l'audit l'enregistre. */
export type AuditActor = Pick<RequestContext, 'tenantId' | 'userId' | 'requestId' | 'ip'>;

export function auditInsert(ctx: AuditActor, entries: AuditEntry[], from?: RawBuilder<unknown>): RawBuilder<unknown> {
  const row = (e: AuditEntry) => sql`${ctx.tenantId}::uuid, ${ctx.userId}::uuid, ${e.action}, ${e.entity}, ${e.recordId ?? null}::uuid,
    ${jsonValue(e.changes ?? {})}::jsonb, ${ctx.requestId}, ${ctx.ip}`;
  const head = sql`INSERT INTO audit_log (tenant_id, actor, action, entity, record_id, changes, request_id, ip)`;
  if (from) return sql`${head} SELECT ${row(entries[0]!)} FROM ${from}`;
  return sql`${head} VALUES ${sql.join(entries.map((e) => sql`(${row(e)})`))}`;
}

export async function appendAudit(trx: Tx, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await auditInsert(ctx, entries).execute(trx);
}
