// Écriture du journal d'audit dans la transaction de la modification (chaînage calculé en base, sous verrou).
import { sql } from 'kysely';
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  action: string;
  entity: string;
  recordId?: string | null;
  changes?: Changes | Record<string, unknown>;
}

export async function appendAudit(trx: Tx, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const payload = entries.map((e) => ({
    actor: ctx.userId, action: e.action, entity: e.entity, recordId: e.recordId ?? null,
    changes: e.changes ?? {}, requestId: ctx.requestId, ip: ctx.ip,
  }));
  await sql`SELECT audit_append(${JSON.stringify(payload)}::jsonb)`.execute(trx);
}
