// Requête de liste : filtre JSON, recherche `q`, tri, pagination par curseur (keyset), projection, comptage.
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { compileFilter } from '../filter/index.js';
import type { FilterContext, ResolvedPath } from '../filter/types.js';
import type { EntityModel } from '../model.js';
import type { Catalog } from '../registry.js';
import type { CursorCodec } from './cursor.js';
import { aliveSql, fromChain, projection, SYSTEM_PROJECTION } from './projection.js';
import { PathResolver, unknownField, type FieldVisibility } from './resolver.js';

export const LIST_LIMITS = { defaultLimit: 50, maxLimit: 1000, maxSortKeys: 5, maxQueryLength: 200 } as const;

export interface ListOptions {
  filter?: unknown;
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  q?: string;
  trashed?: 'with' | 'only';
  count?: boolean;
  /** filtre supplémentaire imposé (règles d'enregistrement), compilé avec les mêmes règles */
  scopeFilter?: unknown;
  variables?: Record<string, unknown>;
}

export interface ListResult {
  data: Record<string, unknown>[];
  meta: { nextCursor: string | null; count?: number };
}

export class QueryError extends Error {
  constructor(
    readonly field: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface SortKey {
  path: string;
  desc: boolean;
  resolved: ResolvedPath;
}

function parseSort(sort: string | undefined, resolver: PathResolver): SortKey[] {
  const keys: SortKey[] = [];
  for (const raw of (sort ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const desc = raw.startsWith('-');
    const path = desc || raw.startsWith('+') ? raw.slice(1) : raw;
    const resolved = resolver.resolve(path);
    if (resolved.kind === 'json' || resolved.kind === 'tags') throw new QueryError(path, 'not_sortable', `Field ${path} cannot be sorted`);
    keys.push({ path, desc, resolved });
  }
  if (keys.length > LIST_LIMITS.maxSortKeys) throw new QueryError('sort', 'invalid_sort', 'Too many sort keys');
  if (!keys.some((k) => k.path === 'id')) keys.push({ path: 'id', desc: false, resolved: resolver.resolve('id') });
  return keys;
}

const CASTS: Partial<Record<ResolvedPath['kind'], string>> = {
  string: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz', uuid: 'uuid',
};

/** Prédicat keyset « après la ligne v » tenant compte des NULL (ASC NULLS LAST, DESC NULLS FIRST). */
function afterSql(keys: SortKey[], values: unknown[]): RawBuilder<unknown> {
  const castOf = (k: SortKey) => sql.raw(CASTS[k.resolved.kind] ?? 'text');
  const eq = (k: SortKey, v: unknown) => (v === null ? sql`${k.resolved.expr} IS NULL` : sql`${k.resolved.expr} = ${v}::${castOf(k)}`);
  const gt = (k: SortKey, v: unknown) => {
    if (v === null) return k.desc ? sql`${k.resolved.expr} IS NOT NULL` : sql`FALSE`;
    return k.desc
      ? sql`${k.resolved.expr} < ${v}::${castOf(k)}`
      : sql`(${k.resolved.expr} > ${v}::${castOf(k)} OR ${k.resolved.expr} IS NULL)`;
  };
  const branches = keys.map((key, i) => {
    const equals = keys.slice(0, i).map((k, j) => eq(k, values[j]));
    return sql`(${sql.join([...equals, gt(key, values[i])], sql` AND `)})`;
  });
  return sql`(${sql.join(branches, sql` OR `)})`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listRecords(
  trx: Tx,
  model: EntityModel,
  catalog: Catalog,
  codec: CursorCodec,
  options: ListOptions,
  visible?: FieldVisibility,
): Promise<ListResult> {
  const limit = options.limit ?? LIST_LIMITS.defaultLimit;
  const resolver = new PathResolver(model, catalog, visible);
  const ctx: FilterContext = { resolve: resolver.resolve, variables: options.variables };
  const conditions: RawBuilder<unknown>[] = [];

  if (options.trashed === 'only') conditions.push(sql`t0.deleted_at IS NOT NULL`);
  else if (options.trashed !== 'with') conditions.push(aliveSql(model));

  const userFilter = compileFilter(options.filter, ctx);
  if (userFilter) conditions.push(userFilter);
  const scopeFilter = options.scopeFilter ? compileFilter(options.scopeFilter, { ...ctx, resolve: resolver.resolveTrusted }) : undefined;
  if (scopeFilter) conditions.push(scopeFilter);

  if (options.q) {
    if (options.q.length > LIST_LIMITS.maxQueryLength) throw new QueryError('q', 'too_long', 'Search text is too long');
    const pattern = `%${escapeLike(options.q)}%`;
    const searched = [sql`t0.eid ILIKE ${pattern}`, ...model.searchFields.map((f) => sql`${sql.ref(`${f.alias}.${f.column}`)} ILIKE ${pattern}`)];
    conditions.push(sql`(${sql.join(searched, sql` OR `)})`);
  }

  let only: Set<string> | undefined;
  if (options.fields?.length) {
    only = new Set(options.fields);
    const system = new Set(SYSTEM_PROJECTION.map(([name]) => name));
    for (const name of only) {
      if (system.has(name)) continue;
      const field = model.byName.get(name);
      if (!field || field.def.internal || field.def.writeOnly || (visible && !visible(model, field))) throw unknownField(name);
    }
  }

  const keys = parseSort(options.sort, resolver);
  const signature = keys.map((k) => `${k.desc ? '-' : ''}${k.path}`).join(',');
  const countConditions = [...conditions];
  if (options.cursor) {
    const payload = codec.decode(options.cursor, signature);
    if (!payload || payload.v.length !== keys.length) throw new QueryError('cursor', 'invalid_cursor', 'Invalid or expired cursor');
    conditions.push(afterSql(keys, payload.v));
  }

  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const order = sql.join(keys.map((k) => sql`${k.resolved.expr} ${sql.raw(k.desc ? 'DESC' : 'ASC')}`));
  // Valeur de chaque clé de tri pour le curseur : lue dans la ligne quand le champ projeté la porte telle quelle,
  // sinon colonne supplémentaire (horodatages en texte pour garder la microseconde, chemins `a.b`, money).
  const projected = new Set(only ?? [...SYSTEM_PROJECTION.map(([n]) => n), ...model.fields.map((f) => f.name)]);
  const extra = keys.map((k) =>
    k.resolved.kind === 'datetime' || k.resolved.fieldType === 'money' || k.resolved.fieldType === 'computed' || !projected.has(k.path));
  const keyColumns = keys.flatMap((k, i) => {
    if (!extra[i]) return [];
    const value = k.resolved.kind === 'datetime' ? sql`(${k.resolved.expr})::text` : k.resolved.expr;
    return [sql`, ${value} AS ${sql.ref(`__k${i}`)}`];
  });
  const joins = resolver.joinSql();
  const query = sql<Record<string, unknown>>`
    SELECT ${projection(model, only)}${sql.join(keyColumns, sql``)}
    FROM ${fromChain(model)}${joins} ${where}
    ORDER BY ${order} LIMIT ${limit + 1}`;
  const { rows } = await query.execute(trx);

  let nextCursor: string | null = null;
  if (rows.length > limit) {
    rows.length = limit;
    const last = rows[limit - 1]!;
    nextCursor = codec.encode({ s: signature, v: keys.map((k, i) => (extra[i] ? last[`__k${i}`] : last[k.path])) });
  }
  if (extra.some(Boolean)) for (const row of rows) for (let i = 0; i < keys.length; i++) if (extra[i]) delete row[`__k${i}`];

  const meta: ListResult['meta'] = { nextCursor };
  if (options.count) {
    const countWhere = countConditions.length ? sql`WHERE ${sql.join(countConditions, sql` AND `)}` : sql``;
    const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${fromChain(model)}${joins} ${countWhere}`.execute(trx);
    meta.count = counted.rows[0]?.n ?? 0;
  }
  return { data: rows, meta };
}
