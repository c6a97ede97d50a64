// Flux d'événements serveur (SSE) de l'utilisateur : notifications nouvelles ou changées, nombre de non lues,
// battement toutes les 25 s ; reprise après `Last-Event-ID`. Authentifié par Bearer ou par la session en cookie
// (lecture : pas de jeton anti-CSRF). Réponse prise en main (hijack) et fermée à l'arrêt du serveur.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { FeedEvent } from '../../services/notifications/feed.js';
import { badRequest } from '../../errors/problem.js';
import { problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';
import { notificationOwner } from './notifications.js';

/** Services que ces routes utilisent. */
export type EventStreamRouteDeps = Pick<PlatformServices, 'access' | 'notifications' | 'changes' | 'records' | 'catalog'>;

export const HEARTBEAT_MS = 25_000;

const EVENT_ID = { type: 'string', pattern: '^[0-9]{1,18}$' };
// paramètres lus par le gestionnaire lui-même : un identifiant mal formé est refusé avec un message propre au flux
const streamSchema = routeSchema({
  operationId: 'streamUserEvents', tags: ['notifications'],
  summary: 'Server-sent events of the current user: `notification` (id = change number, data = the notification), `unread` (data = {count}), `changes` (data = {entities}: records of these entities, which the user may read, were written); a comment every 25 s',
  description: 'Bearer token or the session cookie. Reconnecting with Last-Event-ID (header, or lastEventId query parameter) replays the changes after it.',
  parameters: [
    { name: 'Last-Event-ID', in: 'header', schema: EVENT_ID },
    { name: 'lastEventId', in: 'query', schema: EVENT_ID },
    { name: 'locale', in: 'query', schema: { enum: ['en', 'fr'] }, description: 'Language of the texts (default: Accept-Language)' },
  ],
  responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems(400) },
});

function frame(event: FeedEvent): string {
  const id = 'id' in event ? `id: ${event.id}\n` : '';
  return `${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function registerEventStreamRoutes(app: FastifyInstance, deps: EventStreamRouteDeps): void {
  const open = new Set<() => void>();
  // avant la fermeture du serveur : les flux ouverts ne le retiennent pas
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get<{ Querystring: { lastEventId?: string; locale?: string } }>('/api/v1/events/stream', { schema: streamSchema }, async (request, reply) => {
    const ctx = notificationOwner(request);
    const given = request.headers['last-event-id'] ?? request.query.lastEventId;
    if (given !== undefined && !/^\d{1,18}$/.test(String(given))) {
      throw badRequest('validation_failed', 'Last-Event-ID must be an event id of this stream', [{ field: 'Last-Event-ID', code: 'pattern', message: 'Expected digits' }]);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Request-Id': request.id,
    });
    res.write('retry: 5000\n\n');
    const feed = deps.notifications.openFeed(
      // EventSource n'envoie pas la langue de l'application : `locale` la donne
      { tenantId: ctx.tenantId, userId: ctx.userId, locale: request.query.locale === 'fr' || request.query.locale === 'en' ? request.query.locale : ctx.locale },
      given === undefined ? undefined : Number(given),
      (event) => res.write(frame(event)),
    );
    // écritures du tenant : les noms des entités que l'utilisateur peut lire (les écrans relisent avec ses droits)
    const unsubscribe = deps.changes.subscribe(ctx.tenantId, (entities) => {
      void deps.catalog(ctx.tenantId).then((catalog) => {
        const readable = entities.filter((entity) => deps.records.allowed(ctx, catalog, entity, 'read'));
        if (readable.length && !closed) res.write(`event: changes\ndata: ${JSON.stringify({ entities: readable })}\n\n`);
      }, () => undefined);
    });
    const heartbeat = setInterval(() => {
      res.write(': ping\n\n');
      // compte désactivé ou tenant suspendu depuis l'ouverture : le flux se ferme
      void deps.access.get(ctx.tenantId, ctx.userId).then((profile) => {
        if (!profile) close();
      }, () => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let closed = false;
    function close(): void {
      if (closed) return;
      closed = true;
      open.delete(close);
      unsubscribe();
      clearInterval(heartbeat);
      void feed.stop();
      res.end();
    }
    open.add(close);
    request.raw.on('close', close);
    res.on('close', close);
  });
}
