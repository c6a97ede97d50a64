// Application Fastify : identifiant de requête, limites, erreurs problem+json, authentification, routes.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { PlatformServices } from '../core/services.js';
import { installApiKeyGuard } from './api-key-guard.js';
import { installAuth } from './auth.js';
import { installErrorHandling, sendRouterProblem } from './errors.js';
import { registerFrontendRoutes } from './routes/frontend.js';
import { registerOpenApi } from './openapi/routes.js';
import { registerRouteAreas } from './route-areas.js';
import { collectRoutes } from './openapi/route-paths.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** domaine public : api.DOMAIN, app.DOMAIN, server.DOMAIN et www.DOMAIN servent /api, /app, /server et / */
  domain?: string;
}

const HOST_PARTS: Record<string, string> = { api: '/api', app: '/app', server: '/server', www: '' };

/** Réécrit l'URL selon le sous-domaine (api.exemple.com/v1/… → /api/v1/…). */
export function hostRewrite(domain: string | undefined): (host: string | undefined, url: string) => string {
  if (!domain) return (_host, url) => url;
  const suffix = `.${domain.toLowerCase()}`;
  return (host, url) => {
    const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!name.endsWith(suffix)) return url;
    const prefix = HOST_PARTS[name.slice(0, -suffix.length)];
    // l'API et les liens courts répondent sur chaque hôte (l'application appelle l'API sur sa propre origine)
    if (url.startsWith('/api/') || url.startsWith('/s/')) return url;
    if (prefix === undefined || prefix === '' || url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) return url;
    return `${prefix}${url}`;
  };
}

export async function buildApp(platform: PlatformServices, options: AppOptions = {}): Promise<FastifyInstance> {
  const rewrite = hostRewrite(options.domain ?? process.env.OPSFLUX_DOMAIN);
  // Fastify fixe la taille maximale des corps à sa construction : le réglage est lu ici, un changement prend effet au redémarrage
  const bodyLimit = (await platform.settings.platformValue<number>('api.body.maxMegabytes')) * 1024 * 1024;
  const app = Fastify({
    rewriteUrl: (request) => rewrite(request.headers.host, request.url ?? '/'),
    logger: options.logger ?? false,
    bodyLimit,
    trustProxy: process.env.TRUST_PROXY ?? 'loopback,linklocal,uniquelocal',
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 300 },
    frameworkErrors: sendRouterProblem,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  // relevé avant toute route : le document OpenAPI est généré à partir des schémas qu'elles déclarent
  const routes = collectRoutes(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  installErrorHandling(app, (error, request) => void platform.errors.capture({
    error,
    // une route de module (/api/v1/mod/<nom>/…) range l'erreur sous son module
    source: /^\/api\/v1\/mod\/([a-z][a-z0-9_]*)/.exec(request.url)?.[1] ?? 'core',
    tenantId: request.ctx?.tenantId ?? null,
    userId: request.ctx?.userId ?? null,
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? request.url.split('?')[0],
  }));
  await app.register(fastifyCookie);
  // envois de fichiers (paquets de modules, pièces jointes) : un fichier par requête, lu en flux
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 5, parts: 6 } });
  // formulaires HTML (POST SAML des fournisseurs d'identité) : champs texte, taille bornée par bodyLimit
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  installAuth(app, platform);
  // après l'authentification : adresses autorisées, limite de débit et usage des clés d'API
  await installApiKeyGuard(app, platform);
  await registerRouteAreas(app, platform);
  await app.register(registerFrontendRoutes);
  await registerOpenApi(app, platform, routes);
  await app.ready();
  return app;
}
