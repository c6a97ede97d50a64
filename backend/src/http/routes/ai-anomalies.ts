// Anomalies détectées localement sur les champs numériques surveillés : celles d'une fiche (badge) ou la liste de
// celles que l'appelant peut voir ; tout est lu avec ses droits (entité, règles d'enregistrements, champs masqués).
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { validationFailed } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiAnomalyRouteDeps = Pick<PlatformServices, 'anomalies'>;

interface AnomalyQuery {
  entity?: string;
  recordId?: string;
  limit?: number;
}

const fieldAnomaly = {
  type: 'object',
  properties: {
    field: { type: 'string' }, value: { type: 'number' }, typical: { type: 'number' },
    ratio: { type: ['number', 'null'], description: 'value / typical value' }, z: { type: 'number', description: 'robust z-score' },
  },
};

const schema = routeSchema({
  operationId: 'listAnomalies', tags: ['ai'],
  summary: 'Unusual values found on the watched numeric fields (setting ai.local.anomaly.watch): those of one record, or all those the caller may see',
  description: 'With entity and recordId: the record must be readable by the caller (404 otherwise) and only the fields they see are returned. '
    + 'Without recordId: the newest anomalies of the records the caller may read (optionally of one entity).',
  querystring: {
    type: 'object', additionalProperties: false,
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
      recordId: uuidString,
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    },
  },
  responses: {
    200: {
      description: 'Anomalies, newest first',
      ...json({
        type: 'object',
        properties: {
          data: {
            type: 'array',
            items: {
              type: 'object',
              properties: { entity: { type: 'string' }, recordId: { type: 'string', format: 'uuid' }, detectedAt: { type: 'string', format: 'date-time' }, fields: { type: 'array', items: fieldAnomaly } },
            },
          },
        },
      }),
    },
    ...problems(400, 404),
  },
});

export function registerAiAnomalyRoutes(app: FastifyInstance, deps: AiAnomalyRouteDeps): void {
  app.get<{ Querystring: AnomalyQuery }>('/api/v1/ai/anomalies', { schema }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, recordId, limit } = request.query;
    if (recordId) {
      if (!entity) throw validationFailed([{ field: 'entity', code: 'required', message: message(ctx.locale, 'required') }]);
      const fields = await deps.anomalies.forRecord(ctx, entity, recordId.toLowerCase());
      return { data: fields.length ? [{ entity, recordId: recordId.toLowerCase(), fields }] : [] };
    }
    return { data: await deps.anomalies.find(ctx, { entity, limit }) };
  });
}
