// Création en lot d'enregistrements validés : un seul INSERT … SELECT FROM unnest(…) par lot, l'audit de chaque ligne
// (mêmes changements que la création unitaire) et un événement du lot dans la même instruction. Chaque colonne passe
// comme un tableau de textes converti dans le SELECT : peu de paramètres, un seul plan quelle que soit la taille.
import { sql, type RawBuilder } from 'kysely';
import { auditInsert } from '../../audit/writer.js';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import { createdChangesSql } from '../../engine/crud/changes.js';
import { generatedEid } from '../../engine/crud/service.js';
import { columnParams } from '../../engine/crud/sql-values.js';
import type { EntityModel, FieldModel } from '../../engine/model.js';
import { projection } from '../../engine/query/projection.js';
import { columnsOf } from '../../engine/schema/columns.js';
import { outboxInsert } from '../../events/outbox.js';

export interface NewRecord {
  id: string;
  eid?: string;
  values: Map<FieldModel, unknown>;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Expression SQL d'une colonne à partir de son texte (`v.cN`) ; un tableau de tags arrive en JSON. */
function cast(field: FieldModel, index: number, ref: RawBuilder<unknown>): RawBuilder<unknown> {
  if (field.type === 'tags') return sql`CASE WHEN ${ref} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${ref}::jsonb)) END`;
  const type = field.type === 'money' ? (index === 0 ? 'numeric' : 'char(3)') : columnsOf(field)[index]!.sqlType;
  return sql`${ref}::${sql.raw(type)}`;
}

/**
 * Insère les enregistrements (entité à table unique, sans crochet de création : voir `RecordService.directCreate`).
 * Les champs absents d'une ligne valent NULL (les défauts ont été posés par la validation).
 */
export async function bulkCreate(trx: Tx, ctx: RequestContext, model: EntityModel, records: NewRecord[], event: { topic: string; payload: Record<string, unknown> }): Promise<void> {
  const fields = model.fields.filter((f) => records.some((r) => r.values.has(f)));
  const arrays: Array<Array<string | null>> = [records.map((r) => r.id), records.map((r) => r.eid ?? null)];
  const names = ['id', 'eid'];
  const targets: string[] = [];
  const selects: RawBuilder<unknown>[] = [];
  for (const field of fields) {
    const columns = columnsOf(field);
    const perRecord = records.map((r) => columnParams(field, r.values.has(field) ? r.values.get(field) : null));
    columns.forEach((column, i) => {
      const name = `c${arrays.length}`;
      arrays.push(perRecord.map((params) => text(params[i])));
      names.push(name);
      targets.push(column.name);
      selects.push(cast(field, i, sql.ref(`v.${name}`)));
    });
  }
  const link = model.chain[0]!;
  const unnest = sql.join(arrays.map((values) => sql`${values}::text[]`));
  const insert = sql`INSERT INTO ${sql.table(link.table)} AS t0 (${sql.join(['id', 'tenant_id', 'eid', 'created_by', 'updated_by', ...targets].map((t) => sql.ref(t)))})
    SELECT v.id::uuid, app_tenant(), coalesce(v.eid, ${generatedEid(link)}), app_user(), app_user()${selects.length ? sql`, ${sql.join(selects)}` : sql``}
    FROM unnest(${unnest}) AS v(${sql.raw(names.join(', '))})
    RETURNING ${projection(model)}`;
  const audit = auditInsert(ctx, [{ action: 'create', entity: model.name, recordId: sql`inserted.id`, changes: createdChangesSql(model, 'inserted') }], sql`inserted`);
  const outbox = outboxInsert(ctx.tenantId, [event]);
  await sql`WITH inserted AS (${insert}), audit AS (${audit}), event AS (${outbox}) SELECT count(*) FROM inserted`.execute(trx);
}
