// Journal des erreurs : les administrateurs d'un tenant voient et résolvent les groupes de leur tenant ; le
// super-administrateur voit aussi ceux de la plateforme et de tous les tenants.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../problem.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: ['open', 'resolved', 'all'] },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
      cursor: { type: 'string', pattern: UUID },
    },
  },
} as const;
const idSchema = { params: { type: 'object', properties: { id: { type: 'string', pattern: UUID } }, required: ['id'] } } as const;

export function registerErrorRoutes(app: FastifyInstance, platform: Platform): void {
  const scopeOf = (request: FastifyRequest) => {
    const ctx = requireAdmin(request, 'Only administrators read the error log');
    return { ctx, scope: ctx.access?.superAdmin ? ('all' as const) : ctx.tenantId };
  };

  app.get<{ Querystring: { status?: 'open' | 'resolved' | 'all'; limit?: string; cursor?: string } }>('/api/v1/errors', { schema: listSchema }, async (request) => {
    const { scope } = scopeOf(request);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 200);
    return platform.errors.list({ scope, status: request.query.status ?? 'open', limit, before: request.query.cursor });
  });

  for (const [action, resolved] of [['resolve', true], ['reopen', false]] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/errors/:id/${action}`, { schema: idSchema }, async (request, reply) => {
      const { ctx, scope } = scopeOf(request);
      if (!(await platform.errors.setResolved(request.params.id, scope, ctx.userId ?? null, resolved))) throw notFound('Unknown error group');
      return reply.code(204).send();
    });
  }
}
