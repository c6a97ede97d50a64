// Routes de métadonnées : lecture du catalogue, entités et champs personnalisés.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import type { RequestContext } from '../../engine/context.js';
import { describeEntity, describeField } from '../../engine/meta/describe.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError } from '../problem.js';

function requireAdmin(request: FastifyRequest): RequestContext {
  const ctx = requireAuth(request);
  if (!ctx.access?.superAdmin && !ctx.access?.admin) throw new ProblemError(403, 'forbidden', 'Only administrators may change metadata');
  return ctx;
}

export function registerMetaRoutes(app: FastifyInstance, platform: Platform): void {
  app.get('/api/v1/meta/entities', async (request) => {
    const ctx = requireAuth(request);
    const catalog = await platform.catalogFor(ctx);
    return { data: catalog.all().map((m) => describeEntity(m)) };
  });

  app.get<{ Params: { name: string } }>('/api/v1/meta/entities/:name', async (request) => {
    const ctx = requireAuth(request);
    const model = (await platform.catalogFor(ctx)).get(request.params.name);
    if (!model) throw notFound(`Unknown entity "${request.params.name}"`);
    return describeEntity(model);
  });

  app.post('/api/v1/meta/entities', async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await platform.catalog(ctx.tenantId);
    const model = await platform.tenantTx(ctx, (trx) => platform.meta.createEntity(trx, ctx, catalog, request.body), { write: true });
    platform.registry.invalidate(ctx.tenantId);
    return reply.code(201).header('Location', `/api/v1/meta/entities/${model.name}`).send(describeEntity(model));
  });

  app.post<{ Params: { name: string } }>('/api/v1/meta/entities/:name/fields', async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await platform.catalog(ctx.tenantId);
    const model = await platform.tenantTx(ctx, (trx) => platform.meta.addField(trx, ctx, catalog, request.params.name, request.body), { write: true });
    platform.registry.invalidate(ctx.tenantId);
    const name = (request.body as { name: string }).name;
    return reply.code(201).send(describeField(model, model.byName.get(name)!));
  });

  app.delete<{ Params: { name: string; field: string } }>('/api/v1/meta/entities/:name/fields/:field', async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await platform.catalog(ctx.tenantId);
    await platform.tenantTx(ctx, (trx) => platform.meta.archiveField(trx, ctx, catalog, request.params.name, request.params.field), { write: true });
    platform.registry.invalidate(ctx.tenantId);
    return reply.code(204).send();
  });
}
