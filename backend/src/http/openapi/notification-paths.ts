// Chemins OpenAPI des notifications de l'utilisateur et de son flux d'événements (SSE).
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const PRIORITY = { enum: ['low', 'normal', 'high', 'urgent'] };
const NOTIFICATION = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, state: { enum: ['unread', 'read', 'archived'] }, priority: PRIORITY,
    category: { type: ['string', 'null'] }, title: { type: 'string', description: 'In the language of the request' }, body: { type: ['string', 'null'] },
    link: { type: ['string', 'null'], description: 'Application path or http(s) URL' },
    groupKey: { type: ['string', 'null'] }, count: { type: 'integer', description: 'Notifications of the group merged into this one' },
    createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
    readAt: { type: ['string', 'null'], format: 'date-time' }, archivedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const CHOICE = { type: 'object', additionalProperties: false, properties: { inApp: { type: 'boolean' }, email: { type: 'boolean' } } };
const PREFERENCES = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'boolean', description: 'Master switch of the e-mail channel' },
    priorities: { type: 'object', additionalProperties: false, properties: { low: CHOICE, normal: CHOICE, high: CHOICE, urgent: CHOICE } },
    categories: { type: 'object', description: 'Per category, overrides the priority channel by channel', additionalProperties: CHOICE },
  },
};

const transition = (summary: string) => ({
  parameters: [pathParameter('id')],
  post: { tags: ['notifications'], summary, responses: { 200: { description: 'The notification', ...json(NOTIFICATION) }, ...problems(400, 401, 403, 404) } },
});

export const notificationPaths: Doc = {
  '/api/v1/notifications': {
    get: {
      tags: ['notifications'], summary: 'Notifications of the current user, newest first, with the unread count',
      parameters: [
        { name: 'state', in: 'query', schema: { enum: ['unread', 'read', 'archived', 'inbox', 'all'], default: 'inbox' }, description: 'inbox: unread and read; all: archived included' },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' }, description: 'meta.nextCursor of the previous page' },
      ],
      responses: {
        200: { description: 'Page', ...json({ type: 'object', properties: { data: { type: 'array', items: NOTIFICATION }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] }, unreadCount: { type: 'integer' } } } } }) },
        ...problems(400, 401, 403),
      },
    },
  },
  '/api/v1/notifications/{id}/read': transition('Mark a notification read'),
  '/api/v1/notifications/{id}/unread': transition('Mark a notification unread (back in the inbox if archived)'),
  '/api/v1/notifications/{id}/archive': transition('Archive a notification'),
  '/api/v1/notifications/read-all': {
    post: { tags: ['notifications'], summary: 'Mark every unread notification read', responses: { 200: { description: 'Done', ...json({ type: 'object', properties: { updated: { type: 'integer' }, unreadCount: { type: 'integer' } } }) }, ...problems(401, 403) } },
  },
  '/api/v1/notifications/preferences': {
    get: { tags: ['notifications'], summary: 'Channel preferences of the current user (in-app, e-mail) per priority and category', responses: { 200: { description: 'Preferences', ...json(PREFERENCES) }, ...problems(401, 403) } },
    put: {
      tags: ['notifications'], summary: 'Change channel preferences: given priorities are merged, given categories replace the previous ones',
      requestBody: { required: true, ...json(PREFERENCES) },
      responses: { 200: { description: 'Effective preferences', ...json(PREFERENCES) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/events/stream': {
    get: {
      tags: ['notifications'],
      summary: 'Server-sent events of the current user: `notification` (id = change number, data = the notification), `unread` (data = {count}); a comment every 25 s',
      description: 'Bearer token or the session cookie. Reconnecting with Last-Event-ID (header, or lastEventId query parameter) replays the changes after it.',
      parameters: [
        { name: 'Last-Event-ID', in: 'header', schema: { type: 'string', pattern: '^[0-9]+$' } },
        { name: 'lastEventId', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
        { name: 'locale', in: 'query', schema: { enum: ['en', 'fr'] }, description: 'Language of the texts (default: Accept-Language)' },
      ],
      responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems(400, 401, 403) },
    },
  },
};
