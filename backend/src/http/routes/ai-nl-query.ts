// Question en langage naturel sur les données (français, anglais), sans modèle de langue : l'interprétation (entité,
// filtre JSON, tri, agrégat) et, sur demande, le résultat calculé avec les droits de l'appelant. Lecture seule.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiNlQueryRouteDeps = Pick<PlatformServices, 'nlQuery'>;

/** Longueur d'une question au plus (au-delà : 400). */
export const MAX_NL_QUESTION = 500;

interface NlQueryBody {
  question: string;
  entity?: string;
  execute?: boolean;
  timeZone?: string;
  limit?: number;
}

const MEASURE = { type: 'object', properties: { fn: { enum: ['count', 'sum', 'avg', 'min', 'max'] }, field: { type: 'string' } } };

const schema = routeSchema({
  operationId: 'askNaturalLanguageQuery', tags: ['ai'],
  summary: 'Turn a French or English question into a read query over the caller’s catalogue (entity, JSON filter, sort, aggregate), and optionally run it',
  description: 'Local parser, no language model and no network: entity and field names and labels, enum values, known values (cities, categories, tags), '
    + 'relative dates in the user’s time zone, comparisons, sorting, counts and group-by. Never builds a write: “delete …” is refused (understood: false). '
    + 'Conditions on related records (customers whose address is in Lyon) are returned in `related` and folded into `filter` as record ids. '
    + 'With execute, the query runs with the caller’s rights (permissions, field and record rules).',
  body: {
    type: 'object', additionalProperties: false, required: ['question'],
    properties: {
      question: { type: 'string', minLength: 1, maxLength: MAX_NL_QUESTION },
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'the list the user is on: the entity when the question names none' },
      execute: { type: 'boolean', default: false },
      timeZone: { type: 'string', maxLength: 64, description: 'IANA time zone for relative dates; default: the user’s profile' },
      limit: { type: 'integer', minimum: 1, maximum: 200, description: 'records returned at most with execute (default 20)' },
    },
  },
  responses: {
    200: {
      description: 'Interpretation (understood) or the reason it was not understood, with example questions',
      ...json({
        type: 'object',
        properties: {
          understood: { type: 'boolean' }, language: { enum: ['fr', 'en'] }, entity: { type: 'string' }, label: { type: 'string', description: 'entity label in the language of the question' },
          filter: { type: 'object', additionalProperties: true, description: 'JSON filter of the list API' },
          related: { type: 'array', items: { type: 'object', properties: { entity: { type: 'string' }, via: { type: 'string' }, filter: { type: 'object', additionalProperties: true } } } },
          sort: { type: 'string' }, limit: { type: 'integer' }, count: { type: 'boolean' },
          aggregate: { type: 'object', properties: { measures: { type: 'array', items: MEASURE }, groupBy: { type: 'array', items: { type: 'string' } } } },
          explanation: { type: 'string' }, confidence: { type: 'number' }, ignored: { type: 'array', items: { type: 'string' } },
          reason: { enum: ['empty', 'destructive', 'no_entity', 'not_understood'] }, suggestions: { type: 'array', items: { type: 'string' } },
          result: {
            type: 'object',
            properties: {
              total: { type: 'integer' }, display: { type: 'string' },
              records: { type: 'array', items: { type: 'object', additionalProperties: true } },
              groups: { type: 'array', items: { type: 'object', properties: { keys: { type: 'object', additionalProperties: true }, values: { type: 'object', additionalProperties: true } } } },
            },
          },
        },
      }),
    },
    ...problems(400, 403, 404, 429),
  },
});

export function registerAiNlQueryRoutes(app: FastifyInstance, deps: AiNlQueryRouteDeps): void {
  app.post<{ Body: NlQueryBody }>('/api/v1/ai/nl-query', { schema }, async (request) => {
    const ctx = requireAuth(request);
    const { question, entity, execute, timeZone, limit } = request.body;
    return deps.nlQuery.ask({ ctx, question, entity, execute, timeZone, limit });
  });
}
