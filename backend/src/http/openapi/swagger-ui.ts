// Swagger UI servie depuis le paquet swagger-ui-dist (aucun CDN, fonctionne hors ligne).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { requireAuth } from '../auth.js';
import type { PlatformServices } from '../../core/services.js';
import { docsArePublic } from './routes.js';
import { hiddenRoute, routeSchema } from './route-schema.js';

/** Services que l'interface Swagger utilise. */
export type SwaggerUiDeps = Pick<PlatformServices, 'settings'>;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>OpsFlux API</title>
  <link rel="icon" href="/api/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout', validatorUrl: null,
    });
  </script>
</body>
</html>`;

const docsSchema = routeSchema({
  operationId: 'getApiDocs', tags: ['system'], summary: 'Swagger UI (public when the platform setting api.docs.public is on)',
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
});

export function registerSwaggerUi(app: FastifyInstance, deps: SwaggerUiDeps): void {
  const cache = new Map<string, Buffer>();
  app.get('/api/docs', { schema: docsSchema }, async (request, reply) => {
    if (!(await docsArePublic(deps))) requireAuth(request);
    return reply.type('text/html; charset=utf-8').send(PAGE);
  });
  // bibliothèque statique, sans donnée : servie sans authentification
  app.get<{ Params: { file: string } }>('/api/docs/assets/:file', { schema: hiddenRoute }, async (request, reply) => {
    const type = ASSETS[request.params.file];
    if (!type) return reply.callNotFound();
    let body = cache.get(request.params.file);
    if (!body) {
      body = await readFile(join(getAbsoluteFSPath(), request.params.file));
      cache.set(request.params.file, body);
    }
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
