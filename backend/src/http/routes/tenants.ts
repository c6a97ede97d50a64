// Administration des tenants par le super-administrateur de la plateforme : liste, création, suspension.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { pickLocale } from '../../i18n/messages.js';
import { tenantStatuses, updateTenant } from '../../core/tenants.js';
import { provisionTenant, type TenantRequest } from '../../iam/tenant-admin.js';
import { UUID } from '../../engine/validate.js';
import { requireSuperAdmin } from '../auth.js';
import { badRequest, notFound, ProblemError } from '../problem.js';

const requireTenantManager = (request: FastifyRequest) => requireSuperAdmin(request, 'Only the platform super-administrator manages tenants');

export function registerTenantRoutes(app: FastifyInstance, platform: Platform): void {
  app.get('/api/v1/tenants', async (request) => {
    requireTenantManager(request);
    return { data: await tenantStatuses(platform.db) };
  });

  app.post<{ Body: TenantRequest | undefined }>('/api/v1/tenants', async (request, reply) => {
    requireTenantManager(request);
    const tenant = await provisionTenant(platform, request.body ?? {}, pickLocale(request.headers['accept-language']));
    return reply.code(201).header('Location', `/api/v1/tenants/${tenant.id}`).send(tenant);
  });

  app.patch<{ Params: { id: string }; Body: { name?: unknown; suspended?: unknown } | undefined }>('/api/v1/tenants/:id', async (request) => {
    const ctx = requireTenantManager(request);
    const { id } = request.params;
    if (!UUID.test(id)) throw notFound();
    const { name, suspended } = request.body ?? {};
    if ((name !== undefined && (typeof name !== 'string' || !name.trim())) || (suspended !== undefined && typeof suspended !== 'boolean')) {
      throw badRequest('validation_failed', 'name must be a non-empty string and suspended a boolean');
    }
    if (suspended === true && id === ctx.tenantId) throw new ProblemError(409, 'own_tenant', 'You cannot suspend your own tenant');
    const tenant = await updateTenant(platform.db, id, { name: name as string | undefined, suspended: suspended as boolean | undefined });
    if (!tenant) throw notFound();
    // un tenant suspendu perd l'accès tout de suite, sur tous les nœuds
    await platform.accessChanged(id);
    return tenant;
  });
}
