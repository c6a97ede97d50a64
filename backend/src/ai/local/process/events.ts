// Traces d'un champ d'état tirées du journal d'audit, pour les seuls enregistrements que l'utilisateur peut lire :
// leurs identifiants viennent du service générique (règles d'enregistrements), puis le journal (données du tenant,
// sous RLS) est lu pour ces identifiants. Création : état initial ; mise à jour du champ : nouvel état.
import { sql } from 'kysely';
import type { Tx } from '../../../db/transaction.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import { LIST_LIMITS } from '../../../engine/query/list.js';
import type { Catalog } from '../../../engine/registry.js';
import type { Trace } from './mine.js';

export interface CaseWindow {
  /** enregistrements créés à partir de cet instant (ISO 8601) */
  from?: string;
  /** … et avant celui-ci */
  to?: string;
}

/** Identifiants des enregistrements lisibles par l'utilisateur, les plus récents d'abord, `max` au plus. */
export async function visibleIds(
  records: RecordService, trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, window: CaseWindow, max: number,
): Promise<{ ids: string[]; truncated: boolean }> {
  const created: Record<string, string> = {};
  if (window.from) created.gte = window.from;
  if (window.to) created.lt = window.to;
  const filter = Object.keys(created).length ? { createdAt: created } : undefined;
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await records.list(trx, ctx, catalog, model, {
      filter, fields: ['id'], sort: '-createdAt', cursor, limit: Math.min(LIST_LIMITS.maxLimit, max - ids.length), trashed: 'with',
    });
    ids.push(...page.data.map((row) => String(row.id)));
    cursor = page.meta.nextCursor ?? undefined;
  } while (cursor && ids.length < max);
  return { ids, truncated: cursor !== undefined };
}

interface AuditRow {
  record_id: string;
  at: Date | string;
  action: string;
  change: { from: unknown; to: unknown };
}

const CHUNK = 1000;

/** Suite des valeurs du champ pour chaque enregistrement, dans l'ordre du journal. */
export async function tracesOf(trx: Tx, model: EntityModel, field: FieldModel, ids: string[]): Promise<Trace[]> {
  const traces = new Map<string, Trace>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const { rows } = await sql<AuditRow>`
      SELECT record_id, at, action, changes -> ${field.name} AS change FROM audit_log
      WHERE entity = ${model.name} AND record_id = ANY(${chunk}::uuid[]) AND changes ? ${field.name}
      ORDER BY record_id, at, id`.execute(trx);
    for (const row of rows) {
      const trace = traces.get(row.record_id) ?? { recordId: row.record_id, steps: [] };
      const at = new Date(row.at).getTime();
      const { from, to } = row.change ?? { from: null, to: null };
      // premier passage connu par une mise à jour (enregistrement importé sans création journalisée) : état de départ sans instant
      if (trace.steps.length === 0 && row.action !== 'create' && from !== null && from !== undefined) trace.steps.push({ state: String(from), at: null });
      if (to !== null && to !== undefined) trace.steps.push({ state: String(to), at });
      traces.set(row.record_id, trace);
    }
  }
  return [...traces.values()];
}
