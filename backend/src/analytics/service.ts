// Service d'analyse : contrôle la requête, lit le fuseau et l'exercice de l'appelant, charge les taux quand des
// montants sont convertis, exécute le plan (top N, période, comparaison) dans la transaction du tenant avec les
// droits de l'appelant, puis met le résultat en forme. Le moteur est PostgreSQL (la même base que les listes).
import type { AnalyticsQuery, AnalyticsQueryInput, AnalyticsResult } from '@opsflux/sdk';
import { sql, type RawBuilder } from 'kysely';
import type { Settings } from '../config/settings.js';
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';
import type { RecordService } from '../engine/crud/service.js';
import type { Catalog } from '../engine/registry.js';
import type { CatalogFor, TenantTx } from '../engine/tenant-work.js';
import { FieldProblems, validDate } from '../errors/field-problems.js';
import { ProblemError } from '../errors/problem.js';
import { conversionPolicy, type ConversionPolicy } from '../services/reference/currency-conversion.js';
import { message } from '../text/messages.js';
import { AnalyticsPlan, dimensionNameOf, measureNameOf } from './compile.js';
import { fromContract, withFlatRows } from './contract.js';
import { drillFilter } from './drill.js';
import { dailyRates, fixedRates, type RateTable } from './fx.js';
import { columnsOf } from './labels.js';
import { addShift, comparisonShift, presetRange, todayIn, type PeriodContext } from './periods.js';
import { attachComparison, pivotRows, shapeRows } from './shape.js';

export interface AnalyticsDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  settings: Pick<Settings, 'value'>;
}

interface Caller {
  timeZone: string;
  company: string | null;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class AnalyticsService {
  constructor(private readonly deps: AnalyticsDeps) {}

  async query(ctx: RequestContext, input: AnalyticsQueryInput, catalog?: Catalog): Promise<AnalyticsResult> {
    const started = performance.now();
    const query = fromContract(input);
    this.check(ctx, query);
    const seen = catalog ?? (await this.deps.catalogFor(ctx));
    const model = this.deps.records.entity(ctx, seen, query.entity, 'read');
    const audience = { tenantId: ctx.tenantId };
    const maxGroups = await this.deps.settings.value<number>('analytics.maxGroups', audience);
    return this.deps.tenantTx(ctx, async (trx) => {
      const periods = await this.periodContext(trx, ctx, query);
      const range = query.period && (query.period.preset ? presetRange(query.period.preset, todayIn(periods.timeZone)) : { from: query.period.from!, to: query.period.to! });
      const scope = this.deps.records.readScope(ctx, model);
      const planInput = { model, catalog: seen, query, periods, ...scope };
      let plan = new AnalyticsPlan(planInput);
      let rates: RateTable | undefined;
      let policy: ConversionPolicy | undefined;
      if (plan.needsRates) {
        policy = await conversionPolicy(this.deps.settings as Settings, audience, trx);
        const rateDateField = query.currency?.date === 'record' ? (query.currency.dateField ?? query.period?.field) : undefined;
        rates = await this.rates(trx, query, policy, range, rateDateField);
        plan = new AnalyticsPlan({ ...planInput, rates, rateDateField });
      }
      const shift = query.compare && range ? comparisonShift(range.from, range.to, query.compare) : undefined;
      const previousPeriod = shift && range ? { from: addShift(range.from, shift, -1), to: addShift(range.to, shift, -1) } : undefined;
      const periodFilter = (r?: { from: string; to: string }) => (r && query.period ? [plan.period(query.period.field, r.from, r.to)] : []);
      const currentFilter = periodFilter(range);
      const top = query.top ? { keys: await this.topKeys(trx, plan, query, currentFilter) } : undefined;
      const run = (extra: RawBuilder<unknown>[]) => this.run(trx, ctx, plan, query, extra, top, maxGroups, rates);
      const shapeOptions = { minorUnits: rates?.minorUnits, rounding: policy?.rounding };
      const current = shapeRows(await run(currentFilter), plan.dimensions, plan.measures, shapeOptions, query.others === true);
      const drill = { query, dimensions: plan.dimensions, timeZone: periods.timeZone, period: range && { field: query.period!.field, kind: plan.resolve(query.period!.field).kind, ...range } };
      for (const row of current.rows) {
        const filter = drillFilter(row, drill);
        if (filter) row.drill = filter;
      }
      let previousTotals: Record<string, unknown> | undefined;
      if (shift && previousPeriod) {
        const previous = shapeRows(await run(periodFilter(previousPeriod)), plan.dimensions, plan.measures, shapeOptions, query.others === true);
        const periodDimensions = plan.dimensions.filter((d) => d.spec.bucket && d.spec.field === query.period!.field);
        attachComparison(current, previous, plan.measures, { shift, periodDimensions, fiscalStartMonth: periods.fiscalStartMonth });
        previousTotals = previous.totals;
      }
      return withFlatRows({
        entity: model.name,
        columns: columnsOf(model, seen, plan.dimensions, plan.measures),
        rows: current.rows,
        totals: current.totals,
        ...(previousTotals ? { previousTotals } : {}),
        ...(query.pivot ? { pivot: pivotRows(current.rows, plan.dimensions, query.pivot.columns) } : {}),
        meta: {
          engine: 'postgres',
          timeZone: periods.timeZone,
          currency: rates?.target ?? null,
          ...(range ? { period: range } : {}),
          ...(previousPeriod ? { comparedWith: previousPeriod } : {}),
          ms: Math.round(performance.now() - started),
        },
      }, query, input.limit);
    });
  }

  /** Contrôles qui ne tiennent pas dans le schéma JSON : noms, période, fuseau, dimensions requises. */
  private check(ctx: RequestContext, query: AnalyticsQuery): void {
    const problems = new FieldProblems(ctx.locale);
    query.measures.forEach((m, i) => {
      if (!m.fn) problems.add(`measures[${i}].fn`, 'required');
    });
    const dims = (query.dimensions ?? []).map(dimensionNameOf);
    const names = new Set([...dims, ...query.measures.map(measureNameOf)]);
    for (const [i, s] of (query.sort ?? []).entries()) if (!names.has(s.by)) problems.add(`sort[${i}].by`, 'analytics_unknown_name', { name: s.by });
    for (const [i, c] of (query.pivot?.columns ?? []).entries()) if (!dims.includes(c)) problems.add(`pivot.columns[${i}]`, 'analytics_unknown_name', { name: c });
    if ((query.top || query.pivot) && dims.length === 0) problems.add(query.top ? 'top' : 'pivot', 'analytics_needs_dimension');
    if (query.compare && !query.period) problems.add('compare', 'analytics_needs_period');
    const period = query.period;
    if (period && !period.preset) {
      for (const key of ['from', 'to'] as const) if (!period[key] || !validDate(period[key])) problems.add(`period.${key}`, 'invalid_date');
      if (period.from && period.to && validDate(period.from) && validDate(period.to) && period.to < period.from) problems.add('period.to', 'analytics_bad_period');
    }
    if (period?.preset && (period.from || period.to)) problems.add('period.preset', 'analytics_preset_or_dates');
    const rateDate = query.currency?.date;
    if (rateDate && rateDate !== 'record' && !validDate(rateDate)) problems.add('currency.date', 'invalid_date');
    if (rateDate === 'record' && !query.currency?.dateField && !query.period) problems.add('currency.dateField', 'analytics_rate_date');
    if (query.timeZone && !validTimeZone(query.timeZone)) problems.add('timeZone', 'invalid_time_zone');
    problems.check();
  }

  /** Fuseau (requête, sinon utilisateur, sinon UTC) et mois de début d'exercice (société demandée, sinon courante). */
  private async periodContext(trx: Tx, ctx: RequestContext, query: AnalyticsQuery): Promise<PeriodContext> {
    const caller = await this.caller(trx, ctx);
    const company = query.company ?? caller.company;
    let fiscalStartMonth = 1;
    if (company) {
      const { rows } = await sql<{ month: number | null }>`
        SELECT fiscal_year_start_month AS month FROM company WHERE id = ${company}::uuid AND deleted_at IS NULL`.execute(trx);
      if (!rows[0] && query.company) throw new ProblemError(422, 'unknown_company', `No company ${query.company}`);
      fiscalStartMonth = rows[0]?.month ?? 1;
    }
    return { timeZone: query.timeZone ?? caller.timeZone, fiscalStartMonth };
  }

  private async caller(trx: Tx, ctx: RequestContext): Promise<Caller> {
    if (!ctx.userId) return { timeZone: 'UTC', company: null };
    const { rows } = await sql<{ timezone: string | null; company: string | null }>`
      SELECT timezone, current_company AS company FROM app_user WHERE id = ${ctx.userId}::uuid`.execute(trx);
    const zone = rows[0]?.timezone;
    return { timeZone: zone && validTimeZone(zone) ? zone : 'UTC', company: rows[0]?.company ?? null };
  }

  private async rates(
    trx: Tx, query: AnalyticsQuery, policy: ConversionPolicy, range: { from: string; to: string } | undefined, rateDateField?: string,
  ): Promise<RateTable> {
    const target = query.currency?.code ?? policy.base;
    const today = new Date().toISOString().slice(0, 10);
    if (!rateDateField) return fixedRates(trx, target, query.currency?.date ?? today, policy);
    if (!range) return dailyRates(trx, target, undefined, today, policy);
    const shift = query.compare ? comparisonShift(range.from, range.to, query.compare) : undefined;
    return dailyRates(trx, target, shift ? addShift(range.from, shift, -1) : range.from, range.to, policy);
  }

  private async topKeys(trx: Tx, plan: AnalyticsPlan, query: AnalyticsQuery, extra: RawBuilder<unknown>[]): Promise<unknown[]> {
    const byMeasure = (query.sort ?? []).map((s) => ({ index: plan.measures.findIndex((m) => m.name === s.by), desc: s.desc ?? false })).find((s) => s.index >= 0);
    const rank = byMeasure ?? { index: 0, desc: true };
    const { rows } = await plan.topKeys(rank.index, rank.desc, query.top!, extra).execute(trx);
    return rows.map((r) => (r as { g0: unknown }).g0);
  }

  private async run(
    trx: Tx, ctx: RequestContext, plan: AnalyticsPlan, query: AnalyticsQuery, extra: RawBuilder<unknown>[],
    top: { keys: unknown[] } | undefined, maxGroups: number, rates?: RateTable,
  ): Promise<Record<string, unknown>[]> {
    const { rows } = await plan.select({ extra, top, order: this.order(plan, query), limit: maxGroups + 2 }).execute(trx);
    const raw = rows as Record<string, unknown>[];
    if (raw.filter((r) => r.__total !== true).length > maxGroups) {
      throw new ProblemError(422, 'too_many_groups', message(ctx.locale, 'analytics_too_many_groups', { max: maxGroups }));
    }
    const missing = raw.find((r) => r.__total === true || plan.dimensions.length === 0)?.__missing;
    if (rates && Number(missing) > 0) {
      const { rows: example } = await plan.missingRateExample(extra).execute(trx);
      const { currency, day } = example[0] as { currency: string; day: string | null };
      const on = day ? (ctx.locale === 'fr' ? ` au ${day}` : ` on ${day}`) : '';
      throw new ProblemError(422, 'no_rate', message(ctx.locale, 'analytics_no_rate', { currency, target: rates.target, on }));
    }
    return raw;
  }

  /** Tri demandé, puis par défaut les périodes dans l'ordre du temps et la première mesure décroissante. */
  private order(plan: AnalyticsPlan, query: AnalyticsQuery): RawBuilder<unknown> {
    const alias = (name: string) => {
      const d = plan.dimensions.findIndex((x) => x.name === name);
      return d >= 0 ? `g${d}` : `m${plan.measures.findIndex((x) => x.name === name)}`;
    };
    const keys = (query.sort ?? []).map((s) => sql`${sql.ref(alias(s.by))} ${sql.raw(s.desc ? 'DESC' : 'ASC')} NULLS LAST`);
    plan.dimensions.forEach((d, i) => {
      if (d.spec.bucket) keys.push(sql`${sql.ref(`g${i}`)} ASC`);
    });
    keys.push(sql`m0 DESC NULLS LAST`);
    plan.dimensions.forEach((_, i) => keys.push(sql`${sql.ref(`g${i}`)} ASC NULLS LAST`));
    return sql.join(keys);
  }
}
