// Parcours de compte par courriel : mot de passe oublié, nouveau mot de passe, vérification de l'adresse.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { pickLocale } from '../../text/messages.js';
import { LoginThrottle, throttleFromSettings } from '../../iam/login-throttle.js';
import { requireAuth } from '../auth.js';
import { ProblemError, validationFailed } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AccountRouteDeps = Pick<PlatformServices, 'accountMail' | 'settings'>;

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

// corps validés par les gestionnaires (messages par champ) : seulement documentés
const tags = ['auth'];
const forgotSchema = routeSchema({
  operationId: 'forgotPassword', tags, summary: 'Email a single-use password reset link', security: [],
  requestBody: { required: true, ...json({ type: 'object', required: ['email'], properties: { email: { type: 'string' }, tenant: { type: 'string' } } }) },
  responses: { 202: { description: 'Accepted (same answer whether the account exists or not)' }, ...problems(400) },
});
const resetSchema = routeSchema({
  operationId: 'resetPassword', tags, summary: 'Set a new password with the emailed token (closes every session)', security: [],
  requestBody: { required: true, ...json({ type: 'object', required: ['token', 'password'], properties: { token: { type: 'string' }, password: { type: 'string' } } }) },
  responses: { 204: { description: 'Password changed' }, ...problems(400) },
});
const verificationSchema = routeSchema({
  operationId: 'requestEmailVerification', tags, summary: 'Email a verification link to the current user',
  responses: { 202: { description: 'Sent' }, ...problems(409) },
});
const verifySchema = routeSchema({
  operationId: 'verifyEmail', tags, summary: 'Verify the email address with the emailed token', security: [],
  requestBody: { required: true, ...json({ type: 'object', required: ['token'], properties: { token: { type: 'string' } } }) },
  responses: { 204: { description: 'Verified' }, ...problems(400) },
});

export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  // demandes bornées par adresse et par IP (réglage security.throttle.resetRequests) : pas d'inondation de boîtes aux lettres
  const throttle = new LoginThrottle(throttleFromSettings(deps.settings, 'security.throttle.resetRequests'));

  app.post<{ Body: { email?: unknown; tenant?: unknown } | undefined }>('/api/v1/auth/password/forgot', { schema: forgotSchema }, async (request, reply) => {
    const { email, tenant } = request.body ?? {};
    if (typeof email !== 'string' || !EMAIL.test(email.trim())) throw validationFailed([{ field: 'email', code: 'invalid_format', message: 'A valid email address is required' }]);
    const keys = [`forgot:${String(tenant)}:${email.trim().toLowerCase()}`, `forgot-ip:${request.ip}`];
    const wait = await throttle.retryAfter(keys);
    if (wait > 0) throw new ProblemError(429, 'too_many_attempts', 'Too many requests, try again later', undefined, { 'Retry-After': String(wait) });
    throttle.fail(keys);
    await deps.accountMail.forgot(email, typeof tenant === 'string' ? tenant : undefined);
    // même réponse que le compte existe ou non
    return reply.code(202).send({ status: 'accepted' });
  });

  app.post<{ Body: { token?: unknown; password?: unknown } | undefined }>('/api/v1/auth/password/reset', { schema: resetSchema }, async (request, reply) => {
    await deps.accountMail.reset(request.body?.token, request.body?.password, pickLocale(request.headers['accept-language']));
    return reply.code(204).send();
  });

  app.post('/api/v1/auth/email/verification', { schema: verificationSchema }, async (request, reply) => {
    await deps.accountMail.requestVerification(requireAuth(request));
    return reply.code(202).send({ status: 'sent' });
  });

  app.post<{ Body: { token?: unknown } | undefined }>('/api/v1/auth/email/verify', { schema: verifySchema }, async (request, reply) => {
    await deps.accountMail.verify(request.body?.token);
    return reply.code(204).send();
  });
}
