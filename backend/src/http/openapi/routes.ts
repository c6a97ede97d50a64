// Document OpenAPI (provisoire : remplacé par la génération complète depuis les métadonnées).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';

export async function registerOpenApi(app: FastifyInstance, platform: Platform): Promise<void> {
  void platform;
  app.get('/api/openapi.json', async () => ({ openapi: '3.1.0', info: { title: 'OpsFlux API', version: '0.1.0' }, paths: {} }));
}
