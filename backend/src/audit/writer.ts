// Écriture du journal d'audit dans la transaction de la modification (chaînage calculé en base, sous verrou).
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  action: string;
  entity: string;
  recordId?: string | null;
  changes?: Changes | Record<string, unknown>;
}

/** Appel SQL `audit_append(...)` pour des entrées (à composer dans une instruction plus large). */
export function auditCall(ctx: RequestContext, entries: AuditEntry[]): RawBuilder<unknown> {
  const payload = entries.map((e) => ({
    actor: ctx.userId, action: e.action, entity: e.entity, recordId: e.recordId ?? null,
    changes: e.changes ?? {}, requestId: ctx.requestId, ip: ctx.ip,
  }));
  return sql`audit_append(${JSON.stringify(payload)}::jsonb)`;
}

export async function appendAudit(trx: Tx, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`SELECT ${auditCall(ctx, entries)}`.execute(trx);
}
