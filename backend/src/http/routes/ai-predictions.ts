// Prédiction de saisie locale : valeurs habituelles de l'utilisateur pour un champ (selon le début tapé, le contexte et
// l'heure) et suite probable d'un texte long. Seulement sur les champs texte que l'appelant peut écrire.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiPredictionRouteDeps = Pick<PlatformServices, 'predictions'>;

const ENTITY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const FIELD = { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,62}$' } as const;
const CONTEXT = '^([a-zA-Z][a-zA-Z0-9_]{0,62}:[0-9a-fA-F-]{36})(,[a-zA-Z][a-zA-Z0-9_]{0,62}:[0-9a-fA-F-]{36}){0,9}$';

const suggestSchema = routeSchema({
  operationId: 'predictFieldValues', tags: ['ai'],
  summary: 'Values the caller usually types in a text field, for what they have typed so far, the record’s context and the time of day',
  description: 'Learnt locally from the caller’s OWN past values in this field (audit trail), never from other users’ values; retrained by a scheduled job. '
    + 'Only on string and text fields the caller may write. Empty when the tenant disabled prediction (ai.local.predict.enabled) or the caller turned '
    + 'learning off (preference ai.learning). `context` lists reference fields of the form and their values, e.g. customer:<uuid>.',
  querystring: {
    type: 'object', additionalProperties: false, required: ['entity', 'field'],
    properties: {
      entity: ENTITY, field: FIELD,
      prefix: { type: 'string', maxLength: 200, default: '' },
      context: { type: 'string', pattern: CONTEXT, description: 'reference field:record id pairs, comma-separated' },
      limit: { type: 'string', pattern: '^([1-9]|1[0-9]|20)$', description: '1 to 20, 5 by default' },
    },
  },
  responses: {
    200: {
      description: 'Ranked suggestions (score: share of the suggestions’ weight)',
      ...json({
        type: 'object',
        properties: {
          suggestions: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, score: { type: 'number' } } } },
          learning: { type: 'boolean', description: 'false when learning is off for the caller or the tenant' },
        },
      }),
    },
    ...problems(400, 404, 422),
  },
});

const nextWordsSchema = routeSchema({
  operationId: 'predictNextWords', tags: ['ai'],
  summary: 'Likely continuations of a text being typed in a long-text field (the next word, or the end of the word being typed)',
  description: 'A word-sequence model learnt per tenant and field from the texts of that field; a sequence is kept only when it appears in several '
    + 'distinct records (setting ai.local.predict.ngramMinRecords), so a phrase of a single record is never suggested. Only on fields the caller may write. '
    + '`text` of each completion is what to append to the text.',
  body: {
    type: 'object', additionalProperties: false, required: ['entity', 'field', 'text'],
    properties: { entity: ENTITY, field: FIELD, text: { type: 'string', maxLength: 20_000 } },
  },
  responses: {
    200: {
      description: 'Completions, most likely first',
      ...json({
        type: 'object',
        properties: {
          completions: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, score: { type: 'number' } } } },
          learning: { type: 'boolean' },
        },
      }),
    },
    ...problems(400, 404, 422),
  },
});

/** `customer:<uuid>,lead:<uuid>` → {customer: uuid, lead: uuid}. */
const parseContext = (raw?: string) => Object.fromEntries((raw ? raw.split(',') : []).map((pair) => {
  const i = pair.indexOf(':');
  return [pair.slice(0, i), pair.slice(i + 1).toLowerCase()];
}));

export function registerAiPredictionRoutes(app: FastifyInstance, deps: AiPredictionRouteDeps): void {
  app.get<{ Querystring: { entity: string; field: string; prefix?: string; context?: string; limit?: string } }>(
    '/api/v1/ai/predictions', { schema: suggestSchema }, async (request) => {
      const ctx = requireAuth(request);
      const { entity, field, prefix, context, limit } = request.query;
      return deps.predictions.suggest(ctx, { entity, field, prefix, context: parseContext(context), limit: limit ? Number(limit) : undefined });
    });

  app.post<{ Body: { entity: string; field: string; text: string } }>('/api/v1/ai/predictions/next-words', { schema: nextWordsSchema }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, field, text } = request.body;
    return deps.predictions.nextWords(ctx, entity, field, text);
  });
}
