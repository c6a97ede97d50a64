// Prévisions locales (sans fournisseur) : série d'une entité agrégée par période avec les droits de l'appelant, ou
// série fournie ; points prévus avec leur bande de confiance, modèle retenu et erreur rétrospective (MAPE).
import type { FastifyInstance } from 'fastify';
import { FORECAST_BUCKETS } from '../../ai/local/forecast/buckets.js';
import { CONFIDENCE_LEVELS } from '../../ai/local/forecast/forecast.js';
import type { ForecastRequest } from '../../ai/local/forecast/service.js';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiForecastRouteDeps = Pick<PlatformServices, 'forecasts'>;

/** Valeurs d'une série fournie au plus. */
export const MAX_SERIES_POINTS = 5000;

const point = { type: 'object', properties: { t: { type: 'string', format: 'date' }, value: { type: 'number' } } };

const schema = routeSchema({
  operationId: 'forecastSeries', tags: ['ai'],
  summary: 'Forecast a numeric series (records of an entity aggregated by period, or a given series) with confidence bounds and a backtested error',
  description: 'Runs locally (Holt-Winters exponential smoothing, no AI provider). With an entity, the series is built with the caller’s rights '
    + '(permissions, record rules, hidden fields); empty periods count 0 for count and sum and repeat the previous value for avg; the current, '
    + 'incomplete period is left out of count and sum. Too short a series (setting ai.local.forecast.minPoints) is refused with 422.',
  body: {
    type: 'object', additionalProperties: false, required: ['bucket', 'horizon'],
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
      dateField: { type: 'string', minLength: 1, maxLength: 200, description: 'date or date-time field (dotted path allowed)' },
      measure: {
        type: 'object', additionalProperties: false, required: ['fn'],
        properties: { fn: { type: 'string', enum: ['count', 'sum', 'avg'] }, field: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      filter: { description: 'JSON filter, as in the record lists' },
      series: {
        type: 'array', maxItems: MAX_SERIES_POINTS,
        items: { type: 'object', additionalProperties: false, required: ['t', 'value'], properties: { t: { type: 'string', format: 'date' }, value: { type: 'number' } } },
      },
      bucket: { type: 'string', enum: [...FORECAST_BUCKETS] },
      horizon: { type: 'integer', minimum: 1, maximum: 366 },
      confidence: { type: 'number', enum: [...CONFIDENCE_LEVELS], default: 0.95 },
    },
  },
  responses: {
    200: {
      description: 'History, forecast points with lower and upper bounds, the model chosen and its rolling-origin MAPE (percent)',
      ...json({
        type: 'object',
        properties: {
          entity: { type: ['string', 'null'] },
          bucket: { type: 'string' },
          confidence: { type: 'number' },
          history: { type: 'array', items: point },
          forecast: {
            type: 'array',
            items: { type: 'object', properties: { t: { type: 'string', format: 'date' }, value: { type: 'number' }, lower: { type: 'number' }, upper: { type: 'number' } } },
          },
          model: { type: 'object', properties: { name: { type: 'string' }, params: { type: 'object', additionalProperties: true } } },
          backtest: { type: 'object', properties: { mape: { type: ['number', 'null'] }, origins: { type: 'integer' }, points: { type: 'integer' } } },
        },
      }),
    },
    ...problems(400, 404, 422),
  },
});

export function registerAiForecastRoutes(app: FastifyInstance, deps: AiForecastRouteDeps): void {
  app.post<{ Body: ForecastRequest }>('/api/v1/ai/forecasts', { schema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.forecasts.forecast(ctx, request.body);
  });
}
