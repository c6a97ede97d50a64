// Service des prévisions : série d'une entité (agrégat du moteur, comme l'utilisateur) ou série fournie, contrôles
// (longueur minimale, horizon maximal), puis prévision locale. Un fournisseur d'IA n'est jamais appelé.
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { Measure } from '../../../engine/query/aggregate.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor } from '../../../engine/tenant-work.js';
import { ProblemError, validationFailed } from '../../../errors/problem.js';
import { message } from '../../../text/messages.js';
import { bucketStart, nextBucket, SEASON, type ForecastBucket } from './buckets.js';
import { forecastValues, type ConfidenceLevel, type ForecastPoint, type SeriesForecast } from './forecast.js';
import { entitySeries, type SeriesDeps, type SeriesPoint } from './series.js';

export interface ForecastRequest {
  entity?: string;
  dateField?: string;
  measure?: Measure;
  filter?: unknown;
  /** série explicite (au lieu d'une entité), une valeur par période */
  series?: SeriesPoint[];
  bucket: ForecastBucket;
  horizon: number;
  confidence?: ConfidenceLevel;
}

export interface ForecastResult extends Omit<SeriesForecast, 'points'> {
  entity: string | null;
  bucket: ForecastBucket;
  confidence: ConfidenceLevel;
  history: SeriesPoint[];
  forecast: Array<ForecastPoint & { t: string }>;
}

export interface ForecastServiceDeps extends SeriesDeps {
  settings: Pick<Settings, 'value'>;
  catalogFor: CatalogFor;
}

export class ForecastService {
  constructor(private readonly deps: ForecastServiceDeps) {}

  async forecast(ctx: RequestContext, request: ForecastRequest, catalog?: Catalog): Promise<ForecastResult> {
    const audience = { tenantId: ctx.tenantId };
    const [minPoints, maxHorizon] = await Promise.all([
      this.deps.settings.value<number>('ai.local.forecast.minPoints', audience),
      this.deps.settings.value<number>('ai.local.forecast.maxHorizon', audience),
    ]);
    if (request.horizon > maxHorizon) {
      throw validationFailed([{ field: 'horizon', code: 'too_large', message: message(ctx.locale, 'too_large', { max: maxHorizon }) }]);
    }
    const history = await this.history(ctx, request, catalog);
    if (history.length < minPoints) {
      throw new ProblemError(422, 'series_too_short', message(ctx.locale, 'forecast_series_too_short', { points: history.length, min: minPoints }));
    }
    const confidence = request.confidence ?? 0.95;
    const result = forecastValues(history.map((p) => p.value), { horizon: request.horizon, season: SEASON[request.bucket], confidence });
    let t = history.at(-1)!.t;
    const forecast = result.points.map((p) => ({ t: (t = nextBucket(t, request.bucket)), ...p }));
    return { entity: request.entity ?? null, bucket: request.bucket, confidence, history, forecast, model: result.model, backtest: result.backtest };
  }

  private async history(ctx: RequestContext, request: ForecastRequest, catalog?: Catalog): Promise<SeriesPoint[]> {
    if (request.series) {
      if (request.entity) throw validationFailed([{ field: 'series', code: 'invalid_value', message: message(ctx.locale, 'forecast_series_or_entity') }]);
      // périodes ramenées à leur début et triées ; une période en double est refusée
      const points = request.series.map((p) => ({ t: bucketStart(p.t, request.bucket), value: p.value })).sort((a, b) => a.t.localeCompare(b.t));
      if (points.some((p, i) => i > 0 && p.t === points[i - 1]!.t)) {
        throw validationFailed([{ field: 'series', code: 'invalid_value', message: message(ctx.locale, 'forecast_duplicate_period') }]);
      }
      return points;
    }
    const missing = (['entity', 'dateField', 'measure'] as const).filter((k) => request[k] === undefined);
    if (missing.length) {
      throw validationFailed(missing.map((field) => ({ field, code: 'required', message: message(ctx.locale, 'forecast_series_or_entity') })));
    }
    return entitySeries(this.deps, ctx, catalog ?? (await this.deps.catalogFor(ctx)), {
      entity: request.entity!, dateField: request.dateField!, measure: request.measure!, filter: request.filter, bucket: request.bucket,
    });
  }
}
