// Différence champ par champ entre deux états d'un enregistrement (journal d'audit, historique).
import { sql, type RawBuilder } from 'kysely';
import type { Changes } from '../../audit/writer.js';
import { exposedFields, type EntityModel, type FieldModel } from '../model.js';
import { SYSTEM_PROJECTION } from '../query/projection.js';

const SKIPPED = new Set(['version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy', 'id']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return new Date(a as string).getTime() === new Date(b as string).getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [key, to] of Object.entries(after)) {
    if (SKIPPED.has(key)) continue;
    const from = before ? (before[key] ?? null) : null;
    if (before === null && to === null) continue;
    if (!same(from, to)) changes[key] = { from: plain(from), to: plain(to) };
  }
  return changes;
}

/**
 * Valeur d'API (telle que la renvoie le JSON de la réponse) d'une colonne projetée, calculée en SQL : décimales et
 * dates en texte, instants en ISO 8601 UTC à la milliseconde, le reste tel que `to_jsonb` le donne.
 */
function apiJsonSql(field: FieldModel | undefined, value: RawBuilder<unknown>): RawBuilder<unknown> {
  const kind = field?.type === 'computed' ? (field.def.options?.returns ?? 'string') : field?.type;
  switch (kind) {
    case 'decimal': case 'date':
      return sql`to_jsonb(${value}::text)`;
    case 'datetime':
      return sql`to_jsonb(to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
    default:
      return sql`to_jsonb(${value})`;
  }
}

/**
 * Changements d'une création calculés en SQL sur la ligne projetée `source` (mêmes clés, mêmes valeurs que
 * `diffRecords(null, ligne)`) : l'audit part dans l'instruction même de l'INSERT. Un seul objet construit par ligne,
 * dont on retire les clés des valeurs nulles (`jsonb - text[]` ignore les éléments NULL) : ni sous-requête ni agrégat.
 */
export function createdChangesSql(model: EntityModel, source: string): RawBuilder<unknown> {
  const entries: Array<[string, FieldModel | undefined]> = [
    ...SYSTEM_PROJECTION.filter(([name]) => !SKIPPED.has(name)).map(([name]): [string, undefined] => [name, undefined]),
    ...exposedFields(model).map((f): [string, FieldModel] => [f.name, f]),
  ];
  const pairs = entries.map(([name, field]) => {
    const value = sql.ref(`${source}.${name}`);
    return sql`${name}::text, jsonb_build_object('from', NULL, 'to', ${apiJsonSql(field, value)})`;
  });
  // une valeur JSON `null` (champ json) compte comme absente, comme une valeur SQL NULL
  const absent = entries.map(([name, field]) => {
    const value = sql.ref(`${source}.${name}`);
    const isNull = field?.type === 'json' || field?.type === 'translatable' ? sql`${value} IS NULL OR ${value} = 'null'::jsonb` : sql`${value} IS NULL`;
    return sql`CASE WHEN ${isNull} THEN ${name}::text END`;
  });
  // jsonb_build_object prend au plus 100 arguments : objets de 40 clés concaténés
  const objects = [];
  for (let i = 0; i < pairs.length; i += 40) objects.push(sql`jsonb_build_object(${sql.join(pairs.slice(i, i + 40))})`);
  return sql`((${sql.join(objects, sql` || `)}) - ARRAY[${sql.join(absent)}]::text[])`;
}
