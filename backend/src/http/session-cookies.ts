// Sessions du navigateur par cookies HttpOnly : le jeton d'accès et le jeton de rafraîchissement ne sont jamais
// lisibles par le JavaScript de la page ; un jeton anti-CSRF (HMAC de la session) doit accompagner toute écriture.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionTokens } from '../iam/auth-service.js';

export const SESSION_COOKIES = { access: 'ofx_access', refresh: 'ofx_refresh', csrf: 'ofx_csrf' } as const;
export const CSRF_HEADER = 'x-csrf-token';
/** méthodes qui changent l'état : le jeton anti-CSRF y est exigé */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Pose les cookies de session et renvoie le corps de réponse (sans jetons). */
export function startCookieSession(request: FastifyRequest, reply: FastifyReply, tokens: Omit<SessionTokens, 'sessionId'>, csrfToken: string) {
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIES.access, tokens.accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: tokens.expiresIn });
  reply.setCookie(SESSION_COOKIES.refresh, tokens.refreshToken, { httpOnly: true, sameSite: 'strict', secure, path: '/api/v1/auth', maxAge: tokens.refreshExpiresIn });
  reply.setCookie(SESSION_COOKIES.csrf, csrfToken, { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge: tokens.refreshExpiresIn });
  return { tokenType: 'Cookie', expiresIn: tokens.expiresIn, csrfToken, user: tokens.user };
}

export function endCookieSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIES.access, { path: '/' });
  reply.clearCookie(SESSION_COOKIES.refresh, { path: '/api/v1/auth' });
  reply.clearCookie(SESSION_COOKIES.csrf, { path: '/' });
}
