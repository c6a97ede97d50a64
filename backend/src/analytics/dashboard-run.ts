// Données d'un tableau de bord en un appel : chaque widget analysé avec les droits de l'appelant, les filtres globaux
// (période, société, site) fondus dans sa requête. Un widget en erreur (champ supprimé, droit retiré) renvoie son
// problème sans empêcher les autres de s'afficher.
import type { AnalyticsQuery, AnalyticsResult, DashboardFilters, WidgetData } from '@opsflux/sdk';
import type { RequestContext } from '../engine/context.js';
import type { RecordService } from '../engine/crud/service.js';
import { toProblem } from '../engine/errors.js';
import { problemBody } from '../errors/problem.js';
import type { Catalog } from '../engine/registry.js';
import type { CatalogFor, TenantTx } from '../engine/tenant-work.js';
import { FORECAST_BUCKETS, nextBucket, type ForecastBucket } from '../ai/local/forecast/buckets.js';
import type { ForecastService } from '../ai/local/forecast/service.js';
import { toPdfSections } from './reports/render.js';
import type { AnalyticsService } from './service.js';

export interface DashboardWidget {
  id: string;
  type: string;
  title?: { en?: string; fr?: string };
  query?: AnalyticsQuery;
  dateField?: string;
  /** périodes de prévision ajoutées à une série */
  forecast?: number;
}

export interface DashboardRunDeps {
  analytics: AnalyticsService;
  forecasts: Pick<ForecastService, 'forecast'>;
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
}

/** Requête d'un widget sous les filtres globaux : période sur son champ date, société et site si l'entité les porte. */
export function widgetQuery(widget: DashboardWidget, filters: DashboardFilters, catalog: Catalog): AnalyticsQuery | undefined {
  const query = widget.query;
  if (!query) return undefined;
  const model = catalog.get(query.entity);
  const scoped: unknown[] = [];
  if (filters.companyId && model?.byName.has('companyId')) scoped.push({ companyId: { eq: filters.companyId } });
  if (filters.siteId && model?.byName.has('siteId')) scoped.push({ siteId: { eq: filters.siteId } });
  const filter = scoped.length ? { and: [...(query.filter ? [query.filter] : []), ...scoped] } : query.filter;
  const field = widget.dateField ?? query.period?.field;
  const period = filters.period && field && (filters.period.preset || (filters.period.from && filters.period.to))
    ? (filters.period.preset ? { field, preset: filters.period.preset } : { field, from: filters.period.from, to: filters.period.to })
    : query.period;
  return { ...query, ...(filter === undefined ? {} : { filter }), ...(period ? { period } : {}) };
}

export class DashboardRunner {
  constructor(private readonly deps: DashboardRunDeps) {}

  /** Données de tous les widgets du tableau de bord (lisible par l'appelant), filtres donnés ou ceux du tableau. */
  async run(ctx: RequestContext, id: string, override?: DashboardFilters): Promise<{ filters: DashboardFilters; widgets: Record<string, WidgetData> }> {
    const { filters, answers } = await this.compute(ctx, id, override);
    return { filters, widgets: Object.fromEntries(answers.map(({ widget, data }) => [widget.id, data])) };
  }

  /** Le tableau de bord en PDF : un tableau par widget qui a répondu, sous son titre dans la langue de l'appelant. */
  async pdf(ctx: RequestContext, id: string, override?: DashboardFilters): Promise<{ name: string; file: Buffer }> {
    const { dashboard, answers } = await this.compute(ctx, id, override);
    const sections = answers.flatMap(({ widget, data }) => ('result' in data
      ? [{ title: widget.title?.[ctx.locale] ?? widget.title?.en ?? widget.id, result: data.result }] : []));
    const name = String(dashboard.name);
    return { name, file: await toPdfSections(name, sections, ctx.locale) };
  }

  private async compute(ctx: RequestContext, id: string, override?: DashboardFilters) {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, 'dashboard', 'read');
    const dashboard = await this.deps.tenantTx(ctx, (trx) => this.deps.records.get(trx, ctx, catalog, model, id));
    const widgets = (dashboard.widgets ?? []) as DashboardWidget[];
    const filters = override ?? ((dashboard.filters ?? {}) as DashboardFilters);
    const answers = await Promise.all(widgets.map(async (widget) => {
      const query = widgetQuery(widget, filters, catalog);
      if (!query) return undefined;
      try {
        const result = await this.deps.analytics.query(ctx, query, catalog);
        return { widget, data: { result, ...(widget.forecast ? await this.forecast(ctx, widget.forecast, result) : {}) } as WidgetData };
      } catch (error) {
        const problem = toProblem(error, ctx.locale);
        if (!problem) throw error;
        return { widget, data: { problem: problemBody(problem) } as WidgetData };
      }
    }));
    return { dashboard, filters, answers: answers.filter((a) => a !== undefined) };
  }

  /**
   * Série d'un widget (une dimension de période, la première mesure) prolongée par la prévision locale ; les périodes
   * sans enregistrement comptent 0 pour un compte ou une somme. Une série trop courte donne son problème, pas d'erreur.
   */
  private async forecast(ctx: RequestContext, horizon: number, result: AnalyticsResult): Promise<Pick<Extract<WidgetData, { result: unknown }>, 'forecast' | 'forecastProblem'>> {
    const dims = result.columns.filter((c) => c.role === 'dimension');
    const measure = result.columns.find((c) => c.role === 'measure');
    const bucket = seriesBucket(result);
    if (dims.length !== 1 || !measure || !bucket) return {};
    const known = new Map(result.rows.flatMap((r) => (typeof r.keys[dims[0]!.name] === 'string' ? [[r.keys[dims[0]!.name] as string, Number(r.values[measure.name] ?? 0)]] : [])));
    const starts = [...known.keys()].sort();
    const series: Array<{ t: string; value: number }> = [];
    for (let t = starts[0]; t && t <= starts.at(-1)!; t = nextBucket(t, bucket)) series.push({ t, value: known.get(t) ?? 0 });
    try {
      const forecast = await this.deps.forecasts.forecast(ctx, { series, bucket, horizon });
      return { forecast: { points: forecast.forecast, model: forecast.model.name, mape: forecast.backtest.mape } };
    } catch (error) {
      const problem = toProblem(error, ctx.locale);
      if (!problem) throw error;
      return { forecastProblem: problemBody(problem) };
    }
  }
}

/** Période de la série d'un résultat, si c'est une période que la prévision connaît. */
function seriesBucket(result: AnalyticsResult): ForecastBucket | undefined {
  const name = result.columns.find((c) => c.role === 'dimension')?.name ?? '';
  const bucket = name.slice(name.lastIndexOf(':') + 1);
  return (FORECAST_BUCKETS as readonly string[]).includes(bucket) ? (bucket as ForecastBucket) : undefined;
}
