// Analyse : mesures et dimensions sur toute entité lisible, avec les droits de l'appelant (permissions, règles
// d'enregistrements, champs masqués), périodes dans son fuseau, exercice de sa société, comparaisons, top N, tableau
// croisé et montants convertis.
import type { AnalyticsQuery, AnalyticsQueryInput, DashboardFilters } from '@opsflux/sdk';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_FILTERS_SCHEMA } from '../../analytics/entity-rules.js';
import { ANALYTICS_QUERY_SCHEMA, isoDate } from '../../analytics/query-schema.js';
import { toPdf, toXlsx } from '../../analytics/reports/render.js';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AnalyticsRouteDeps = Pick<PlatformServices, 'analytics' | 'dashboards'>;

const values = { type: 'object', additionalProperties: true, description: 'by measure name: integers as numbers, decimals and amounts as exact text' };
const row = {
  type: 'object',
  additionalProperties: true,
  description: 'detailed (keys, values…) and flat: each dimension under its field name, each measure as a number under `count` or `<fn>_<field>`',
  properties: {
    keys: { type: 'object', additionalProperties: true },
    values,
    previous: values,
    change: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
    others: { type: 'boolean' },
    drill: { type: 'object', additionalProperties: true, description: 'JSON filter of the records of this row (open the list filtered)' },
  },
};

const RESULT = {
  type: 'object',
  properties: {
    entity: { type: 'string' },
    columns: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' }, role: { type: 'string', enum: ['dimension', 'measure'] }, type: { type: 'string' },
          label: { type: 'object', additionalProperties: { type: 'string' } }, ref: { type: 'string' },
        },
      },
    },
    rows: { type: 'array', items: row },
    totals: values,
    previousTotals: values,
    pivot: {
      type: 'object',
      properties: {
        rows: { type: 'array', items: { type: 'string' } },
        columns: { type: 'array', items: { type: 'string' } },
        columnKeys: { type: 'array', items: { type: 'object', additionalProperties: true } },
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: { keys: { type: 'object', additionalProperties: true }, cells: { type: 'array', items: { type: ['object', 'null'], additionalProperties: true } } },
          },
        },
      },
    },
    meta: {
      type: 'object',
      properties: {
        engine: { type: 'string', enum: ['postgres', 'duckdb'] }, timeZone: { type: 'string' }, currency: { type: ['string', 'null'] },
        comparedWith: { type: 'object', properties: { from: isoDate, to: isoDate } }, ms: { type: 'integer' },
      },
    },
  },
};

const schema = routeSchema({
  operationId: 'analyticsQuery', tags: ['analytics'],
  summary: 'Analyse the records of an entity: measures by dimensions, periods, comparisons, top N, pivot, converted amounts',
  description: 'Runs with the caller’s rights exactly as the record lists: the entity must be readable, record rules restrict the rows, '
    + 'hidden fields can be neither measured, grouped nor filtered. Periods are cut in the caller’s time zone (or `timeZone`); fiscal '
    + 'periods follow the fiscal year of the caller’s current company (or `company`). Money fields (and decimals with a `currencyField`) '
    + 'are converted into `currency.code` (default: the tenant’s base currency) at a fixed date or at each record’s date. More groups than '
    + 'the setting analytics.maxGroups are refused with 422.',
  body: ANALYTICS_QUERY_SCHEMA,
  responses: {
    200: {
      description: 'Columns (labels in French and English), rows, totals over all filtered records, pivot and comparison when asked',
      ...json(RESULT),
    },
    ...problems(400, 403, 404, 422),
  },
});

const dashboardSchema = routeSchema({
  operationId: 'dashboardData', tags: ['analytics'],
  summary: 'Data of every widget of a dashboard in one call, with the global filters (period, company, site)',
  description: 'Each widget query runs with the caller’s rights, the dashboard’s global filters (or those given) merged into it: the period '
    + 'applies to the widget’s date field, the company and site to entities that carry them. A widget whose query no longer holds returns '
    + 'its problem; the others are answered.',
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
  body: { type: 'object', additionalProperties: false, properties: { filters: DASHBOARD_FILTERS_SCHEMA } },
  responses: {
    200: {
      description: 'Filters applied, and per widget id its result or its problem',
      ...json({
        type: 'object',
        properties: {
          filters: { type: 'object', additionalProperties: true },
          widgets: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                result: RESULT, problem: { type: 'object', additionalProperties: true },
                forecast: {
                  type: 'object', description: 'forecast of a series widget (local Holt-Winters), with bounds',
                  properties: {
                    points: { type: 'array', items: { type: 'object', properties: { t: isoDate, value: { type: 'number' }, lower: { type: 'number' }, upper: { type: 'number' } } } },
                    model: { type: 'string' }, mape: { type: ['number', 'null'] },
                  },
                },
                forecastProblem: { type: 'object', additionalProperties: true },
              },
            },
          },
        },
      }),
    },
    ...problems(400, 403, 404),
  },
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const file = (description: string) => ({ 200: { description, content: { [XLSX]: { schema: { type: 'string', format: 'binary' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } });

const exportSchema = routeSchema({
  operationId: 'analyticsExport', tags: ['analytics'],
  summary: 'Download an analysis as an Excel workbook or a PDF table (a widget’s data)',
  body: {
    type: 'object', additionalProperties: false, required: ['query'],
    properties: { query: ANALYTICS_QUERY_SCHEMA, format: { type: 'string', enum: ['xlsx', 'pdf'], default: 'xlsx' }, title: { type: 'string', minLength: 1, maxLength: 200 } },
  },
  responses: { ...file('The analysis: header, rows, a total row'), ...problems(400, 403, 404, 422) },
});

const dashboardPdfSchema = routeSchema({
  operationId: 'dashboardPdf', tags: ['analytics'],
  summary: 'Download a dashboard as a PDF: one table per widget, with its global filters',
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
  responses: { ...file('The dashboard'), ...problems(403, 404) },
});

/** Nom de fichier sûr pour Content-Disposition. */
const fileName = (name: string, extension: string) => `${name.replace(/[^\w .-]+/g, '_').slice(0, 100) || 'analysis'}.${extension}`;

export function registerAnalyticsRoutes(app: FastifyInstance, deps: AnalyticsRouteDeps): void {
  app.post<{ Body: { query: AnalyticsQuery; format?: 'xlsx' | 'pdf'; title?: string } }>('/api/v1/analytics/export', { schema: exportSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const { query, format = 'xlsx', title = query.entity } = request.body;
    const result = await deps.analytics.query(ctx, query);
    const body = format === 'pdf' ? await toPdf(result, title, ctx.locale) : await toXlsx(result, title, ctx.locale);
    return reply.header('Content-Disposition', `attachment; filename="${fileName(title, format)}"`).type(format === 'pdf' ? 'application/pdf' : XLSX).send(body);
  });

  app.get<{ Params: { id: string } }>('/api/v1/analytics/dashboards/:id/export', { schema: dashboardPdfSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const { name, file: body } = await deps.dashboards.pdf(ctx, request.params.id);
    return reply.header('Content-Disposition', `attachment; filename="${fileName(name, 'pdf')}"`).type('application/pdf').send(body);
  });

  app.post<{ Body: AnalyticsQueryInput }>('/api/v1/analytics/query', { schema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.analytics.query(ctx, request.body);
  });

  app.post<{ Params: { id: string }; Body: { filters?: DashboardFilters } }>('/api/v1/analytics/dashboards/:id/data', { schema: dashboardSchema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.dashboards.run(ctx, request.params.id, request.body?.filters);
  });
}
