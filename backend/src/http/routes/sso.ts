// Connexions par fournisseur externe : LDAP / Active Directory (identifiant et mot de passe vérifiés par l'annuaire),
// OpenID Connect et SAML (redirections). Le compte est celui que l'identité (fournisseur, sujet) désigne
// (iam/sso/provisioning.ts) ; le second facteur est le même que pour un mot de passe, sauf si le fournisseur l'atteste
// et que le tenant lui fait confiance (iam/sso/provider-trust.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { DEFAULT_TENANT, findTenant } from '../../tenancy/tenants.js';
import type { ClientInfo } from '../../iam/auth-service.js';
import { pickLocale } from '../../text/messages.js';
import type { ProviderSettings } from '../../iam/providers.js';
import { LdapError, type LdapConnector, type LdapIdentity } from '../../iam/sso/ldap.js';
import { ldapConnector, ldapIdentity, syncDirectory, type DirectorySyncDeps } from '../../iam/sso/directory-sync.js';
import { linkOwnIdentity, type IdentityAdminDeps } from '../../iam/sso/identity-admin.js';
import { OidcError } from '../../iam/sso/oidc.js';
import { emailVerifiedBy, providerAssertsMfa } from '../../iam/sso/provider-trust.js';
import { SamlError } from '../../iam/sso/saml.js';
import { provisionUser } from '../../iam/sso/provisioning.js';
import { SECOND_FACTOR_COOKIE, SECOND_FACTOR_PAGE, SECOND_FACTOR_TTL_SECONDS } from '../../iam/sso/second-factor-step.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import { startCookieSession } from '../session-cookies.js';
import {
  ldapLinkSchema, ldapLoginSchema, ldapSyncSchema, oidcCallbackSchema, oidcStartSchema, samlAcsSchema, samlLoginSchema, samlMetadataSchema, ssoMfaSchema,
} from './sso-schemas.js';

/** Services que ces routes utilisent. */
export type SsoRouteDeps = Pick<PlatformServices, 'auth' | 'oidc' | 'providers' | 'saml' | 'secondFactor' | 'signer'> & DirectorySyncDeps & IdentityAdminDeps;

const invalidCredentials = () => new ProblemError(401, 'invalid_credentials', 'Invalid username or password');
const client = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, requestId: request.id, locale: pickLocale(request.headers['accept-language']),
});

type LdapBody = { username?: unknown; password?: unknown; tenant?: unknown; cookie?: unknown; totp?: unknown };

async function ldapProvider(deps: SsoRouteDeps, tenantId: string, name: string) {
  const provider = await deps.providers.load(tenantId, name);
  if (!provider || provider.kind !== 'ldap') throw notFound('Unknown LDAP provider');
  return { provider, connector: ldapConnector(deps.outbound, provider) };
}

/** Identifiant et mot de passe vérifiés par l'annuaire (échecs comptés par compte et par adresse IP). */
async function ldapAuthenticate(
  deps: SsoRouteDeps, request: FastifyRequest, tenantId: string, connector: LdapConnector, credentials: { username: string; password: string },
): Promise<LdapIdentity> {
  const keys = [`ldap:${tenantId}:${(request.params as { provider: string }).provider}:${credentials.username.toLowerCase()}`, `ip:${request.ip ?? '?'}`];
  const wait = await deps.auth.throttle.retryAfter(keys);
  if (wait > 0) throw new ProblemError(429, 'too_many_attempts', 'Too many failed attempts, try again later', undefined, { 'Retry-After': String(wait) });
  try {
    const identity = await connector.authenticate(credentials.username, credentials.password);
    deps.auth.throttle.succeed(keys);
    return identity;
  } catch (error) {
    if (!(error instanceof LdapError)) throw error;
    if (error.code === 'unavailable') throw new ProblemError(503, 'directory_unavailable', 'The directory cannot be reached');
    deps.auth.throttle.fail(keys);
    throw invalidCredentials();
  }
}

function ldapCredentials(body: LdapBody | undefined): { username: string; password: string } {
  const { username, password } = body ?? {};
  if (typeof username !== 'string' || !username || username.length > 256 || typeof password !== 'string' || password.length > 1024) {
    throw validationFailed([{ field: 'username', code: 'required', message: 'username and password are required' }]);
  }
  return { username, password };
}

export function registerSsoRoutes(app: FastifyInstance, deps: SsoRouteDeps): void {
  app.post<{ Params: { provider: string }; Body: LdapBody | undefined }>('/api/v1/auth/ldap/:provider', { schema: ldapLoginSchema }, async (request, reply) => {
    const credentials = ldapCredentials(request.body);
    const { tenant: slug, cookie, totp } = request.body ?? {};
    if (totp !== undefined && (typeof totp !== 'string' || totp.length > 32)) throw validationFailed([{ field: 'totp', code: 'invalid_type', message: 'totp is a string' }]);
    const tenant = await findTenant(deps.db, typeof slug === 'string' ? slug : DEFAULT_TENANT);
    if (!tenant) throw invalidCredentials();
    const { provider, connector } = await ldapProvider(deps, tenant.id, request.params.provider);
    const identity = await ldapAuthenticate(deps, request, tenant.id, connector, credentials);
    const userId = await provisionUser(deps, tenant.id, provider, ldapIdentity(provider, identity), { locale: client(request).locale });
    // un annuaire n'atteste jamais de second facteur : le code TOTP accompagne le mot de passe, comme au login
    const { sessionId, ...tokens } = await deps.auth.startExternalSession(tenant.id, userId, client(request), provider.name, { providerMfa: false, totp });
    return cookie === true ? startCookieSession(request, reply, tokens, deps.signer.csrfFor(sessionId)) : tokens;
  });

  /** L'utilisateur connecté lie son identité d'annuaire à son compte (prouvée par son mot de passe d'annuaire). */
  app.post<{ Params: { provider: string }; Body: LdapBody | undefined }>('/api/v1/auth/ldap/:provider/link', { schema: ldapLinkSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const credentials = ldapCredentials(request.body);
    const { provider, connector } = await ldapProvider(deps, ctx.tenantId, request.params.provider);
    const identity = await ldapAuthenticate(deps, request, ctx.tenantId, connector, credentials);
    return reply.code(201).send(await linkOwnIdentity(deps, ctx, provider, { subject: identity.dn, email: identity.email }));
  });

  /** Fin d'une connexion par redirection : session par cookies, ou étape du second facteur (cookie chiffré, page du code). */
  async function finishRedirect(
    request: FastifyRequest, reply: FastifyReply, signIn: { tenantId: string; userId: string; provider: ProviderSettings; providerMfa: boolean; returnTo: string },
  ) {
    const { tenantId, userId, provider, providerMfa, returnTo } = signIn;
    try {
      const { sessionId, ...tokens } = await deps.auth.startExternalSession(tenantId, userId, client(request), provider.name, { providerMfa });
      startCookieSession(request, reply, tokens, deps.signer.csrfFor(sessionId));
      return reply.redirect(returnTo, 302);
    } catch (error) {
      if (!(error instanceof ProblemError) || error.code !== 'mfa_required') throw error;
      reply.setCookie(SECOND_FACTOR_COOKIE, deps.secondFactor.seal({ tenantId, userId, provider: provider.name, returnTo }), {
        httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/api/v1/auth/sso', maxAge: SECOND_FACTOR_TTL_SECONDS,
      });
      return reply.redirect(SECOND_FACTOR_PAGE, 302);
    }
  }

  /** Second facteur d'une connexion OIDC ou SAML : code TOTP (ou de secours), puis session par cookies. */
  app.post<{ Body: { totp?: unknown } | undefined }>('/api/v1/auth/sso/mfa', { schema: ssoMfaSchema }, async (request, reply) => {
    const pending = deps.secondFactor.open(request.cookies[SECOND_FACTOR_COOKIE]);
    if (!pending) throw new ProblemError(400, 'sso_state_missing', 'No sign-in is waiting for a second factor: start again');
    const totp = request.body?.totp;
    if (typeof totp !== 'string' || !totp || totp.length > 32) throw validationFailed([{ field: 'totp', code: 'required', message: 'A two-factor code is required' }]);
    const { sessionId, ...tokens } = await deps.auth.startExternalSession(pending.tenantId, pending.userId, client(request), pending.provider, { providerMfa: false, totp });
    reply.clearCookie(SECOND_FACTOR_COOKIE, { path: '/api/v1/auth/sso' });
    return { ...startCookieSession(request, reply, tokens, deps.signer.csrfFor(sessionId)), returnTo: pending.returnTo };
  });

  /** Synchronisation de l'annuaire (administrateur du tenant) : crée et met à jour les comptes, rôles compris. */
  app.post<{ Params: { provider: string } }>('/api/v1/auth/ldap/:provider/sync', { schema: ldapSyncSchema }, async (request) => {
    const ctx = requireAuth(request);
    if (!ctx.access?.admin && !ctx.access?.superAdmin) throw new ProblemError(403, 'forbidden', 'Only administrators synchronise a directory');
    const { provider } = await ldapProvider(deps, ctx.tenantId, request.params.provider);
    try {
      return await syncDirectory(deps, ctx.tenantId, provider);
    } catch (error) {
      // administrateur : la raison (refus de la politique des connexions sortantes, annuaire éteint…) lui est utile
      if (error instanceof LdapError) throw new ProblemError(503, 'directory_unavailable', `The directory cannot be reached (${error.message})`);
      throw error;
    }
  });

  /**
   * OpenID Connect : redirection vers le fournisseur, état de la connexion dans un cookie chiffré. `link=true` (session
   * ouverte) : l'identité obtenue sera liée au compte connecté au lieu d'ouvrir une session.
   */
  app.get<{ Params: { provider: string }; Querystring: { tenant?: string; returnTo?: string; link?: string } }>('/api/v1/auth/sso/:provider/start', { schema: oidcStartSchema }, async (request, reply) => {
    const linkUser = request.query.link === 'true' ? requireAuth(request) : undefined;
    const tenant = linkUser
      ? { id: linkUser.tenantId }
      : await findTenant(deps.db, typeof request.query.tenant === 'string' ? request.query.tenant : DEFAULT_TENANT);
    if (!tenant) throw notFound('Unknown tenant');
    const provider = await deps.providers.load(tenant.id, request.params.provider);
    if (!provider || provider.kind !== 'oidc') throw notFound('Unknown OpenID provider');
    const returnTo = typeof request.query.returnTo === 'string' && /^\/(?!\/)[\w\-/#?=&.%]*$/.test(request.query.returnTo) ? request.query.returnTo : '/app/';
    // fournisseur injoignable ou refusé par la politique des connexions sortantes : 502, jamais 500
    const connector = await deps.oidc.connector(tenant.id, provider).catch(ssoProblem);
    const { url, pending } = await connector.begin().catch(ssoProblem);
    reply.setCookie(SSO_COOKIE, deps.oidc.seal({ ...pending, tenantId: tenant.id, provider: provider.name, returnTo, ...(linkUser ? { linkUserId: linkUser.userId! } : {}) }),
      { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/api/v1/auth/sso', maxAge: 600 });
    return reply.redirect(url, 302);
  });

  /** Retour du fournisseur : vérifications (state, nonce, PKCE, jeton), provisionnement, session par cookies. */
  app.get<{ Params: { provider: string } }>('/api/v1/auth/sso/:provider/callback', { schema: oidcCallbackSchema }, async (request, reply) => {
    const pending = deps.oidc.open(request.cookies[SSO_COOKIE]);
    reply.clearCookie(SSO_COOKIE, { path: '/api/v1/auth/sso' });
    if (!pending || pending.provider !== request.params.provider) throw new ProblemError(400, 'sso_state_missing', 'No sign-in in progress for this provider: start again');
    const provider = await deps.providers.load(pending.tenantId, pending.provider);
    if (!provider || provider.kind !== 'oidc') throw notFound('Unknown OpenID provider');
    const connector = await deps.oidc.connector(pending.tenantId, provider).catch(ssoProblem);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const callback = `${deps.oidc.redirectUri(provider.name)}${query}`;
    const identity = await connector.complete(callback, pending).catch(ssoProblem);
    if (pending.linkUserId) {
      // liaison : la session qui l'a demandée doit être toujours là, pour le même compte
      const ctx = requireAuth(request);
      if (ctx.userId !== pending.linkUserId || ctx.tenantId !== pending.tenantId) throw new ProblemError(403, 'forbidden', 'The link was started from another session');
      await linkOwnIdentity(deps, ctx, provider, { subject: identity.subject, email: identity.email });
      return reply.redirect(pending.returnTo, 302);
    }
    const userId = await provisionUser(deps, pending.tenantId, provider, { ...identity, emailVerified: emailVerifiedBy(provider, identity.emailVerified) },
      { locale: client(request).locale });
    return finishRedirect(request, reply, { tenantId: pending.tenantId, userId, provider, providerMfa: providerAssertsMfa(provider, identity), returnTo: pending.returnTo });
  });

  /** SAML : métadonnées du fournisseur de service, redirection vers l'IdP, réception de l'assertion (POST). */
  async function samlProvider(slug: string, name: string) {
    const tenant = await findTenant(deps.db, slug);
    if (!tenant) throw notFound('Unknown tenant');
    const provider = await deps.providers.load(tenant.id, name);
    if (!provider || provider.kind !== 'saml') throw notFound('Unknown SAML provider');
    return { tenant, provider, connector: deps.saml.connector(tenant.slug, provider) };
  }

  app.get<{ Params: { tenant: string; provider: string } }>('/api/v1/auth/saml/:tenant/:provider/metadata', { schema: samlMetadataSchema }, async (request, reply) => {
    const { connector } = await samlProvider(request.params.tenant, request.params.provider);
    return reply.type('application/samlmetadata+xml').send(connector.metadata());
  });

  app.get<{ Params: { tenant: string; provider: string } }>('/api/v1/auth/saml/:tenant/:provider/login', { schema: samlLoginSchema }, async (request, reply) => {
    const { connector } = await samlProvider(request.params.tenant, request.params.provider);
    return reply.redirect(await connector.loginUrl(''), 302);
  });

  app.post<{ Params: { tenant: string; provider: string }; Body: Record<string, string> | undefined }>('/api/v1/auth/saml/:tenant/:provider/acs', { schema: samlAcsSchema }, async (request, reply) => {
    const { tenant, provider, connector } = await samlProvider(request.params.tenant, request.params.provider);
    const response = request.body?.SAMLResponse;
    if (typeof response !== 'string' || !response) throw validationFailed([{ field: 'SAMLResponse', code: 'required', message: 'SAMLResponse is required' }]);
    const identity = await connector.validate(response, deps.saml.replayStore(tenant.id)).catch((error: unknown) => {
      if (error instanceof SamlError) throw new ProblemError(401, `saml_${error.code}`, 'The identity provider answer was refused');
      throw error;
    });
    const userId = await provisionUser(deps, tenant.id, provider, { ...identity, emailVerified: emailVerifiedBy(provider) }, { locale: client(request).locale });
    return finishRedirect(request, reply, { tenantId: tenant.id, userId, provider, providerMfa: providerAssertsMfa(provider, identity), returnTo: '/app/' });
  });
}

const SSO_COOKIE = 'ofx_sso';

/** Erreur d'un fournisseur OpenID → problème HTTP (jamais une erreur 500). */
function ssoProblem(error: unknown): never {
  if (error instanceof OidcError) throw new ProblemError(error.code === 'unavailable' ? 502 : 401, `sso_${error.code}`, error.message);
  throw error;
}
