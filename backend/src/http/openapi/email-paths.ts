// Chemins OpenAPI des courriels : modèles par défaut et aperçu (l'entité email_template a ses routes génériques),
// historique des messages, renvoi et rebond (administrateurs du tenant).
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const nullable = (type: string, format?: string) => ({ type: [type, 'null'], ...(format ? { format } : {}) });

const MESSAGE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, status: { enum: ['queued', 'sent', 'failed', 'bounced'] }, to: { type: 'string' }, subject: { type: 'string' },
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

const message = (summary: string, extra: Doc = {}) => ({
  parameters: [pathParameter('id')],
  post: { tags: ['email'], summary, ...extra, responses: { 200: { description: 'The message', ...json(MESSAGE) }, ...problems(400, 401, 403, 404, 409) } },
});

export const emailPaths: Doc = {
  '/api/v1/email/templates': {
    get: {
      tags: ['email'], summary: 'Default templates declared by the code (a tenant overrides one with an email_template of the same key and locale)',
      responses: { 200: { description: 'Templates', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }) }, ...problems(401, 403) },
    },
  },
  '/api/v1/email/templates/{key}/preview': {
    parameters: [pathParameter('key')],
    post: {
      tags: ['email'], summary: 'Render a template (tenant override or default; locale falls back to the tenant default, then en), or a draft',
      requestBody: {
        required: true,
        ...json({
          type: 'object', additionalProperties: false,
          properties: {
            locale: { type: 'string' }, variables: { type: 'object' },
            draft: { type: 'object', required: ['subject', 'body'], properties: { subject: { type: 'string' }, body: { type: 'string', description: 'MJML' }, text: { type: ['string', 'null'] } } },
          },
        }),
      },
      responses: { 200: { description: 'Rendered subject, HTML and text', ...json(RENDERED) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/email/messages': {
    get: {
      tags: ['email'], summary: 'Email history of the tenant, latest first (administrators)',
      parameters: [
        { name: 'status', in: 'query', schema: { enum: ['queued', 'sent', 'failed', 'bounced'] } },
        { name: 'to', in: 'query', description: 'part of the recipient address, case-insensitive', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: {
        200: { description: 'Messages', ...json({ type: 'object', properties: { data: { type: 'array', items: MESSAGE }, meta: { type: 'object', properties: { nextCursor: nullable('string') } } } }) },
        ...problems(400, 401, 403),
      },
    },
  },
  '/api/v1/email/messages/{id}': {
    parameters: [pathParameter('id')],
    get: { tags: ['email'], summary: 'One message with its content (administrators)', responses: { 200: { description: 'The message', ...json(MESSAGE) }, ...problems(401, 403, 404) } },
  },
  '/api/v1/email/messages/{id}/resend': {
    parameters: [pathParameter('id')],
    post: {
      tags: ['email'], summary: 'Queue a copy of a sent, failed or bounced message as a new message',
      responses: { 201: { description: 'The new message', ...json(MESSAGE) }, ...problems(401, 403, 404, 409) },
    },
  },
  '/api/v1/email/messages/{id}/bounce': message('Record that a sent message bounced (reported by a DSN reader, a provider webhook or an administrator)', {
    requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 2000 } } }) },
  }),
};
