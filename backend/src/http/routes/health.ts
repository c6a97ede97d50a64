// Santé et disponibilité (sans authentification).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { VERSION, type Platform } from '../../core/platform.js';
import { platformStatement } from '../../db/transaction.js';

export function registerHealthRoutes(app: FastifyInstance, platform: Platform): void {
  app.get('/api/health', async (_request, reply) => {
    const database = await platformStatement(platform.db, sql`SELECT 1`).then(() => 'ok', () => 'error');
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'degraded', database, version: VERSION });
  });
  app.get('/api/ready', async (_request, reply) =>
    platform.ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }));
}
