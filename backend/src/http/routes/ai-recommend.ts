// Recommandations locales (sans fournisseur) : articles achetés ensemble, prochains articles d'un client, fiches
// semblables ; calculées et relues avec les droits de l'appelant. Un administrateur peut relancer l'apprentissage.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAdmin, requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiRecommendRouteDeps = Pick<PlatformServices, 'recommend'>;

const ENTITY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const LIMIT = { type: 'string', pattern: '^([1-9]|1[0-9]|20)$', description: '1 to 20, 5 by default' } as const;
const limitOf = (value: string | undefined) => (value ? Number(value) : 5);
const tags = ['ai'];

const RECOMMENDATION = {
  type: 'object',
  properties: {
    id: { type: 'string' }, entity: { type: 'string' }, display: { type: 'string' },
    score: { type: 'number', description: 'cosine of co-occurrence, summed over the given items' },
    confidence: { type: 'number', description: 'share of the baskets with the given item that also hold this one' },
    lift: { type: 'number', description: 'confidence divided by the share of all baskets holding this one' },
    reason: { type: 'string', enum: ['together', 'popular'] },
  },
};
const list = (items: object, description: string) =>
  ({ 200: { description, ...json({ type: 'object', properties: { data: { type: 'array', items } } }) } });

const schemas = {
  together: routeSchema({
    operationId: 'recommendBoughtTogether', tags,
    summary: 'Items often bought together with this one, learnt locally from the order lines (setting ai.local.recommend.baskets)',
    description: 'Only items the caller may read. The model is learnt per tenant every night (job ai.local.recommend.train), or on first use.',
    querystring: { type: 'object', additionalProperties: false, required: ['entity', 'id'], properties: { entity: ENTITY, id: uuidString, limit: LIMIT } },
    responses: { ...list(RECOMMENDATION, 'Recommended items, best first'), ...problems(400, 404, 422) },
  }),
  next: routeSchema({
    operationId: 'recommendNextProducts', tags,
    summary: 'Next best items for a customer: those that go with what they bought (best sellers when they have bought nothing yet)',
    querystring: { type: 'object', additionalProperties: false, required: ['customer'], properties: { customer: uuidString, limit: LIMIT } },
    responses: { ...list(RECOMMENDATION, 'Recommended items, best first'), ...problems(400, 404, 422) },
  }),
  similar: routeSchema({
    operationId: 'listSimilarRecords', tags,
    summary: 'Records similar to this one (TF-IDF over words, attributes and, for customers, the items they buy)',
    description: 'Compares the most recent records of the entity the caller may read (setting ai.local.similar.maxRecords).',
    querystring: { type: 'object', additionalProperties: false, required: ['entity', 'id'], properties: { entity: ENTITY, id: uuidString, limit: LIMIT } },
    responses: {
      ...list({
        type: 'object',
        properties: { id: { type: 'string' }, display: { type: 'string' }, score: { type: 'number' }, reasons: { type: 'array', items: { type: 'string' } } },
      }, 'Similar records, most similar first, with what brings them together (field names, purchases, shared words)'),
      ...problems(400, 404),
    },
  }),
  train: routeSchema({
    operationId: 'trainRecommendations', tags, summary: 'Learn the items bought together now, for this tenant (administrators)',
    responses: {
      200: {
        description: 'Models learnt',
        ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: { scope: { type: 'string' }, baskets: { type: 'integer' }, items: { type: 'integer' } } } } } }),
      },
    },
  }),
};

interface ItemQuery { entity: string; id: string; limit?: string }

export function registerAiRecommendRoutes(app: FastifyInstance, deps: AiRecommendRouteDeps): void {
  app.get<{ Querystring: ItemQuery }>('/api/v1/ai/recommendations', { schema: schemas.together }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, id, limit } = request.query;
    return { data: await deps.recommend.boughtTogether(ctx, entity, id.toLowerCase(), limitOf(limit)) };
  });
  app.get<{ Querystring: { customer: string; limit?: string } }>('/api/v1/ai/recommendations/next', { schema: schemas.next }, async (request) => {
    const ctx = requireAuth(request);
    return { data: await deps.recommend.nextFor(ctx, request.query.customer.toLowerCase(), limitOf(request.query.limit)) };
  });
  app.get<{ Querystring: ItemQuery }>('/api/v1/ai/similar', { schema: schemas.similar }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, id, limit } = request.query;
    return { data: await deps.recommend.similar(ctx, entity, id.toLowerCase(), limitOf(limit)) };
  });
  app.post('/api/v1/ai/recommendations/train', { schema: schemas.train }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators retrain the recommendations.');
    return { data: await deps.recommend.train(ctx.tenantId) };
  });
}
