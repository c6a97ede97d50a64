// Notifications de l'utilisateur connecté : liste (avec le nombre de non lues), lu / non lu / archivé, tout lu,
// préférences de canaux. Chacun ne voit et ne change que les siennes (celles d'un autre : 404).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import type { RequestContext } from '../../engine/context.js';
import type { ListState, StateAction } from '../../services/notifications/store.js';
import { requireAuth } from '../auth.js';
import { notFound, ProblemError } from '../problem.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const LIST_STATES = ['unread', 'read', 'archived', 'inbox', 'all'] as const;
const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: LIST_STATES },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
      cursor: { type: 'string', pattern: UUID },
    },
  },
} as const;
const idSchema = { params: { type: 'object', properties: { id: { type: 'string', pattern: UUID } }, required: ['id'] } } as const;

/** Utilisateur authentifié (une identité de service sans utilisateur n'a pas de notifications). */
export function notificationOwner(request: FastifyRequest): RequestContext & { userId: string } {
  const ctx = requireAuth(request);
  if (!ctx.userId) throw new ProblemError(403, 'forbidden', 'Notifications belong to a user');
  return ctx as RequestContext & { userId: string };
}

export function registerNotificationRoutes(app: FastifyInstance, platform: Platform): void {
  const service = platform.notifications;

  app.get<{ Querystring: { state?: ListState; limit?: string; cursor?: string } }>('/api/v1/notifications', { schema: listSchema }, async (request) => {
    const ctx = notificationOwner(request);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 20), 1), 100);
    return service.list(ctx, request.query.state ?? 'inbox', limit, request.query.cursor);
  });

  for (const action of ['read', 'unread', 'archive'] as const satisfies readonly StateAction[]) {
    app.post<{ Params: { id: string } }>(`/api/v1/notifications/:id/${action}`, { schema: idSchema }, async (request) => {
      const view = await service.setState(notificationOwner(request), request.params.id, action);
      if (!view) throw notFound('Unknown notification');
      return view;
    });
  }

  app.post('/api/v1/notifications/read-all', async (request) => {
    const ctx = notificationOwner(request);
    return { updated: await service.readAll(ctx), unreadCount: 0 };
  });

  app.get('/api/v1/notifications/preferences', async (request) => service.preferences(notificationOwner(request)));

  app.put<{ Body: unknown }>('/api/v1/notifications/preferences', async (request) => service.setPreferences(notificationOwner(request), request.body));
}
