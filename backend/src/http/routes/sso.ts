// Connexions par fournisseur externe : LDAP / Active Directory (identifiant et mot de passe vérifiés par l'annuaire),
// avec provisionnement juste-à-temps et correspondance groupes → rôles.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { DEFAULT_TENANT, findTenant } from '../../core/tenants.js';
import { LdapError } from '../../iam/sso/ldap.js';
import { ldapConnector, syncDirectory } from '../../iam/sso/directory-sync.js';
import { OidcError } from '../../iam/sso/oidc.js';
import { SamlError } from '../../iam/sso/saml.js';
import { provisionUser } from '../../iam/sso/provisioning.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError, validationFailed } from '../problem.js';
import { startCookieSession } from '../session-cookies.js';

const invalidCredentials = () => new ProblemError(401, 'invalid_credentials', 'Invalid username or password');
const client = (request: FastifyRequest) => ({ ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, requestId: request.id });

type LdapBody = { username?: unknown; password?: unknown; tenant?: unknown; cookie?: unknown };

async function ldapProvider(platform: Platform, tenantId: string, name: string) {
  const provider = await platform.providers.load(tenantId, name);
  if (!provider || provider.kind !== 'ldap') throw notFound('Unknown LDAP provider');
  return { provider, connector: ldapConnector(provider) };
}

export function registerSsoRoutes(app: FastifyInstance, platform: Platform): void {
  app.post<{ Params: { provider: string }; Body: LdapBody | undefined }>('/api/v1/auth/ldap/:provider', async (request, reply) => {
    const { username, password, tenant: slug, cookie } = request.body ?? {};
    if (typeof username !== 'string' || !username || username.length > 256 || typeof password !== 'string' || password.length > 1024) {
      throw validationFailed([{ field: 'username', code: 'required', message: 'username and password are required' }]);
    }
    const tenant = await findTenant(platform.db, typeof slug === 'string' ? slug : DEFAULT_TENANT);
    if (!tenant) throw invalidCredentials();
    const keys = [`ldap:${tenant.id}:${request.params.provider}:${username.toLowerCase()}`, `ip:${request.ip ?? '?'}`];
    const wait = await platform.auth.throttle.retryAfter(keys);
    if (wait > 0) throw new ProblemError(429, 'too_many_attempts', 'Too many failed attempts, try again later', undefined, { 'Retry-After': String(wait) });
    const { provider, connector } = await ldapProvider(platform, tenant.id, request.params.provider);
    let identity;
    try {
      identity = await connector.authenticate(username, password);
    } catch (error) {
      if (!(error instanceof LdapError)) throw error;
      if (error.code === 'unavailable') throw new ProblemError(503, 'directory_unavailable', 'The directory cannot be reached');
      platform.auth.throttle.fail(keys);
      throw invalidCredentials();
    }
    platform.auth.throttle.succeed(keys);
    const userId = await provisionUser(platform, tenant.id, provider, { subject: identity.dn, email: identity.email, name: identity.name, groups: identity.groups });
    const { sessionId, ...tokens } = await platform.auth.startExternalSession(tenant.id, userId, client(request), provider.name);
    return cookie === true ? startCookieSession(request, reply, tokens, platform.signer.csrfFor(sessionId)) : tokens;
  });

  /** Synchronisation de l'annuaire (administrateur du tenant) : crée et met à jour les comptes, rôles compris. */
  app.post<{ Params: { provider: string } }>('/api/v1/auth/ldap/:provider/sync', async (request) => {
    const ctx = requireAuth(request);
    if (!ctx.access?.admin && !ctx.access?.superAdmin) throw new ProblemError(403, 'forbidden', 'Only administrators synchronise a directory');
    const { provider } = await ldapProvider(platform, ctx.tenantId, request.params.provider);
    try {
      return await syncDirectory(platform, ctx.tenantId, provider);
    } catch (error) {
      if (error instanceof LdapError) throw new ProblemError(503, 'directory_unavailable', 'The directory cannot be reached');
      throw error;
    }
  });

  /** OpenID Connect : redirection vers le fournisseur, état de la connexion dans un cookie chiffré. */
  app.get<{ Params: { provider: string }; Querystring: { tenant?: string; returnTo?: string } }>('/api/v1/auth/sso/:provider/start', async (request, reply) => {
    const tenant = await findTenant(platform.db, typeof request.query.tenant === 'string' ? request.query.tenant : DEFAULT_TENANT);
    if (!tenant) throw notFound('Unknown tenant');
    const provider = await platform.providers.load(tenant.id, request.params.provider);
    if (!provider || provider.kind !== 'oidc') throw notFound('Unknown OpenID provider');
    const returnTo = typeof request.query.returnTo === 'string' && /^\/(?!\/)[\w\-/#?=&.%]*$/.test(request.query.returnTo) ? request.query.returnTo : '/app/';
    const { url, pending } = await (await platform.oidc.connector(tenant.id, provider)).begin().catch(ssoProblem);
    reply.setCookie(SSO_COOKIE, platform.oidc.seal({ ...pending, tenantId: tenant.id, provider: provider.name, returnTo }),
      { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/api/v1/auth/sso', maxAge: 600 });
    return reply.redirect(url, 302);
  });

  /** Retour du fournisseur : vérifications (state, nonce, PKCE, jeton), provisionnement, session par cookies. */
  app.get<{ Params: { provider: string } }>('/api/v1/auth/sso/:provider/callback', async (request, reply) => {
    const pending = platform.oidc.open(request.cookies[SSO_COOKIE]);
    reply.clearCookie(SSO_COOKIE, { path: '/api/v1/auth/sso' });
    if (!pending || pending.provider !== request.params.provider) throw new ProblemError(400, 'sso_state_missing', 'No sign-in in progress for this provider: start again');
    const provider = await platform.providers.load(pending.tenantId, pending.provider);
    if (!provider || provider.kind !== 'oidc') throw notFound('Unknown OpenID provider');
    const connector = await platform.oidc.connector(pending.tenantId, provider).catch(ssoProblem);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const callback = `${platform.oidc.redirectUri(provider.name)}${query}`;
    const identity = await connector.complete(callback, pending).catch(ssoProblem);
    const userId = await provisionUser(platform, pending.tenantId, provider, identity);
    const { sessionId, ...tokens } = await platform.auth.startExternalSession(pending.tenantId, userId, client(request), provider.name);
    startCookieSession(request, reply, tokens, platform.signer.csrfFor(sessionId));
    return reply.redirect(pending.returnTo, 302);
  });

  /** SAML : métadonnées du fournisseur de service, redirection vers l'IdP, réception de l'assertion (POST). */
  async function samlProvider(slug: string, name: string) {
    const tenant = await findTenant(platform.db, slug);
    if (!tenant) throw notFound('Unknown tenant');
    const provider = await platform.providers.load(tenant.id, name);
    if (!provider || provider.kind !== 'saml') throw notFound('Unknown SAML provider');
    return { tenant, provider, connector: platform.saml.connector(tenant.slug, provider) };
  }

  app.get<{ Params: { tenant: string; provider: string } }>('/api/v1/auth/saml/:tenant/:provider/metadata', async (request, reply) => {
    const { connector } = await samlProvider(request.params.tenant, request.params.provider);
    return reply.type('application/samlmetadata+xml').send(connector.metadata());
  });

  app.get<{ Params: { tenant: string; provider: string } }>('/api/v1/auth/saml/:tenant/:provider/login', async (request, reply) => {
    const { connector } = await samlProvider(request.params.tenant, request.params.provider);
    return reply.redirect(await connector.loginUrl(''), 302);
  });

  app.post<{ Params: { tenant: string; provider: string }; Body: Record<string, string> | undefined }>('/api/v1/auth/saml/:tenant/:provider/acs', async (request, reply) => {
    const { tenant, provider, connector } = await samlProvider(request.params.tenant, request.params.provider);
    const response = request.body?.SAMLResponse;
    if (typeof response !== 'string' || !response) throw validationFailed([{ field: 'SAMLResponse', code: 'required', message: 'SAMLResponse is required' }]);
    const identity = await connector.validate(response, platform.saml.replayStore(tenant.id)).catch((error: unknown) => {
      if (error instanceof SamlError) throw new ProblemError(401, `saml_${error.code}`, 'The identity provider answer was refused');
      throw error;
    });
    const userId = await provisionUser(platform, tenant.id, provider, identity);
    const { sessionId, ...tokens } = await platform.auth.startExternalSession(tenant.id, userId, client(request), provider.name);
    startCookieSession(request, reply, tokens, platform.signer.csrfFor(sessionId));
    return reply.redirect('/app/', 302);
  });
}

const SSO_COOKIE = 'ofx_sso';

/** Erreur d'un fournisseur OpenID → problème HTTP (jamais une erreur 500). */
function ssoProblem(error: unknown): never {
  if (error instanceof OidcError) throw new ProblemError(error.code === 'unavailable' ? 502 : 401, `sso_${error.code}`, error.message);
  throw error;
}
