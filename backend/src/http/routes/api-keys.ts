// Clés d'API des intégrations : administrateurs du tenant seulement, depuis une session (un jeton personnel ou une
// clé ne crée ni n'élargit de clé). Création et rotation montrent le secret une seule fois ; DELETE révoque.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { requireAdmin } from '../auth.js';
import { badRequest, ProblemError } from '../problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function administrator(request: FastifyRequest) {
  const ctx = requireAdmin(request, 'Only tenant administrators manage API keys');
  if (ctx.tokenId) throw new ProblemError(403, 'session_required', 'API keys are managed from a signed-in session');
  return ctx;
}

function page(query: { limit?: string; cursor?: string }): { limit: number; cursor?: string } {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  const errors = [];
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.push({ field: 'limit', code: 'out_of_range', message: 'limit is 1–500' });
  if (query.cursor !== undefined && !UUID.test(query.cursor)) errors.push({ field: 'cursor', code: 'invalid_value', message: 'cursor is a key id' });
  if (errors.length) throw badRequest('invalid_query', 'Invalid query parameters', errors);
  return { limit, cursor: query.cursor };
}

export function registerApiKeyRoutes(app: FastifyInstance, platform: Platform): void {
  const keys = platform.apiKeys;

  app.get<{ Querystring: { limit?: string; cursor?: string } }>('/api/v1/api-keys', async (request) =>
    keys.list(administrator(request), page(request.query)));

  app.post('/api/v1/api-keys', async (request, reply) => {
    const created = await keys.create(administrator(request), request.body);
    return reply.code(201).header('location', `/api/v1/api-keys/${created.id}`).header('cache-control', 'no-store').send(created);
  });

  app.get('/api/v1/api-keys/:id', async (request: IdRequest) => keys.get(administrator(request), request.params.id));

  app.patch('/api/v1/api-keys/:id', async (request: IdRequest) => keys.update(administrator(request), request.params.id, request.body));

  app.delete('/api/v1/api-keys/:id', async (request: IdRequest, reply) => {
    await keys.revoke(administrator(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/api-keys/:id/rotate', async (request: IdRequest, reply) =>
    reply.header('cache-control', 'no-store').send(await keys.rotate(administrator(request), request.params.id)));

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/api/v1/api-keys/:id/usage', async (request) =>
    keys.usageOf(administrator(request), request.params.id, request.query));
}
