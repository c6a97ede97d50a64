// Garde des requêtes authentifiées par une clé d'API : adresse autorisée (403 `ip_not_allowed`), limite de débit
// par clé (@fastify/rate-limit, fenêtres partagées entre nœuds dans PostgreSQL, 429 avec Retry-After et RateLimit-*),
// puis usage compté après la réponse. Les autres requêtes (session, JWT, jeton personnel) ne passent par rien de tout ça.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../core/services.js';
import { pgRateLimitStore } from '../iam/api-keys/pg-rate-limit-store.js';
import { ProblemError } from '../errors/problem.js';

/** Services que la garde des clés d'API utilise (adresses, débit, usage). */
export type ApiKeyGuardDeps = Pick<PlatformServices, 'apiKeys' | 'db' | 'settings'>;

// fenêtre de la limite des clés : l'unité de api.rateLimit.perMinute (un nombre par minute), pas un réglage à part
const WINDOW_MS = 60_000;

export async function installApiKeyGuard(app: FastifyInstance, deps: ApiKeyGuardDeps): Promise<void> {
  // aucune route n'est limitée d'office (`global: false`) : la limite n'est appliquée qu'aux requêtes d'une clé
  await app.register(fastifyRateLimit, {
    global: false,
    enableDraftSpec: true,
    store: pgRateLimitStore(deps.db),
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `api_key:${request.apiKey!.id}`,
    max: async (request) => request.apiKey!.rateLimit
      ?? deps.settings.value<number>('api.rateLimit.perMinute', { tenantId: request.apiKey!.tenantId }),
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, 'rate_limited', `Rate limit of ${context.max} requests per minute exceeded for this API key, retry in ${context.after}`),
  });
  const limit = app.rateLimit();

  app.addHook('onRequest', async function (request, reply) {
    const key = request.apiKey;
    if (!key) return;
    if (!key.allowsIp(request.ip)) throw new ProblemError(403, 'ip_not_allowed', `This API key is not allowed from ${request.ip}`);
    await limit.call(this, request, reply);
  });

  // crochet synchrone : rien à attendre, aucune promesse créée pour les requêtes sans clé
  app.addHook('onResponse', (request, reply, done) => {
    const key = request.apiKey;
    if (key) deps.apiKeys.usage.record(key.tenantId, key.id, reply.statusCode, request.ip ?? null);
    done();
  });
}
