// Administration des tenants par le super-administrateur de la plateforme : liste, création, suspension.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { pickLocale } from '../../text/messages.js';
import { tenantStatuses, updateTenant } from '../../tenancy/tenants.js';
import { provisionTenant, type TenantRequest } from '../../iam/tenant-admin.js';
import type { UserSetupDeps } from '../../iam/bootstrap.js';
import { UUID } from '../../engine/validate.js';
import { requireSuperAdmin } from '../auth.js';
import { badRequest, notFound, ProblemError } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type TenantRouteDeps = Pick<PlatformServices, 'accessChanged'> & UserSetupDeps;

// corps validés par le gestionnaire ou le domaine (messages traduits), identifiant non conforme en 404 : seulement documentés
const tags = ['platform'];
const TENANT = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, slug: { type: 'string' }, name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }, suspendedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const listSchema = routeSchema({
  operationId: 'listTenants', tags, summary: 'Tenants (super-administrator)',
  responses: { 200: { description: 'Tenants', ...json({ type: 'object', properties: { data: { type: 'array', items: TENANT } } }) } },
});
const createSchema = routeSchema({
  operationId: 'createTenant', tags, summary: 'Create a tenant with its administrator (super-administrator)',
  requestBody: { required: true, ...json({ type: 'object', required: ['slug', 'admin'], properties: { slug: { type: 'string' }, name: { type: 'string' }, admin: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' }, displayName: { type: 'string' } } } } }) },
  responses: { 201: { description: 'Created', ...json(TENANT) }, ...problems(400, 409) },
});
const updateSchema = routeSchema({
  operationId: 'updateTenant', tags, summary: 'Rename, suspend or resume a tenant (super-administrator)',
  params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  requestBody: { required: true, ...json({ type: 'object', properties: { name: { type: 'string' }, suspended: { type: 'boolean' } } }) },
  responses: { 200: { description: 'Tenant', ...json(TENANT) }, ...problems(400, 404, 409) },
});

const requireTenantManager = (request: FastifyRequest) => requireSuperAdmin(request, 'Only the platform super-administrator manages tenants');

export function registerTenantRoutes(app: FastifyInstance, deps: TenantRouteDeps): void {
  app.get('/api/v1/tenants', { schema: listSchema }, async (request) => {
    requireTenantManager(request);
    return { data: await tenantStatuses(deps.db) };
  });

  app.post<{ Body: TenantRequest | undefined }>('/api/v1/tenants', { schema: createSchema }, async (request, reply) => {
    requireTenantManager(request);
    const tenant = await provisionTenant(deps, request.body ?? {}, pickLocale(request.headers['accept-language']));
    return reply.code(201).header('Location', `/api/v1/tenants/${tenant.id}`).send(tenant);
  });

  app.patch<{ Params: { id: string }; Body: { name?: unknown; suspended?: unknown } | undefined }>('/api/v1/tenants/:id', { schema: updateSchema }, async (request) => {
    const ctx = requireTenantManager(request);
    const { id } = request.params;
    if (!UUID.test(id)) throw notFound();
    const { name, suspended } = request.body ?? {};
    if ((name !== undefined && (typeof name !== 'string' || !name.trim())) || (suspended !== undefined && typeof suspended !== 'boolean')) {
      throw badRequest('validation_failed', 'name must be a non-empty string and suspended a boolean');
    }
    if (suspended === true && id === ctx.tenantId) throw new ProblemError(409, 'own_tenant', 'You cannot suspend your own tenant');
    const tenant = await updateTenant(deps.db, id, { name: name as string | undefined, suspended: suspended as boolean | undefined });
    if (!tenant) throw notFound();
    // un tenant suspendu perd l'accès tout de suite, sur tous les nœuds
    await deps.accessChanged(id);
    return tenant;
  });
}
