// Routes d'authentification : login, refresh, logout, me.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../../core/platform.js';
import { requireAuth } from '../auth.js';
import { badRequest, notFound } from '../problem.js';

const loginSchema = {
  body: {
    type: 'object',
    required: ['email', 'password'],
    additionalProperties: false,
    properties: {
      email: { type: 'string', minLength: 3, maxLength: 320 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      totp: { type: 'string', maxLength: 16 },
      tenant: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    },
  },
} as const;

const client = (request: FastifyRequest) => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: request.id,
});

export function registerAuthRoutes(app: FastifyInstance, platform: Platform): void {
  app.post<{ Body: { email: string; password: string; tenant?: string } }>('/api/v1/auth/login', { schema: loginSchema }, async (request) =>
    platform.auth.login(request.body, client(request)));

  app.post<{ Body: { refreshToken?: unknown } }>('/api/v1/auth/refresh', async (request) => {
    if (typeof request.body?.refreshToken !== 'string') throw badRequest('validation_failed', 'refreshToken is required', [{ field: 'refreshToken', code: 'required', message: 'refreshToken is required' }]);
    return platform.auth.refresh(request.body.refreshToken, client(request));
  });

  app.post<{ Body: { refreshToken?: unknown; everywhere?: unknown } | undefined }>('/api/v1/auth/logout', async (request, reply) => {
    const ctx = requireAuth(request);
    await platform.auth.logout(ctx, request.body?.refreshToken, request.body?.everywhere === true);
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/me', async (request) => {
    const ctx = requireAuth(request);
    const catalog = await platform.catalog(ctx.tenantId);
    return platform.tenantTx(ctx, async (trx) => {
      const model = catalog.get('user')!;
      const user = await platform.records.get(trx, ctx, catalog, model, ctx.userId!).catch(() => undefined);
      if (!user) throw notFound('User not found');
      const { rows } = await sql<{ id: string; slug: string; name: string }>`SELECT id, slug, name FROM tenant WHERE id = app_tenant()`.execute(trx);
      return {
        user,
        tenant: rows[0] ?? null,
        companies: [],
        roles: user.superAdmin ? ['super_admin'] : ['user'],
        // le modèle de permissions complet arrive avec l'IAM ; en attendant tout utilisateur a tous les droits de son tenant
        permissions: ['*'],
        preferences: { locale: user.locale ?? 'fr', timezone: user.timezone ?? 'Europe/Paris' },
      };
    });
  });
}
