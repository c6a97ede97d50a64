// Courriels : modèles par défaut et aperçu d'un modèle (droit de lecture de l'entité email_template), historique des
// messages du tenant, renvoi et rebond (administrateurs du tenant).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { EMAIL_STATUSES, messageJson, type EmailStatus } from '../../services/email/history.js';
import { renderTemplate, templateProblems } from '../../services/email/render.js';
import { EMAIL_TEMPLATE, LOCALE_PATTERN, TEMPLATE_KEY_PATTERN } from '../../services/email/template-entity.js';
import { requireAdmin, requireAuth } from '../auth.js';
import { validationFailed } from '../problem.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const ADMIN_ONLY = 'Only administrators read and act on the email history';
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: UUID } }, required: ['id'] } as const;

const previewSchema = {
  params: { type: 'object', properties: { key: { type: 'string', pattern: TEMPLATE_KEY_PATTERN } }, required: ['key'] },
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      locale: { type: 'string', pattern: LOCALE_PATTERN },
      variables: { type: 'object' },
      /** brouillon de l'éditeur : rendu à la place du modèle enregistré */
      draft: {
        type: 'object', additionalProperties: false, required: ['subject', 'body'],
        properties: { subject: { type: 'string', maxLength: 500 }, body: { type: 'string', maxLength: 200_000 }, text: { type: ['string', 'null'], maxLength: 100_000 } },
      },
    },
  },
} as const;

const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: [...EMAIL_STATUSES] },
      to: { type: 'string', minLength: 1, maxLength: 320 },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
      cursor: { type: 'string', pattern: UUID },
    },
  },
} as const;

interface PreviewBody {
  locale?: string;
  variables?: Record<string, unknown>;
  draft?: { subject: string; body: string; text?: string | null };
}

export function registerEmailRoutes(app: FastifyInstance, platform: Platform): void {
  /** Appelant qui peut lire les modèles (droit `email_template:read`, 403 sinon). */
  async function templateReader(request: FastifyRequest) {
    const ctx = requireAuth(request);
    platform.records.entity(ctx, await platform.catalogFor(ctx), EMAIL_TEMPLATE, 'read');
    return ctx;
  }

  app.get('/api/v1/email/templates', async (request) => {
    await templateReader(request);
    return { data: platform.email.templates.list() };
  });

  app.post<{ Params: { key: string }; Body: PreviewBody }>('/api/v1/email/templates/:key/preview', { schema: previewSchema }, async (request) => {
    const ctx = await templateReader(request);
    const { locale, variables, draft } = request.body ?? {};
    if (draft) {
      const errors = await templateProblems(draft);
      if (errors.length) throw validationFailed(errors.map((e) => ({ ...e, field: `draft.${e.field}` })));
      return { ...(await renderTemplate(draft, variables)), locale: locale ?? null, origin: 'draft' };
    }
    return platform.tenantTx(ctx, (trx) => platform.email.templates.render(trx, ctx.tenantId, request.params.key, locale, variables));
  });

  app.get<{ Querystring: { status?: EmailStatus; to?: string; limit?: string; cursor?: string } }>('/api/v1/email/messages', { schema: listSchema }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 200);
    return platform.email.history.list(ctx.tenantId, { status: request.query.status, to: request.query.to, cursor: request.query.cursor, limit });
  });

  app.get<{ Params: { id: string } }>('/api/v1/email/messages/:id', { schema: { params: idParams } }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    return messageJson(await platform.email.history.get(ctx.tenantId, request.params.id), true);
  });

  app.post<{ Params: { id: string } }>('/api/v1/email/messages/:id/resend', { schema: { params: idParams } }, async (request, reply) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const message = await platform.email.resend(ctx.tenantId, request.params.id, ctx.userId);
    return reply.code(201).header('Location', `/api/v1/email/messages/${message.id as string}`).send(message);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/api/v1/email/messages/:id/bounce', {
    schema: { params: idParams, body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 2000 } } } },
  }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const reason = request.body?.reason?.trim() || 'Bounce reported';
    return messageJson(await platform.email.history.bounce(ctx.tenantId, { id: request.params.id }, reason), true);
  });
}
