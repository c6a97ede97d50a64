// Instructions sur les tables de la chaîne d'un enregistrement : INSERT d'une ligne ou d'un lot, UPDATE, corbeille,
// ensembles de liens `refs`. Colonnes système comprises ; aucune décision d'accès ni d'audit ici.
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { EntityModel, FieldModel, TableLink } from '../model.js';
import { linkTable, objectName } from '../naming.js';
import { ownerModel } from '../query/projection.js';
import { columnsOf } from '../schema/columns.js';
import { columnCast, columnParams, type ColumnValue } from './sql-values.js';

/** Enregistrement validé à créer en lot (valeurs par champ, défauts déjà posés). */
export interface NewRecord {
  id: string;
  eid?: string;
  values: Map<FieldModel, unknown>;
}

/**
 * Numéro d'eid : au moins six chiffres, jamais tronqué (lpad tronquerait au-delà de 999 999 et ferait collision).
 * Chaque 9 n'imprime un chiffre que s'il existe, chaque 0 en impose un : 19 positions couvrent tout bigint.
 */
const EID_NUMBER_FORMAT = 'FM9999999999999000000';

/** eid lisible par défaut : nom de l'entité et numéro de séquence. */
function generatedEid(link: TableLink): RawBuilder<string> {
  const sequence = objectName(link.table, 'eid', 'seq');
  return sql<string>`${`${link.entity}-`} || to_char(nextval(${sequence}::regclass), ${EID_NUMBER_FORMAT})`;
}

const SYSTEM_TARGETS = ['id', 'tenant_id', 'eid', 'created_by', 'updated_by'];

/** INSERT d'une ligne dans une table de la chaîne (alias t0) ; `id` et `eid` sont des valeurs ou des emplacements. */
export function insertSql(link: TableLink, id: unknown, eid: unknown, columns: ColumnValue[]): RawBuilder<unknown> {
  const eidValue = eid !== undefined ? sql`${eid}` : generatedEid(link);
  const system = [sql`${id}::uuid`, sql`app_tenant()`, eidValue, sql`app_user()`, sql`app_user()`];
  const targets = [...SYSTEM_TARGETS, ...columns.map((c) => c.column)];
  return sql`INSERT INTO ${sql.table(link.table)} AS t0 (${sql.join(targets.map((t) => sql.ref(t)))})
    VALUES (${sql.join([...system, ...columns.map((c) => c.value)])})`;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Expression SQL d'une colonne à partir de son texte (`v.cN`) ; un tableau de tags arrive en JSON. */
function fromText(field: FieldModel, index: number, ref: RawBuilder<unknown>): RawBuilder<unknown> {
  if (field.type === 'tags') return sql`CASE WHEN ${ref} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${ref}::jsonb)) END`;
  return sql`${ref}::${sql.raw(columnCast(field, index))}`;
}

/**
 * INSERT … SELECT FROM unnest(…) des enregistrements d'une entité à table unique : chaque colonne passe comme un
 * tableau de textes converti dans le SELECT (peu de paramètres, un seul plan quelle que soit la taille du lot).
 * Les champs absents d'une ligne valent NULL (les défauts ont été posés par la validation).
 */
export function insertManySql(model: EntityModel, records: NewRecord[]): RawBuilder<unknown> {
  const fields = model.fields.filter((f) => records.some((r) => r.values.has(f)));
  const arrays: Array<Array<string | null>> = [records.map((r) => r.id), records.map((r) => r.eid ?? null)];
  const names = ['id', 'eid'];
  const targets: string[] = [];
  const selects: RawBuilder<unknown>[] = [];
  for (const field of fields) {
    const perRecord = records.map((r) => columnParams(field, r.values.has(field) ? r.values.get(field) : null));
    columnsOf(field).forEach((column, i) => {
      const name = `c${arrays.length}`;
      arrays.push(perRecord.map((params) => text(params[i])));
      names.push(name);
      targets.push(column.name);
      selects.push(fromText(field, i, sql.ref(`v.${name}`)));
    });
  }
  const link = model.chain[0]!;
  const unnest = sql.join(arrays.map((values) => sql`${values}::text[]`));
  return sql`INSERT INTO ${sql.table(link.table)} AS t0 (${sql.join([...SYSTEM_TARGETS, ...targets].map((t) => sql.ref(t)))})
    SELECT v.id::uuid, app_tenant(), coalesce(v.eid, ${generatedEid(link)}), app_user(), app_user()${selects.length ? sql`, ${sql.join(selects)}` : sql``}
    FROM unnest(${unnest}) AS v(${sql.raw(names.join(', '))})`;
}

/** UPDATE d'une ligne d'une table de la chaîne (alias t0). */
export function updateSql(link: TableLink, id: string, columns: ColumnValue[]): RawBuilder<unknown> {
  const set = sql.join(columns.map((c) => sql`${sql.ref(c.column)} = ${c.value}`));
  return sql`UPDATE ${sql.table(link.table)} AS t0 SET ${set} WHERE t0.id = ${id}`;
}

/** Mise à la corbeille (`deleted`) ou restauration d'un enregistrement, version incrémentée. */
export function trashSql(model: EntityModel, id: string, deleted: boolean): RawBuilder<unknown> {
  const state = deleted ? sql`deleted_at = now(), deleted_by = app_user()` : sql`deleted_at = NULL, deleted_by = NULL`;
  return sql`UPDATE ${sql.table(model.table)} SET ${state}, version = version + 1,
      updated_at = now(), updated_by = app_user() WHERE id = ${id}`;
}

/** Remplace l'ensemble des cibles de chaque champ `refs` écrit (suppressions et ajouts en deux instructions). */
export async function writeLinks(trx: Tx, model: EntityModel, id: string, values: Map<FieldModel, unknown>): Promise<void> {
  for (const [field, value] of values) {
    if (field.type !== 'refs') continue;
    const table = sql.table(linkTable(ownerModel(model, field), field));
    const targets = (value as string[] | null) ?? [];
    await sql`DELETE FROM ${table} WHERE source_id = ${id} AND NOT (target_id = ANY(${targets}::uuid[]))`.execute(trx);
    if (targets.length) {
      await sql`INSERT INTO ${table} (tenant_id, source_id, target_id)
        SELECT app_tenant(), ${id}::uuid, t FROM unnest(${targets}::uuid[]) AS t ON CONFLICT DO NOTHING`.execute(trx);
    }
  }
}
