// Agrégats d'une entité (compte, somme, moyenne, minimum, maximum), groupés par au plus deux chemins, avec le même
// filtre JSON, les mêmes règles d'enregistrements et la même visibilité des champs que les listes. Sert l'assistant ;
// les groupes sont triés par la première mesure, décroissante — ou, avec un regroupement temporel (`bucket`), par période
// croissante : une série chronologique (prévisions, tableaux de bord).
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { compileFilter } from '../filter/index.js';
import type { FilterContext, ResolvedPath } from '../filter/types.js';
import type { EntityModel } from '../model.js';
import type { Catalog } from '../registry.js';
import { QueryError } from './list.js';
import { aliveSql, fromChain } from './projection.js';
import { PathResolver, type FieldVisibility } from './resolver.js';

export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export const AGGREGATE_LIMITS = { maxGroupBy: 2, maxMeasures: 5, defaultGroups: 50, maxGroups: 500, maxBuckets: 5000 } as const;

/** Périodes d'un regroupement temporel : début du jour, de la semaine ISO (lundi), du mois, du trimestre, de l'année. */
export const TIME_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export interface BucketOption {
  /** champ date ou date-heure (chemin pointé permis) */
  path: string;
  unit: TimeBucket;
}

export interface Measure {
  fn: AggregateFunction;
  /** champ mesuré ; absent pour `count` (toutes les lignes) */
  field?: string;
}

export interface AggregateOptions {
  measures: Measure[];
  groupBy?: string[];
  /** regroupement par période d'un champ date : clé `path` = début de la période (`YYYY-MM-DD`, UTC) ; compte parmi groupBy */
  bucket?: BucketOption;
  filter?: unknown;
  /** règles d'enregistrements de l'appelant, compilées sur les modèles complets */
  scopeFilter?: unknown;
  variables?: Record<string, unknown>;
  limit?: number;
}

export interface AggregateGroup {
  /** valeur de chaque chemin de regroupement */
  keys: Record<string, unknown>;
  /** `count`, `sum:amount`… */
  values: Record<string, unknown>;
}

const NUMERIC = new Set<ResolvedPath['kind']>(['integer', 'decimal']);
const ORDERED = new Set<ResolvedPath['kind']>(['integer', 'decimal', 'date', 'datetime', 'string']);
const TEMPORAL = new Set<ResolvedPath['kind']>(['date', 'datetime']);

export const measureName = (m: Measure): string => (m.field ? `${m.fn}:${m.field}` : m.fn);

function measureSql(m: Measure, resolver: PathResolver): RawBuilder<unknown> {
  if (!m.field) {
    if (m.fn !== 'count') throw new QueryError('measures', 'field_required', `${m.fn} needs a field`);
    return sql`count(*)`;
  }
  const path = resolver.resolve(m.field);
  if (m.fn === 'count') return sql`count(${path.expr})`;
  const allowed = m.fn === 'sum' || m.fn === 'avg' ? NUMERIC : ORDERED;
  if (!allowed.has(path.kind)) throw new QueryError(m.field, 'not_aggregatable', `${m.fn} cannot be applied to ${m.field}`);
  return sql`${sql.raw(m.fn)}(${path.expr})`;
}

/** Début de période en texte `YYYY-MM-DD` ; une date-heure est tronquée en UTC (indépendant du fuseau de la session). */
function bucketSql(bucket: BucketOption, resolver: PathResolver): RawBuilder<unknown> {
  if (!TIME_BUCKETS.includes(bucket.unit)) throw new QueryError('bucket', 'invalid_bucket', `Bucket unit is one of ${TIME_BUCKETS.join(', ')}`);
  const path = resolver.resolve(bucket.path);
  if (!TEMPORAL.has(path.kind)) throw new QueryError(bucket.path, 'not_temporal', `${bucket.path} is not a date or date-time field`);
  const instant = path.kind === 'date' ? sql`${path.expr}::timestamp` : sql`(${path.expr} AT TIME ZONE 'UTC')`;
  return sql`to_char(date_trunc(${bucket.unit}, ${instant}), 'YYYY-MM-DD')`;
}

export async function aggregateRecords(
  trx: Tx, model: EntityModel, catalog: Catalog, options: AggregateOptions, visible?: FieldVisibility,
): Promise<AggregateGroup[]> {
  const groupBy = options.groupBy ?? [];
  const bucket = options.bucket;
  if (groupBy.length + (bucket ? 1 : 0) > AGGREGATE_LIMITS.maxGroupBy) throw new QueryError('groupBy', 'too_many', `At most ${AGGREGATE_LIMITS.maxGroupBy} group-by paths`);
  if (options.measures.length === 0 || options.measures.length > AGGREGATE_LIMITS.maxMeasures) {
    throw new QueryError('measures', 'invalid_measures', `Between 1 and ${AGGREGATE_LIMITS.maxMeasures} measures`);
  }
  const limit = bucket
    ? Math.min(options.limit ?? AGGREGATE_LIMITS.maxBuckets, AGGREGATE_LIMITS.maxBuckets)
    : Math.min(options.limit ?? AGGREGATE_LIMITS.defaultGroups, AGGREGATE_LIMITS.maxGroups);
  const resolver = new PathResolver(model, catalog, visible);
  const ctx: FilterContext = { resolve: resolver.resolve, variables: options.variables };
  const conditions: RawBuilder<unknown>[] = [aliveSql(model)];
  const userFilter = compileFilter(options.filter, ctx);
  if (userFilter) conditions.push(userFilter);
  const scope = options.scopeFilter ? compileFilter(options.scopeFilter, { ...ctx, resolve: resolver.resolveTrusted }) : undefined;
  if (scope) conditions.push(scope);

  const groups = groupBy.map((path, i) => {
    const resolved = resolver.resolve(path);
    if (resolved.kind === 'json' || resolved.kind === 'tags') throw new QueryError(path, 'not_groupable', `Cannot group by ${path}`);
    return sql`${resolved.expr} AS ${sql.ref(`g${i}`)}`;
  });
  if (bucket) groups.push(sql`${bucketSql(bucket, resolver)} AS bk`);
  const measures = options.measures.map((m, i) => sql`${measureSql(m, resolver)} AS ${sql.ref(`m${i}`)}`);
  const groupRefs = [...groupBy.map((_, i) => sql.ref(`g${i}`)), ...(bucket ? [sql.ref('bk')] : [])];
  const groupClause = groupRefs.length ? sql` GROUP BY ${sql.join(groupRefs)}` : sql``;
  // une série se lit dans l'ordre du temps ; sans période, les plus gros groupes d'abord
  const order = bucket ? sql`bk${groupBy.length ? sql`, m0 DESC NULLS LAST` : sql``}` : sql`m0 DESC NULLS LAST`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${sql.join([...groups, ...measures])}
    FROM ${fromChain(model)}${resolver.joinSql()} WHERE ${sql.join(conditions, sql` AND `)}${groupClause}
    ORDER BY ${order} LIMIT ${limit}`.execute(trx);
  return rows.map((row) => ({
    keys: Object.fromEntries([...groupBy.map((path, i) => [path, row[`g${i}`]]), ...(bucket ? [[bucket.path, row.bk]] : [])]),
    values: Object.fromEntries(options.measures.map((m, i) => [measureName(m), numeric(row[`m${i}`])])),
  }));
}

/** count et sum de bigint/numeric arrivent en texte : en nombre tant qu'il reste exact, sinon gardés en texte. */
function numeric(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return value ?? null;
  return Number.isSafeInteger(Math.trunc(Number(value))) ? Number(value) : value;
}
