// Routes de la double authentification de l'utilisateur courant : état, enrôlement TOTP, confirmation, désactivation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { ProblemError } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type MfaRouteDeps = Pick<PlatformServices, 'mfa'>;

const tags = ['auth'];
/** code validé par le domaine (messages par champ) : seulement documenté */
const CODE_BODY = { required: true, ...json({ type: 'object', required: ['code'], properties: { code: { type: 'string' } } }) };

const stateSchema = routeSchema({
  operationId: 'getMfaState', tags, summary: 'Two-factor state of the current user',
  responses: { 200: { description: 'State', ...json({ type: 'object', properties: { totpEnabled: { type: 'boolean' }, recoveryCodesLeft: { type: 'integer' }, required: { type: 'boolean' } } }) } },
});
const enrollSchema = routeSchema({
  operationId: 'enrollTotp', tags, summary: 'Start TOTP enrolment (secret and otpauth URI)',
  responses: { 201: { description: 'Pending secret', ...json({ type: 'object', properties: { secret: { type: 'string' }, otpauthUri: { type: 'string' } } }) }, ...problems(409) },
});
const confirmSchema = routeSchema({
  operationId: 'confirmTotp', tags, summary: 'Confirm enrolment with a first code; returns recovery codes once', requestBody: CODE_BODY,
  responses: { 200: { description: 'Enabled', ...json({ type: 'object', properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } } }) }, ...problems(400, 409) },
});
const disableSchema = routeSchema({
  operationId: 'disableTotp', tags, summary: 'Disable TOTP with a valid code (refused when a role requires it)', requestBody: CODE_BODY,
  responses: { 204: { description: 'Disabled' }, ...problems(400, 409) },
});

/** La double authentification se gère depuis une session, jamais avec un jeton personnel. */
function requireSession(request: FastifyRequest) {
  const ctx = requireAuth(request);
  if (ctx.tokenId) throw new ProblemError(403, 'session_required', 'Two-factor authentication is managed from a signed-in session');
  return ctx;
}

export function registerMfaRoutes(app: FastifyInstance, deps: MfaRouteDeps): void {
  app.get('/api/v1/auth/mfa', { schema: stateSchema }, async (request) => {
    const ctx = requireSession(request);
    return { ...(await deps.mfa.state(ctx)), required: ctx.access?.mfaRequired ?? false };
  });

  app.post('/api/v1/auth/mfa/totp', { schema: enrollSchema }, async (request, reply) => reply.code(201).send(await deps.mfa.enroll(requireSession(request))));

  app.post<{ Body: { code?: unknown } | undefined }>('/api/v1/auth/mfa/totp/confirm', { schema: confirmSchema }, async (request) =>
    deps.mfa.confirm(requireSession(request), request.body?.code));

  app.post<{ Body: { code?: unknown } | undefined }>('/api/v1/auth/mfa/totp/disable', { schema: disableSchema }, async (request, reply) => {
    const ctx = requireSession(request);
    if (ctx.access?.mfaRequired) throw new ProblemError(409, 'mfa_required_by_role', 'Your roles or your organisation require two-factor authentication');
    await deps.mfa.disable(ctx, request.body?.code);
    return reply.code(204).send();
  });
}
