// Santé et disponibilité (sans authentification).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { PlatformServices } from '../../core/services.js';
import { VERSION } from '../../core/version.js';
import { platformStatement } from '../../db/transaction.js';
import { json } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type HealthRouteDeps = Pick<PlatformServices, 'db' | 'ready'>;

const tags = ['system'];
const healthSchema = routeSchema({
  operationId: 'getHealth', tags, security: [], summary: 'Liveness and database status',
  responses: {
    200: { description: 'Status', ...json({ type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' }, version: { type: 'string' } } }) },
    503: { description: 'Database unreachable (status degraded)' },
  },
});
const readySchema = routeSchema({
  operationId: 'getReadiness', tags, security: [], summary: 'Readiness (migrations done)',
  responses: { 200: { description: 'Ready' }, 503: { description: 'Starting' } },
});

export function registerHealthRoutes(app: FastifyInstance, deps: HealthRouteDeps): void {
  app.get('/api/health', { schema: healthSchema }, async (_request, reply) => {
    const database = await platformStatement(deps.db, sql`SELECT 1`).then(() => 'ok', () => 'error');
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'degraded', database, version: VERSION });
  });
  app.get('/api/ready', { schema: readySchema }, async (_request, reply) =>
    deps.ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }));
}
