// Chemins OpenAPI du journal des erreurs (administrateurs).
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const GROUP = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, source: { type: 'string' }, kind: { type: 'string' }, message: { type: 'string' },
    stack: { type: ['string', 'null'] }, method: { type: ['string', 'null'] }, route: { type: ['string', 'null'] }, count: { type: 'integer' },
    firstSeen: { type: 'string', format: 'date-time' }, lastSeen: { type: 'string', format: 'date-time' },
    lastRequestId: { type: ['string', 'null'] }, lastUserId: { type: ['string', 'null'] },
    resolvedAt: { type: ['string', 'null'], format: 'date-time' }, resolvedBy: { type: ['string', 'null'] }, platform: { type: 'boolean' },
  },
};

const transition = (summary: string) => ({
  parameters: [pathParameter('id')],
  post: { tags: ['errors'], summary, responses: { 204: { description: 'Done' }, ...problems(400, 401, 403, 404) } },
});

export const errorPaths: Doc = {
  '/api/v1/errors': {
    get: {
      tags: ['errors'], summary: 'Error groups of the tenant (all tenants and the platform for the super-administrator), latest first',
      parameters: [
        { name: 'status', in: 'query', schema: { enum: ['open', 'resolved', 'all'], default: 'open' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: { 200: { description: 'Groups', ...json({ type: 'object', properties: { data: { type: 'array', items: GROUP }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] } } } } }) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/errors/{id}/resolve': transition('Mark an error group resolved (a new occurrence reopens it)'),
  '/api/v1/errors/{id}/reopen': transition('Reopen an error group'),
};
