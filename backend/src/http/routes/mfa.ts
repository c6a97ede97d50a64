// Routes de la double authentification de l'utilisateur courant : état, enrôlement TOTP, confirmation, désactivation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { requireAuth } from '../auth.js';
import { ProblemError } from '../problem.js';

/** La double authentification se gère depuis une session, jamais avec un jeton personnel. */
function requireSession(request: FastifyRequest) {
  const ctx = requireAuth(request);
  if (ctx.tokenId) throw new ProblemError(403, 'session_required', 'Two-factor authentication is managed from a signed-in session');
  return ctx;
}

export function registerMfaRoutes(app: FastifyInstance, platform: Platform): void {
  app.get('/api/v1/auth/mfa', async (request) => {
    const ctx = requireSession(request);
    return { ...(await platform.mfa.state(ctx)), required: ctx.access?.mfaRequired ?? false };
  });

  app.post('/api/v1/auth/mfa/totp', async (request, reply) => reply.code(201).send(await platform.mfa.enroll(requireSession(request))));

  app.post<{ Body: { code?: unknown } | undefined }>('/api/v1/auth/mfa/totp/confirm', async (request) =>
    platform.mfa.confirm(requireSession(request), request.body?.code));

  app.post<{ Body: { code?: unknown } | undefined }>('/api/v1/auth/mfa/totp/disable', async (request, reply) => {
    const ctx = requireSession(request);
    if (ctx.access?.mfaRequired) throw new ProblemError(409, 'mfa_required_by_role', 'Your roles or your organisation require two-factor authentication');
    await platform.mfa.disable(ctx, request.body?.code);
    return reply.code(204).send();
  });
}
