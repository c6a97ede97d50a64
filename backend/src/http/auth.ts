// Authentification des requêtes : jeton d'accès Bearer → contexte de requête.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../core/services.js';
import type { RequestContext } from '../engine/context.js';
import type { EntityModel } from '../engine/model.js';
import { pickLocale } from '../text/messages.js';
import { ApiKeys, type ApiKeyGrant, type ApiKeyIdentity } from '../iam/api-keys/api-keys.js';
import { PersonalTokens } from '../iam/personal-tokens.js';
import { mfaRequiredForTenant } from '../iam/security-policy.js';
import { CSRF_HEADER, SESSION_COOKIES, UNSAFE_METHODS } from './session-cookies.js';
import { ProblemError } from '../errors/problem.js';

/** Services que l'authentification des requêtes utilise. */
export type AuthDeps = Pick<PlatformServices, 'access' | 'apiKeys' | 'settings' | 'signer' | 'tokens'>;

declare module 'fastify' {
  interface FastifyRequest {
    ctx?: RequestContext;
    /** modèle de l'entité de la route (pour nommer le champ fautif d'une contrainte) */
    entityModel?: EntityModel;
    /** clé d'API qui authentifie la requête (adresses autorisées, limite de débit, usage) */
    apiKey?: ApiKeyGrant;
  }
}

/** Routes ouvertes à un utilisateur qui doit encore activer sa double authentification. */
const MFA_ENROLMENT_PATHS = ['/api/v1/auth/mfa', '/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/auth/refresh'];

export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('ctx', undefined);
  app.decorateRequest('entityModel', undefined);
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const cookie = header ? undefined : request.cookies[SESSION_COOKIES.access];
    if (!header?.startsWith('Bearer ') && !cookie) return;
    const bearer = cookie ?? header!.slice(7).trim();
    const claims = cookie ? await deps.signer.verifyAccess(bearer) : await verifyBearer(deps, bearer);
    if (!claims) return;
    // session par cookie : une écriture doit porter le jeton anti-CSRF de la session (qu'un autre site ne peut pas lire)
    if (cookie && UNSAFE_METHODS.has(request.method)) {
      const sessionId = 'sessionId' in claims ? claims.sessionId : undefined;
      if (!sessionId || !deps.signer.csrfMatches(sessionId, request.headers[CSRF_HEADER])) {
        throw new ProblemError(403, 'csrf_failed', 'Missing or invalid X-CSRF-Token header for a cookie session');
      }
    }
    // droits relus à chaque requête (cache invalidé à chaque changement) : un compte désactivé perd l'accès aussitôt
    // une clé d'API a les droits de son rôle ; un utilisateur (session ou jeton personnel), les siens
    const apiKey = 'apiKey' in claims ? (claims as ApiKeyIdentity).apiKey : undefined;
    const profile = apiKey ? await deps.access.forKey(claims.tenantId, apiKey) : await deps.access.get(claims.tenantId, claims.userId);
    if (!profile) return;
    request.apiKey = apiKey;
    // double authentification exigée par un rôle, ou par le réglage du tenant pour tout le monde
    const access = !profile.mfaRequired && (await mfaRequiredForTenant(deps.settings, claims.tenantId)) ? { ...profile, mfaRequired: true } : profile;
    request.ctx = {
      tenantId: claims.tenantId,
      userId: claims.userId,
      superAdmin: access.superAdmin,
      access,
      ...('tokenId' in claims ? { tokenId: claims.tokenId, scopes: claims.scopes ?? undefined } : {}),
      requestId: request.id,
      ip: request.ip ?? null,
      locale: pickLocale(request.headers['accept-language']),
    };
    // un rôle exige la double authentification : tant qu'elle n'est pas activée, seuls le profil et l'enrôlement répondent
    if (access.mfaRequired && !access.mfaEnrolled && !MFA_ENROLMENT_PATHS.some((p) => request.url.startsWith(p))) {
      throw new ProblemError(403, 'mfa_enrollment_required', 'Enable two-factor authentication first (POST /api/v1/auth/mfa/totp)');
    }
  });
}

/** Bearer selon son préfixe : clé d'API, jeton d'accès personnel, sinon jeton d'accès JWT. */
function verifyBearer(deps: AuthDeps, bearer: string) {
  if (ApiKeys.looksLike(bearer)) return deps.apiKeys.verify(bearer);
  if (PersonalTokens.looksLike(bearer)) return deps.tokens.verify(bearer);
  return deps.signer.verifyAccess(bearer);
}

/** Contexte de la requête authentifiée, sinon 401. */
export function requireAuth(request: FastifyRequest): RequestContext {
  if (!request.ctx) {
    throw new ProblemError(401, 'unauthenticated', 'Authentication required', undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  return request.ctx;
}

/** Super-administrateur de la plateforme, en session (un jeton d'accès personnel ne suffit pas), sinon 403. */
export function requireSuperAdmin(request: FastifyRequest, detail: string): RequestContext {
  const ctx = requireAuth(request);
  if (!ctx.access?.superAdmin || ctx.tokenId) throw new ProblemError(403, 'forbidden', detail);
  return ctx;
}

/** Administrateur du tenant (ou super-administrateur), sinon 403. */
export function requireAdmin(request: FastifyRequest, detail: string): RequestContext {
  const ctx = requireAuth(request);
  if (!ctx.access?.superAdmin && !ctx.access?.admin) throw new ProblemError(403, 'forbidden', detail);
  return ctx;
}
