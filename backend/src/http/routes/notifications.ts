// Notifications de l'utilisateur connecté : liste (avec le nombre de non lues), lu / non lu / archivé, tout lu,
// préférences de canaux. Chacun ne voit et ne change que les siennes (celles d'un autre : 404).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { RequestContext } from '../../engine/context.js';
import type { ListState, StateAction } from '../../services/notifications/store.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidParams, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type NotificationRouteDeps = Pick<PlatformServices, 'notifications'>;

export const LIST_STATES = ['unread', 'read', 'archived', 'inbox', 'all'] as const;
const tags = ['notifications'];

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

const listSchema = routeSchema({
  operationId: 'listNotifications', tags, summary: 'Notifications of the current user, newest first, with the unread count',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: LIST_STATES, description: 'inbox (default): unread and read; all: archived included' },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1 to 100, 20 by default' },
      cursor: { ...uuidString, description: 'meta.nextCursor of the previous page' },
    },
  },
  responses: {
    200: { description: 'Page', ...json(pageOf(NOTIFICATION, { unreadCount: { type: 'integer' } })) },
    ...problems(400),
  },
});

const transition = (operationId: string, summary: string) => routeSchema({
  operationId, tags, summary, params: uuidParams('id'),
  responses: { 200: { description: 'The notification', ...json(NOTIFICATION) }, ...problems(400, 404) },
});
const transitionSchemas: Record<StateAction, ReturnType<typeof transition>> = {
  read: transition('markNotificationRead', 'Mark a notification read'),
  unread: transition('markNotificationUnread', 'Mark a notification unread (back in the inbox if archived)'),
  archive: transition('archiveNotification', 'Archive a notification'),
};

const readAllSchema = routeSchema({
  operationId: 'markAllNotificationsRead', tags, summary: 'Mark every unread notification read',
  responses: { 200: { description: 'Done', ...json({ type: 'object', properties: { updated: { type: 'integer' }, unreadCount: { type: 'integer' } } }) } },
});
const preferencesSchema = routeSchema({
  operationId: 'getNotificationPreferences', tags, summary: 'Channel preferences of the current user (in-app, e-mail) per priority and category',
  responses: { 200: { description: 'Preferences', ...json(PREFERENCES) } },
});
const setPreferencesSchema = routeSchema({
  operationId: 'updateNotificationPreferences', tags,
  summary: 'Change channel preferences: given priorities are merged, given categories replace the previous ones',
  // corps validé par le service (messages par champ)
  requestBody: { required: true, ...json(PREFERENCES) },
  responses: { 200: { description: 'Effective preferences', ...json(PREFERENCES) }, ...problems(400) },
});

/** Utilisateur authentifié (une identité de service sans utilisateur n'a pas de notifications). */
export function notificationOwner(request: FastifyRequest): RequestContext & { userId: string } {
  const ctx = requireAuth(request);
  if (!ctx.userId) throw new ProblemError(403, 'forbidden', 'Notifications belong to a user');
  return ctx as RequestContext & { userId: string };
}

export function registerNotificationRoutes(app: FastifyInstance, deps: NotificationRouteDeps): void {
  const service = deps.notifications;

  app.get<{ Querystring: { state?: ListState; limit?: string; cursor?: string } }>('/api/v1/notifications', { schema: listSchema }, async (request) => {
    const ctx = notificationOwner(request);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 20), 1), 100);
    return service.list(ctx, request.query.state ?? 'inbox', limit, request.query.cursor);
  });

  for (const action of ['read', 'unread', 'archive'] as const satisfies readonly StateAction[]) {
    app.post<{ Params: { id: string } }>(`/api/v1/notifications/:id/${action}`, { schema: transitionSchemas[action] }, async (request) => {
      const view = await service.setState(notificationOwner(request), request.params.id, action);
      if (!view) throw notFound('Unknown notification');
      return view;
    });
  }

  app.post('/api/v1/notifications/read-all', { schema: readAllSchema }, async (request) => {
    const ctx = notificationOwner(request);
    return { updated: await service.readAll(ctx), unreadCount: 0 };
  });

  app.get('/api/v1/notifications/preferences', { schema: preferencesSchema }, async (request) => service.preferences(notificationOwner(request)));

  app.put<{ Body: unknown }>('/api/v1/notifications/preferences', { schema: setPreferencesSchema }, async (request) => service.setPreferences(notificationOwner(request), request.body));
}
