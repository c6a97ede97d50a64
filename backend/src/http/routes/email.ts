// Courriels : modèles par défaut et aperçu d'un modèle (droit de lecture de l'entité email_template), historique des
// messages du tenant, renvoi et rebond (administrateurs du tenant).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { EMAIL_STATUSES, messageJson, type EmailStatus } from '../../services/email/history.js';
import { renderTemplate, templateProblems } from '../../services/email/render.js';
import { EMAIL_TEMPLATE, LOCALE_PATTERN, TEMPLATE_KEY_PATTERN } from '../../services/email/template-entity.js';
import { requireAdmin, requireAuth } from '../auth.js';
import { validationFailed } from '../../errors/problem.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidParams, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type EmailRouteDeps = Pick<PlatformServices, 'catalogFor' | 'email' | 'records' | 'tenantTx'>;

const ADMIN_ONLY = 'Only administrators read and act on the email history';
const tags = ['email'];

const nullable = (type: string, format?: string) => ({ type: [type, 'null'], ...(format ? { format } : {}) });
const MESSAGE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, status: { enum: [...EMAIL_STATUSES] }, to: { type: 'string' }, subject: { type: 'string' },
    template: nullable('string'), locale: nullable('string'),
    attachments: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' } } } },
    attempts: { type: 'integer' }, lastError: nullable('string'), providerMessageId: nullable('string'), jobId: nullable('string'), resendOf: nullable('string'),
    createdBy: nullable('string'), createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
    sentAt: nullable('string', 'date-time'), failedAt: nullable('string', 'date-time'), bouncedAt: nullable('string', 'date-time'),
    html: { ...nullable('string'), description: 'detail only; null once a confidential message is sent' },
    text: { ...nullable('string'), description: 'detail only' }, sensitive: { type: 'boolean', description: 'detail only' },
  },
};
const RENDERED = {
  type: 'object',
  properties: { subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, locale: nullable('string'), origin: { enum: ['tenant', 'default', 'draft'] } },
};
const ONE_MESSAGE = { 200: { description: 'The message', ...json(MESSAGE) } };

const templatesSchema = routeSchema({
  operationId: 'listEmailTemplates', tags,
  summary: 'Default templates declared by the code (a tenant overrides one with an email_template of the same key and locale)',
  responses: { 200: { description: 'Templates', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }) } },
});

const previewSchema = routeSchema({
  operationId: 'previewEmailTemplate', tags,
  summary: 'Render a template (tenant override or default; locale falls back to the tenant default, then en), or a draft',
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
        description: 'draft of the editor, rendered instead of the stored template',
        properties: { subject: { type: 'string', maxLength: 500 }, body: { type: 'string', maxLength: 200_000, description: 'MJML' }, text: { type: ['string', 'null'], maxLength: 100_000 } },
      },
    },
  },
  responses: { 200: { description: 'Rendered subject, HTML and text', ...json(RENDERED) }, ...problems(400) },
});

const listSchema = routeSchema({
  operationId: 'listEmailMessages', tags, summary: 'Email history of the tenant, latest first (administrators)',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: [...EMAIL_STATUSES] },
      to: { type: 'string', minLength: 1, maxLength: 320, description: 'part of the recipient address, case-insensitive' },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1 to 200, 50 by default' },
      cursor: { ...uuidString, description: 'meta.nextCursor of the previous page' },
    },
  },
  responses: {
    200: { description: 'Messages', ...json(pageOf(MESSAGE)) },
    ...problems(400),
  },
});

const messageSchema = routeSchema({
  operationId: 'getEmailMessage', tags, summary: 'One message with its content (administrators)',
  params: uuidParams('id'), responses: { ...ONE_MESSAGE, ...problems(404) },
});

const resendSchema = routeSchema({
  operationId: 'resendEmailMessage', tags, summary: 'Queue a copy of a sent, failed or bounced message as a new message (administrators)',
  params: uuidParams('id'), responses: { 201: { description: 'The new message', ...json(MESSAGE) }, ...problems(404, 409) },
});

const BOUNCE_BODY = { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 2000 } } };
const bounceSchema = routeSchema({
  operationId: 'recordEmailBounce', tags,
  summary: 'Record that a sent message bounced (reported by a DSN reader, a provider webhook or an administrator)',
  params: uuidParams('id'), body: BOUNCE_BODY,
  // corps facultatif : sans raison, « Bounce reported »
  requestBody: { required: false, ...json(BOUNCE_BODY) },
  responses: { ...ONE_MESSAGE, ...problems(400, 404, 409) },
});

interface PreviewBody {
  locale?: string;
  variables?: Record<string, unknown>;
  draft?: { subject: string; body: string; text?: string | null };
}

export function registerEmailRoutes(app: FastifyInstance, deps: EmailRouteDeps): void {
  /** Appelant qui peut lire les modèles (droit `email_template:read`, 403 sinon). */
  async function templateReader(request: FastifyRequest) {
    const ctx = requireAuth(request);
    deps.records.entity(ctx, await deps.catalogFor(ctx), EMAIL_TEMPLATE, 'read');
    return ctx;
  }

  app.get('/api/v1/email/templates', { schema: templatesSchema }, async (request) => {
    await templateReader(request);
    return { data: deps.email.templates.list() };
  });

  app.post<{ Params: { key: string }; Body: PreviewBody }>('/api/v1/email/templates/:key/preview', { schema: previewSchema }, async (request) => {
    const ctx = await templateReader(request);
    const { locale, variables, draft } = request.body ?? {};
    if (draft) {
      const errors = await templateProblems(draft);
      if (errors.length) throw validationFailed(errors.map((e) => ({ ...e, field: `draft.${e.field}` })));
      return { ...(await renderTemplate(draft, variables)), locale: locale ?? null, origin: 'draft' };
    }
    return deps.tenantTx(ctx, (trx) => deps.email.templates.render(trx, ctx.tenantId, request.params.key, locale, variables));
  });

  app.get<{ Querystring: { status?: EmailStatus; to?: string; limit?: string; cursor?: string } }>('/api/v1/email/messages', { schema: listSchema }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 200);
    return deps.email.history.list(ctx.tenantId, { status: request.query.status, to: request.query.to, cursor: request.query.cursor, limit });
  });

  app.get<{ Params: { id: string } }>('/api/v1/email/messages/:id', { schema: messageSchema }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    return messageJson(await deps.email.history.get(ctx.tenantId, request.params.id), true);
  });

  app.post<{ Params: { id: string } }>('/api/v1/email/messages/:id/resend', { schema: resendSchema }, async (request, reply) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const message = await deps.email.resend(ctx.tenantId, request.params.id, ctx.userId);
    return reply.code(201).header('Location', `/api/v1/email/messages/${message.id as string}`).send(message);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/api/v1/email/messages/:id/bounce', { schema: bounceSchema }, async (request) => {
    const ctx = requireAdmin(request, ADMIN_ONLY);
    const reason = request.body?.reason?.trim() || 'Bounce reported';
    return messageJson(await deps.email.history.bounce(ctx.tenantId, { id: request.params.id }, reason), true);
  });
}
