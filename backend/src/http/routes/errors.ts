// Journal des erreurs : les administrateurs d'un tenant voient et résolvent les groupes de leur tenant ; le
// super-administrateur voit aussi ceux de la plateforme et de tous les tenants.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../../errors/problem.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidParams, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type ErrorRouteDeps = Pick<PlatformServices, 'errors'>;

const tags = ['errors'];

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

const listSchema = routeSchema({
  operationId: 'listErrorGroups', tags,
  summary: 'Error groups of the tenant (all tenants and the platform for the super-administrator), latest first',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: ['open', 'resolved', 'all'], description: 'open by default' },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1 to 200, 50 by default' },
      cursor: { ...uuidString, description: 'meta.nextCursor of the previous page' },
    },
  },
  responses: {
    200: { description: 'Groups', ...json(pageOf(GROUP)) },
    ...problems(400),
  },
});

const transitionSchemas = {
  resolve: routeSchema({
    operationId: 'resolveErrorGroup', tags, summary: 'Mark an error group resolved (a new occurrence reopens it)',
    params: uuidParams('id'), responses: { 204: { description: 'Done' }, ...problems(400, 404) },
  }),
  reopen: routeSchema({
    operationId: 'reopenErrorGroup', tags, summary: 'Reopen an error group',
    params: uuidParams('id'), responses: { 204: { description: 'Done' }, ...problems(400, 404) },
  }),
};

export function registerErrorRoutes(app: FastifyInstance, deps: ErrorRouteDeps): void {
  const scopeOf = (request: FastifyRequest) => {
    const ctx = requireAdmin(request, 'Only administrators read the error log');
    return { ctx, scope: ctx.access?.superAdmin ? ('all' as const) : ctx.tenantId };
  };

  app.get<{ Querystring: { status?: 'open' | 'resolved' | 'all'; limit?: string; cursor?: string } }>('/api/v1/errors', { schema: listSchema }, async (request) => {
    const { scope } = scopeOf(request);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 200);
    return deps.errors.list({ scope, status: request.query.status ?? 'open', limit, before: request.query.cursor });
  });

  for (const [action, resolved] of [['resolve', true], ['reopen', false]] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/errors/:id/${action}`, { schema: transitionSchemas[action] }, async (request, reply) => {
      const { ctx, scope } = scopeOf(request);
      if (!(await deps.errors.setResolved(request.params.id, scope, ctx.userId ?? null, resolved))) throw notFound('Unknown error group');
      return reply.code(204).send();
    });
  }
}
