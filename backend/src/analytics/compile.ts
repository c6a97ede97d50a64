// Compilation d'une requête d'analyse en SQL PostgreSQL : dimensions (chemins pointés, périodes dans le fuseau de
// l'analyse, exercice de la société), mesures (centiles, valeurs distinctes, montants convertis par une table de
// taux jointe), mêmes filtres, règles d'enregistrements et champs visibles que les listes (PathResolver), totaux par
// GROUPING SETS dans le même passage. Le plan ne lit rien : le service l'exécute une ou deux fois (comparaison).
import type { AnalyticsDimension, AnalyticsMeasure, AnalyticsQuery } from '@opsflux/sdk';
import { sql, type RawBuilder } from 'kysely';
import { compileFilter } from '../engine/filter/index.js';
import type { ResolvedPath, ScalarKind } from '../engine/filter/types.js';
import type { EntityModel } from '../engine/model.js';
import { QueryError } from '../engine/query/list.js';
import { aliveSql, fromChain } from '../engine/query/projection.js';
import { PathResolver, type FieldVisibility } from '../engine/query/resolver.js';
import type { Catalog } from '../engine/registry.js';
import type { RateTable } from './fx.js';
import { bucketSql, periodSql, type PeriodContext } from './periods.js';

export interface PlannedDimension {
  name: string;
  spec: AnalyticsDimension;
  expr: RawBuilder<unknown>;
  type: string;
  path: ResolvedPath;
}

export interface PlannedMeasure {
  name: string;
  spec: AnalyticsMeasure;
  /** valeur mesurée de chaque ligne (montant déjà converti) ; null pour count(*) */
  input: RawBuilder<unknown> | null;
  /** integer, decimal, number (centile interpolé), money, date, datetime, string */
  type: string;
}

export interface CompileInput {
  model: EntityModel;
  catalog: Catalog;
  query: AnalyticsQuery;
  periods: PeriodContext;
  scopeFilter?: unknown;
  variables?: Record<string, unknown>;
  visible?: FieldVisibility;
  /** taux vers la devise de l'analyse (montants convertis) */
  rates?: RateTable;
  /** champ date des taux du jour de l'enregistrement */
  rateDateField?: string;
}

const NUMERIC = new Set<ScalarKind>(['integer', 'decimal']);
const ORDERED = new Set<ScalarKind>(['integer', 'decimal', 'date', 'datetime', 'string']);
const TEMPORAL = new Set<ScalarKind>(['date', 'datetime']);
const UNGROUPABLE = new Set<ScalarKind>(['json', 'tags']);

export const measureNameOf = (m: AnalyticsMeasure): string =>
  m.as ?? (m.fn === 'percentile' ? `p${Math.round((m.p ?? 0.5) * 100)}:${m.field ?? ''}` : m.field ? `${m.fn}:${m.field}` : m.fn);
export const dimensionNameOf = (d: AnalyticsDimension): string => d.as ?? (d.bucket ? `${d.field}:${d.bucket}` : d.field);

/** Requête compilée : morceaux réutilisés pour la période analysée et sa comparaison. */
export class AnalyticsPlan {
  readonly dimensions: PlannedDimension[];
  readonly measures: PlannedMeasure[];
  /** une mesure porte sur des montants en devises : le plan est à recompiler avec une table de taux */
  needsRates = false;
  private readonly resolver: PathResolver;
  private readonly conditions: RawBuilder<unknown>[];
  private readonly rateJoins: RawBuilder<unknown>[] = [];
  /** lignes à convertir dont la devise n'a pas de taux */
  private readonly missingRates: RawBuilder<unknown>[] = [];
  private readonly currencyExprs = new Map<string, { alias: string; expr: RawBuilder<unknown> }>();

  constructor(private readonly input: CompileInput) {
    const { model, catalog, query } = input;
    this.resolver = new PathResolver(model, catalog, input.visible);
    const ctx = { resolve: this.resolver.resolve, variables: input.variables };
    this.conditions = [aliveSql(model)];
    const userFilter = compileFilter(query.filter, ctx);
    if (userFilter) this.conditions.push(userFilter);
    const scope = input.scopeFilter ? compileFilter(input.scopeFilter, { ...ctx, resolve: this.resolver.resolveTrusted }) : undefined;
    if (scope) this.conditions.push(scope);
    this.dimensions = (query.dimensions ?? []).map((d) => this.dimension(d));
    this.measures = query.measures.map((m) => this.measure(m));
    const names = [...this.dimensions, ...this.measures].map((x) => x.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new QueryError(twice, 'duplicate_name', `Two measures or dimensions are named "${twice}": give one an "as"`);
  }

  private dimension(spec: AnalyticsDimension): PlannedDimension {
    const path = this.resolver.resolve(spec.field);
    const name = dimensionNameOf(spec);
    if (spec.bucket) {
      if (!TEMPORAL.has(path.kind)) throw new QueryError(spec.field, 'not_temporal', `${spec.field} is not a date or date-time field`);
      return { name, spec, path, expr: bucketSql(path, spec.bucket, this.input.periods), type: 'date' };
    }
    if (UNGROUPABLE.has(path.kind)) throw new QueryError(spec.field, 'not_groupable', `Cannot group by ${spec.field}`);
    return { name, spec, path, expr: path.expr, type: path.fieldType === 'money' ? 'decimal' : path.kind };
  }

  private measure(spec: AnalyticsMeasure): PlannedMeasure {
    const name = measureNameOf(spec);
    if (!spec.field) {
      if (spec.fn !== 'count') throw new QueryError(name, 'field_required', `${spec.fn} needs a field`);
      return { name, spec, input: null, type: 'integer' };
    }
    const path = this.resolver.resolve(spec.field);
    if (spec.fn === 'count') return { name, spec, input: path.expr, type: 'integer' };
    if (spec.fn === 'countDistinct') {
      if (UNGROUPABLE.has(path.kind)) throw new QueryError(spec.field, 'not_aggregatable', `Cannot count distinct values of ${spec.field}`);
      return { name, spec, input: path.expr, type: 'integer' };
    }
    const numericOnly = spec.fn === 'sum' || spec.fn === 'avg' || spec.fn === 'percentile';
    if (!(numericOnly ? NUMERIC : ORDERED).has(path.kind)) {
      throw new QueryError(spec.field, 'not_aggregatable', `${spec.fn} cannot be applied to ${spec.field}`);
    }
    if (spec.fn === 'percentile' && !(spec.p === undefined || (spec.p >= 0 && spec.p <= 1))) {
      throw new QueryError(name, 'invalid_percentile', 'p is between 0 and 1');
    }
    const converted = this.converted(spec, path);
    const numeric = path.kind === 'integer' || path.kind === 'decimal';
    const type = converted ? 'money'
      : spec.fn === 'percentile' ? 'number'
        : path.kind === 'integer' && spec.fn !== 'avg' ? 'integer' : numeric ? 'decimal' : path.kind;
    return { name, spec, input: converted ?? path.expr, type };
  }

  /** Montant converti dans la devise de l'analyse, ou rien (champ sans devise, ou pas de conversion demandée). */
  private converted(spec: AnalyticsMeasure, path: ResolvedPath): RawBuilder<unknown> | undefined {
    const currencyPath = spec.currencyField ?? (path.fieldType === 'money' && !spec.field!.endsWith('.amount') ? `${spec.field}.currency` : undefined);
    if (!currencyPath) return undefined;
    const rates = this.input.rates;
    if (!rates) {
      this.needsRates = true;
      return undefined;
    }
    const currency = this.resolver.resolve(currencyPath);
    if (currency.kind !== 'string') throw new QueryError(currencyPath, 'not_currency', `${currencyPath} does not hold a currency code`);
    const { alias, expr } = this.rateJoin(currencyPath, currency.expr, rates);
    const rate = sql`CASE WHEN ${expr} = ${rates.target} THEN 1::numeric ELSE ${sql.ref(`${alias}.rate`)} END`;
    return sql`(${path.expr} * ${rate})`;
  }

  private rateJoin(key: string, currency: RawBuilder<unknown>, rates: RateTable) {
    const known = this.currencyExprs.get(key);
    if (known) return known;
    const alias = `fx${this.currencyExprs.size}`;
    const entry = { alias, expr: currency };
    this.currencyExprs.set(key, entry);
    const table = sql.raw(alias);
    if (rates.days) {
      const day = this.rateDay();
      this.rateJoins.push(sql` LEFT JOIN unnest(${rates.codes}::text[], ${rates.days}::date[], ${rates.rates}::numeric[]) AS ${table}(code, day, rate) ON ${sql.ref(`${alias}.code`)} = ${currency} AND ${sql.ref(`${alias}.day`)} = ${day}`);
    } else {
      this.rateJoins.push(sql` LEFT JOIN unnest(${rates.codes}::text[], ${rates.rates}::numeric[]) AS ${table}(code, rate) ON ${sql.ref(`${alias}.code`)} = ${currency}`);
    }
    this.missingRates.push(sql`(${currency} IS NOT NULL AND ${currency} <> ${rates.target} AND ${sql.ref(`${alias}.rate`)} IS NULL)`);
    return entry;
  }

  /** Jour de l'enregistrement pour le taux : date, ou date-heure lue dans le fuseau de l'analyse. */
  private rateDay(): RawBuilder<unknown> {
    const field = this.input.rateDateField!;
    const path = this.resolver.resolve(field);
    if (!TEMPORAL.has(path.kind)) throw new QueryError(field, 'not_temporal', `${field} is not a date or date-time field`);
    return path.kind === 'date' ? path.expr : sql`(${path.expr} AT TIME ZONE ${this.input.periods.timeZone})::date`;
  }

  /** Chemin résolu d'un champ de la requête (période analysée). */
  resolve(field: string): ResolvedPath {
    return this.resolver.resolve(field);
  }

  private from(): RawBuilder<unknown> {
    return sql`${fromChain(this.input.model)}${this.resolver.joinSql()}${sql.join(this.rateJoins, sql``)}`;
  }

  private where(extra: RawBuilder<unknown>[]): RawBuilder<unknown> {
    return sql.join([...this.conditions, ...extra], sql` AND `);
  }

  /**
   * Lignes de la requête intérieure : dimensions `g…` (la première remplacée par sa valeur ou NULL pour « autres »
   * quand un top N est demandé, `__other` vrai pour celles-ci), valeurs mesurées `v…`, `__miss` (montant sans taux).
   * L'agrégation se fait dehors, sur ces noms : PostgreSQL ne reconnaît pas une expression paramétrée répétée dans
   * GROUPING SETS.
   */
  private rows(extra: RawBuilder<unknown>[], top?: { keys: unknown[] }): RawBuilder<unknown> {
    const dims = this.dimensions.map((d, i) => sql`${i === 0 && top ? topKeySql(d.expr, top.keys) : d.expr} AS ${sql.ref(`g${i}`)}`);
    const other = top ? [sql`NOT ${inTop(this.dimensions[0]!.expr, top.keys)} AS __other`] : [];
    const inputs = this.measures.flatMap((m, i) => (m.input ? [sql`${m.input} AS ${sql.ref(`v${i}`)}`] : []));
    const miss = this.missingRates.length ? sql`(${sql.join(this.missingRates, sql` OR `)})` : sql`FALSE`;
    return sql`SELECT ${sql.join([...dims, ...other, ...inputs, sql`${miss} AS __miss`])} FROM ${this.from()} WHERE ${this.where(extra)}`;
  }

  private aggregate(i: number): RawBuilder<unknown> {
    const m = this.measures[i]!;
    const v = sql.ref(`r.v${i}`);
    switch (m.spec.fn) {
      case 'count': return m.input ? sql`count(${v})` : sql`count(*)`;
      case 'countDistinct': return sql`count(DISTINCT ${v})`;
      case 'percentile': return sql`percentile_cont(${m.spec.p ?? 0.5}::float8) WITHIN GROUP (ORDER BY (${v})::float8)`;
      default: return sql`${sql.raw(m.spec.fn)}(${v})`;
    }
  }

  /** Groupes et total général (GROUPING SETS) : `__total` vrai sur la ligne des totaux, `__missing` = montants sans taux. */
  select(options: { extra?: RawBuilder<unknown>[]; top?: { keys: unknown[] }; order: RawBuilder<unknown>; limit: number }): RawBuilder<unknown> {
    const groupRefs = [...this.dimensions.map((_, i) => sql.ref(`g${i}`)), ...(options.top ? [sql.ref('__other')] : [])];
    const measures = this.measures.map((_, i) => sql`${this.aggregate(i)} AS ${sql.ref(`m${i}`)}`);
    const grouping = groupRefs.length ? sql` GROUP BY GROUPING SETS ((${sql.join(groupRefs)}), ())` : sql``;
    const total = groupRefs.length ? sql`GROUPING(${sql.join(groupRefs)}) <> 0` : sql`TRUE`;
    return sql`SELECT ${sql.join([...groupRefs, ...measures])}, ${total} AS __total, count(*) FILTER (WHERE __miss)::int AS __missing
      FROM (${this.rows(options.extra ?? [], options.top)}) AS r${grouping}
      ORDER BY __total DESC${options.top ? sql`, __other` : sql``}, ${options.order} LIMIT ${options.limit}`;
  }

  /** Les N premières valeurs de la première dimension selon une mesure (top N), en texte. */
  topKeys(measure: number, desc: boolean, limit: number, extra: RawBuilder<unknown>[] = []): RawBuilder<unknown> {
    return sql`SELECT (r.g0)::text AS g0 FROM (${this.rows(extra)}) AS r
      GROUP BY r.g0 ORDER BY ${this.aggregate(measure)} ${sql.raw(desc ? 'DESC' : 'ASC')} NULLS LAST, 1 LIMIT ${limit}`;
  }

  /** Un enregistrement dont le montant n'a pas de taux : devise et jour, pour le message. */
  missingRateExample(extra: RawBuilder<unknown>[]): RawBuilder<unknown> {
    const currencies = [...this.currencyExprs.values()];
    const day = this.input.rates?.days ? sql`(${this.rateDay()})::text` : sql`NULL::text`;
    const currency = currencies.length > 1 ? sql`coalesce(${sql.join(currencies.map((c) => c.expr))})` : currencies[0]!.expr;
    return sql`SELECT ${currency} AS currency, ${day} AS day FROM ${this.from()}
      WHERE ${this.where([...extra, sql`(${sql.join(this.missingRates, sql` OR `)})`])} LIMIT 1`;
  }

  period(field: string, from: string, to: string): RawBuilder<unknown> {
    const path = this.resolver.resolve(field);
    if (!TEMPORAL.has(path.kind)) throw new QueryError('period.field', 'not_temporal', `${field} is not a date or date-time field`);
    return periodSql(path, from, to, this.input.periods);
  }
}

/** Valeur (en texte) d'un groupe du top N, NULL pour les autres (un NULL du top se distingue par __other). */
function topKeySql(expr: RawBuilder<unknown>, keys: unknown[]): RawBuilder<unknown> {
  return sql`CASE WHEN ${inTop(expr, keys)} THEN (${expr})::text END`;
}

function inTop(expr: RawBuilder<unknown>, keys: unknown[]): RawBuilder<unknown> {
  const values = keys.filter((k) => k !== null).map(String);
  const nullKept = keys.includes(null) ? sql` OR ${expr} IS NULL` : sql``;
  return sql`coalesce((${expr})::text = ANY(${values}::text[])${nullKept}, FALSE)`;
}
