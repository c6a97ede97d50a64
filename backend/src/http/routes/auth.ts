// Routes d'authentification : login, refresh, logout, me.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { PlatformServices } from '../../core/services.js';
import { DEFAULT_TENANT, findTenant } from '../../tenancy/tenants.js';
import { requireAuth } from '../auth.js';
import { CSRF_HEADER, endCookieSession, SESSION_COOKIES, startCookieSession } from '../session-cookies.js';
import { badRequest, notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import {
  createTokenSchema, listTokensSchema, loginSchema, logoutSchema, meSchema, preferenceSchema, preferencesSchema, profileSchema, providersSchema,
  refreshSchema, revokeTokenSchema,
} from './auth-schemas.js';

/** Services que ces routes utilisent. */
export type AuthRouteDeps = Pick<PlatformServices, 'auth' | 'catalog' | 'catalogFor' | 'db' | 'preferences' | 'providers' | 'records' | 'signer' | 'tenantTx' | 'tokens'>;

const client = (request: FastifyRequest) => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: request.id,
});

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  app.post<{ Body: { email: string; password: string; tenant?: string; cookie?: boolean } }>('/api/v1/auth/login', { schema: loginSchema }, async (request, reply) => {
    const { sessionId, ...tokens } = await deps.auth.login(request.body, client(request));
    return request.body.cookie ? startCookieSession(request, reply, tokens, deps.signer.csrfFor(sessionId)) : tokens;
  });

  app.post<{ Body: { refreshToken?: unknown } | undefined }>('/api/v1/auth/refresh', { schema: refreshSchema }, async (request, reply) => {
    const given = request.body?.refreshToken;
    const cookie = request.cookies[SESSION_COOKIES.refresh];
    if (typeof given !== 'string' && !cookie) {
      throw badRequest('validation_failed', 'refreshToken is required', [{ field: 'refreshToken', code: 'required', message: 'refreshToken is required' }]);
    }
    if (typeof given === 'string') {
      const { sessionId: _session, ...tokens } = await deps.auth.refresh(given, client(request));
      return tokens;
    }
    // rafraîchissement par cookie : le jeton anti-CSRF de la session doit accompagner la demande
    const csrf = request.headers[CSRF_HEADER];
    const { sessionId, ...tokens } = await deps.auth.refresh(cookie, client(request), (session) => deps.signer.csrfMatches(session, csrf));
    return startCookieSession(request, reply, tokens, deps.signer.csrfFor(sessionId));
  });

  app.post<{ Body: { refreshToken?: unknown; everywhere?: unknown } | undefined }>('/api/v1/auth/logout', { schema: logoutSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    await deps.auth.logout(ctx, request.body?.refreshToken ?? request.cookies[SESSION_COOKIES.refresh], request.body?.everywhere === true);
    endCookieSession(reply);
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/me', { schema: meSchema }, async (request) => {
    const ctx = requireAuth(request);
    const access = ctx.access!;
    const catalog = await deps.catalogFor(ctx);
    return deps.tenantTx(ctx, async (trx) => {
      const model = catalog.get('user')!;
      const user = await deps.records.get(trx, { ...ctx, system: true }, catalog, model, ctx.userId!).catch(() => undefined);
      if (!user) throw notFound('User not found');
      const { rows } = await sql<{ id: string; slug: string; name: string }>`SELECT id, slug, name FROM tenant WHERE id = app_tenant()`.execute(trx);
      const companies = access.companyIds.length
        ? (await sql<{ id: string; name: string }>`SELECT id, name FROM ${sql.table(catalog.get('company')!.table)}
            WHERE id = ANY(${access.companyIds}::uuid[]) AND deleted_at IS NULL ORDER BY name`.execute(trx)).rows
        : [];
      return {
        user,
        tenant: rows[0] ?? null,
        companies,
        currentCompanyId: access.currentCompanyId,
        roles: access.roles.map((r) => r.name),
        superAdmin: access.superAdmin,
        admin: access.admin,
        // administrateurs : tous les droits du tenant
        permissions: access.superAdmin || access.admin ? ['*'] : access.permissions,
        preferences: await deps.preferences.effective(trx, catalog, ctx.userId!),
      };
    });
  });

  /** Réglages personnels portés par la fiche utilisateur : langue et société courante (parmi les siennes). */
  app.patch<{ Body: { locale?: string; currentCompany?: string } }>('/api/v1/auth/me', { schema: profileSchema }, async (request) => {
    const ctx = requireAuth(request);
    const { locale, currentCompany } = request.body;
    if (currentCompany !== undefined && !ctx.access?.companyIds.includes(currentCompany)) {
      throw validationFailed([{ field: 'currentCompany', code: 'not_allowed', message: 'This company is not one of yours' }]);
    }
    const catalog = await deps.catalog(ctx.tenantId);
    // le même contexte pour la transaction et l'écriture : l'écriture d'un utilisateur y marque le profil d'accès à
    // oublier, ce que tenantTx fait sur ce nœud dès le commit (les autres nœuds par NOTIFY)
    const system = { ...ctx, system: true };
    await deps.tenantTx(system, (trx) => deps.records.update(trx, system, catalog, catalog.get('user')!, ctx.userId!,
      { ...(locale ? { locale } : {}), ...(currentCompany ? { currentCompany } : {}) }), { write: true });
    return { locale: locale ?? null, currentCompany: currentCompany ?? null };
  });

  app.get('/api/v1/auth/me/preferences', { schema: preferencesSchema }, async (request) => {
    const ctx = requireAuth(request);
    const catalog = await deps.catalog(ctx.tenantId);
    return deps.tenantTx(ctx, (trx) => deps.preferences.effective(trx, catalog, ctx.userId!), { singleStatement: true });
  });

  app.put<{ Params: { key: string }; Body: { value?: unknown } }>('/api/v1/auth/me/preferences/:key', { schema: preferenceSchema }, async (request) => {
    const ctx = requireAuth(request);
    if (!request.body || typeof request.body !== 'object' || !('value' in request.body)) {
      throw badRequest('validation_failed', 'value is required', [{ field: 'value', code: 'required', message: 'value is required' }]);
    }
    const catalog = await deps.catalog(ctx.tenantId);
    await deps.tenantTx(ctx, (trx) => deps.preferences.set(trx, ctx, catalog, request.params.key, request.body.value), { write: true });
    return deps.tenantTx(ctx, (trx) => deps.preferences.effective(trx, catalog, ctx.userId!), { singleStatement: true });
  });

  /** Les jetons personnels se gèrent depuis une session : un jeton ne peut pas en créer d'autres. */
  function requireSession(request: FastifyRequest) {
    const ctx = requireAuth(request);
    if (ctx.tokenId) throw new ProblemError(403, 'session_required', 'Personal access tokens are managed from a signed-in session');
    return ctx;
  }

  app.post<{ Body: Record<string, unknown> | undefined }>('/api/v1/auth/tokens', { schema: createTokenSchema }, async (request, reply) =>
    reply.code(201).send(await deps.tokens.create(requireSession(request), request.body ?? {})));
  app.get('/api/v1/auth/tokens', { schema: listTokensSchema }, async (request) => deps.tokens.list(requireSession(request)));
  app.delete<{ Params: { id: string } }>('/api/v1/auth/tokens/:id', { schema: revokeTokenSchema }, async (request, reply) => {
    await deps.tokens.revoke(requireSession(request), request.params.id);
    return reply.code(204).send();
  });

  /**
   * Fournisseurs d'identité actifs d'un tenant, pour la page de connexion (sans authentification). Un tenant inconnu
   * reçoit la même réponse qu'un tenant sans fournisseur : la page de connexion ne révèle pas quels tenants existent.
   */
  app.get<{ Querystring: { tenant?: string } }>('/api/v1/auth/providers', { schema: providersSchema }, async (request) => {
    const tenant = await findTenant(deps.db, typeof request.query.tenant === 'string' ? request.query.tenant : DEFAULT_TENANT);
    return { data: tenant ? await deps.providers.listPublic(tenant.id) : [] };
  });
}
