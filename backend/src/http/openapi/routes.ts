// /api/openapi.json et Swagger UI (/api/docs), authentifiés sauf si la documentation est déclarée publique.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { DEFAULT_TENANT, findTenant } from '../../tenancy/tenants.js';
import type { Catalog } from '../../engine/registry.js';
import { requireAuth } from '../auth.js';
import { buildDocument } from './document.js';
import type { CollectedRoute } from './route-paths.js';
import { registerSwaggerUi } from './swagger-ui.js';
import { routeSchema } from './route-schema.js';

/** Services que le document OpenAPI utilise. */
export type OpenApiRouteDeps = Pick<PlatformServices, 'catalog' | 'catalogFor' | 'db' | 'settings'>;

/** Réglage de plateforme `api.docs.public` : documentation servie sans authentification. */
export function docsArePublic(deps: Pick<PlatformServices, 'settings'>): Promise<boolean> {
  return deps.settings.platformValue<boolean>('api.docs.public');
}

const documentSchema = routeSchema({
  operationId: 'getOpenApiDocument', tags: ['system'], summary: 'This document (public when the platform setting api.docs.public is on)',
  responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
});

export async function registerOpenApi(app: FastifyInstance, deps: OpenApiRouteDeps, routes: CollectedRoute[]): Promise<void> {
  // un document par état du catalogue : reconstruit seulement quand les métadonnées du tenant changent
  const cache = new WeakMap<Catalog, Record<string, unknown>>();

  async function documentFor(request: FastifyRequest): Promise<Record<string, unknown>> {
    let catalog: Catalog | undefined;
    if (request.ctx) catalog = await deps.catalogFor(request.ctx);
    else {
      if (!(await docsArePublic(deps))) requireAuth(request);
      const tenantId = (await findTenant(deps.db, DEFAULT_TENANT))?.id;
      catalog = tenantId ? await deps.catalog(tenantId) : undefined;
    }
    if (!catalog) return buildDocument(undefined, routes);
    let document = cache.get(catalog);
    if (!document) {
      document = buildDocument(catalog, routes);
      cache.set(catalog, document);
    }
    return document;
  }

  app.get('/api/openapi.json', { schema: documentSchema }, async (request) => documentFor(request));
  registerSwaggerUi(app, deps);
}
