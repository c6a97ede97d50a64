// Parcours de compte par courriel : mot de passe oublié, nouveau mot de passe, vérification de l'adresse.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { pickLocale } from '../../i18n/messages.js';
import { LoginThrottle, throttleFromSettings } from '../../iam/login-throttle.js';
import { requireAuth } from '../auth.js';
import { ProblemError, validationFailed } from '../problem.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function registerAccountRoutes(app: FastifyInstance, platform: Platform): void {
  // demandes bornées par adresse et par IP (réglage security.throttle.resetRequests) : pas d'inondation de boîtes aux lettres
  const throttle = new LoginThrottle(throttleFromSettings(platform.settings, 'security.throttle.resetRequests'));

  app.post<{ Body: { email?: unknown; tenant?: unknown } | undefined }>('/api/v1/auth/password/forgot', async (request, reply) => {
    const { email, tenant } = request.body ?? {};
    if (typeof email !== 'string' || !EMAIL.test(email.trim())) throw validationFailed([{ field: 'email', code: 'invalid_format', message: 'A valid email address is required' }]);
    const keys = [`forgot:${String(tenant)}:${email.trim().toLowerCase()}`, `forgot-ip:${request.ip}`];
    const wait = await throttle.retryAfter(keys);
    if (wait > 0) throw new ProblemError(429, 'too_many_attempts', 'Too many requests, try again later', undefined, { 'Retry-After': String(wait) });
    throttle.fail(keys);
    await platform.accountMail.forgot(email, typeof tenant === 'string' ? tenant : undefined);
    // même réponse que le compte existe ou non
    return reply.code(202).send({ status: 'accepted' });
  });

  app.post<{ Body: { token?: unknown; password?: unknown } | undefined }>('/api/v1/auth/password/reset', async (request, reply) => {
    await platform.accountMail.reset(request.body?.token, request.body?.password, pickLocale(request.headers['accept-language']));
    return reply.code(204).send();
  });

  app.post('/api/v1/auth/email/verification', async (request, reply) => {
    await platform.accountMail.requestVerification(requireAuth(request));
    return reply.code(202).send({ status: 'sent' });
  });

  app.post<{ Body: { token?: unknown } | undefined }>('/api/v1/auth/email/verify', async (request, reply) => {
    await platform.accountMail.verify(request.body?.token);
    return reply.code(204).send();
  });
}
