// Routes de métadonnées : lecture du catalogue, entités et champs personnalisés.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { RequestContext } from '../../engine/context.js';
import { describeEntity, describeField } from '../../engine/meta/describe.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import { json, problems, ref } from '../openapi/path-helpers.js';
import { AI_SUGGEST_OPTION } from '../openapi/shared-schemas.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type MetaRouteDeps = Pick<PlatformServices, 'catalog' | 'catalogFor' | 'meta' | 'registry' | 'tenantTx'>;

const tags = ['metadata'];
const NAME = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;
const listSchema = routeSchema({
  operationId: 'listEntities', tags, summary: 'List entities',
  responses: { 200: { description: 'Entities', ...json({ type: 'object', properties: { data: { type: 'array', items: ref('EntityMeta') } } }) } },
});
const describeSchema = routeSchema({
  operationId: 'describeEntity', tags, summary: 'Describe an entity', params: NAME,
  responses: { 200: { description: 'Entity', ...json(ref('EntityMeta')) }, ...problems(404) },
});
const createSchema = routeSchema({
  operationId: 'createEntity', tags, summary: 'Create a custom entity (a real table, immediately usable)',
  requestBody: { required: true, ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' }, label: {}, fields: { type: 'object', additionalProperties: ref('FieldMeta') } } }) },
  responses: { 201: { description: 'Created', ...json(ref('EntityMeta')) }, ...problems(400, 409) },
});
const addFieldSchema = routeSchema({
  operationId: 'addField', tags, summary: 'Add a custom field (a real column)', params: NAME,
  requestBody: { required: true, ...json(ref('FieldMeta')) },
  responses: { 201: { description: 'Created', ...json(ref('FieldMeta')) }, ...problems(400, 404, 409) },
});
const FIELD_PARAMS = { type: 'object', properties: { name: { type: 'string' }, field: { type: 'string' } }, required: ['name', 'field'] } as const;
const updateFieldSchema = routeSchema({
  operationId: 'updateField', tags, summary: 'Change the options of a custom field (the AI suggestion, aiSuggest)',
  params: FIELD_PARAMS,
  requestBody: {
    required: true,
    ...json({ type: 'object', properties: { aiSuggest: AI_SUGGEST_OPTION } }),
  },
  responses: { 200: { description: 'Changed', ...json(ref('FieldMeta')) }, ...problems(400, 404, 409) },
});
const archiveFieldSchema = routeSchema({
  operationId: 'archiveField', tags, summary: 'Archive a custom field (data kept)',
  params: FIELD_PARAMS,
  responses: { 204: { description: 'Archived' }, ...problems(404, 409) },
});

function requireAdmin(request: FastifyRequest): RequestContext {
  const ctx = requireAuth(request);
  if (!ctx.access?.superAdmin && !ctx.access?.admin) throw new ProblemError(403, 'forbidden', 'Only administrators may change metadata');
  return ctx;
}

export function registerMetaRoutes(app: FastifyInstance, deps: MetaRouteDeps): void {
  app.get('/api/v1/meta/entities', { schema: listSchema }, async (request) => {
    const ctx = requireAuth(request);
    const catalog = await deps.catalogFor(ctx);
    return { data: catalog.all().map((m) => describeEntity(m)) };
  });

  app.get<{ Params: { name: string } }>('/api/v1/meta/entities/:name', { schema: describeSchema }, async (request) => {
    const ctx = requireAuth(request);
    const model = (await deps.catalogFor(ctx)).get(request.params.name);
    if (!model) throw notFound(`Unknown entity "${request.params.name}"`);
    return describeEntity(model);
  });

  app.post('/api/v1/meta/entities', { schema: createSchema }, async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await deps.catalog(ctx.tenantId);
    const model = await deps.tenantTx(ctx, (trx) => deps.meta.createEntity(trx, ctx, catalog, request.body), { write: true });
    deps.registry.invalidate(ctx.tenantId);
    return reply.code(201).header('Location', `/api/v1/meta/entities/${model.name}`).send(describeEntity(model));
  });

  app.post<{ Params: { name: string } }>('/api/v1/meta/entities/:name/fields', { schema: addFieldSchema }, async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await deps.catalog(ctx.tenantId);
    const model = await deps.tenantTx(ctx, (trx) => deps.meta.addField(trx, ctx, catalog, request.params.name, request.body), { write: true });
    deps.registry.invalidate(ctx.tenantId);
    const name = (request.body as { name: string }).name;
    return reply.code(201).send(describeField(model, model.byName.get(name)!));
  });

  app.patch<{ Params: { name: string; field: string } }>('/api/v1/meta/entities/:name/fields/:field', { schema: updateFieldSchema }, async (request) => {
    const ctx = requireAdmin(request);
    const { name, field } = request.params;
    const catalog = await deps.catalog(ctx.tenantId);
    const model = await deps.tenantTx(ctx, (trx) => deps.meta.updateField(trx, ctx, catalog, name, field, request.body), { write: true });
    deps.registry.invalidate(ctx.tenantId);
    return describeField(model, model.byName.get(field)!);
  });

  app.delete<{ Params: { name: string; field: string } }>('/api/v1/meta/entities/:name/fields/:field', { schema: archiveFieldSchema }, async (request, reply) => {
    const ctx = requireAdmin(request);
    const catalog = await deps.catalog(ctx.tenantId);
    await deps.tenantTx(ctx, (trx) => deps.meta.archiveField(trx, ctx, catalog, request.params.name, request.params.field), { write: true });
    deps.registry.invalidate(ctx.tenantId);
    return reply.code(204).send();
  });
}
