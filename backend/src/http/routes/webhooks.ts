// Webhooks, au-delà de l'API générique de l'entité `webhook` : journal des envois d'un abonnement, rejeu d'un envoi,
// envoi d'essai (droits de l'entité : lecture pour le journal, modification pour rejouer et essayer), lecture et
// rotation du secret de signature (administrateurs).
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../services/webhooks/delivery-store.js';
import { requireAdmin, requireAuth } from '../auth.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidParams, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type WebhookRouteDeps = Pick<PlatformServices, 'webhooks'>;

const tags = ['webhook'];

const DELIVERY = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid', description: 'sent as X-OpsFlux-Delivery' },
    webhookId: { type: 'string', format: 'uuid' },
    eventId: { type: 'string', format: 'uuid', description: 'the `id` of the body: the same for every attempt and every replay of the event' },
    topic: { type: 'string' },
    status: { enum: ['pending', 'retrying', 'succeeded', 'failed', 'skipped'] },
    manual: { type: 'boolean', description: 'test ping or replay: sent even to an inactive webhook, not counted in its consecutive failures' },
    replayOf: { type: ['string', 'null'], format: 'uuid' },
    attempts: { type: 'integer' },
    responseStatus: { type: ['integer', 'null'] },
    durationMs: { type: ['integer', 'null'] },
    responseBody: { type: ['string', 'null'], description: 'first 2 KB of the response' },
    error: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const QUEUED = { 202: { description: 'Queued delivery', ...json(DELIVERY) }, ...problems(404) };
const SECRET = { 200: { description: 'Signing secret', ...json({ type: 'object', properties: { secret: { type: 'string' } } }) }, ...problems(404) };

const listSchema = routeSchema({
  operationId: 'listWebhookDeliveries', tags, summary: 'Delivery log of a webhook, latest first (needs webhook:read)',
  params: uuidParams('id'),
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: DELIVERY_STATUSES },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1 to 200, 50 by default' },
      cursor: uuidString,
    },
  },
  responses: {
    200: { description: 'Deliveries', ...json(pageOf(DELIVERY)) },
    ...problems(400, 404),
  },
});
/** Action sur un webhook ou un envoi, désigné par l'uuid de son chemin. */
const actionSchema = (operationId: string, param: string, responses: typeof QUEUED | typeof SECRET, summary: string) =>
  routeSchema({ operationId, tags, params: uuidParams(param), responses, summary });
const replaySchema = actionSchema('replayWebhookDelivery', 'deliveryId', QUEUED,
  'Send the event of a delivery again, as a new delivery with the same event id (needs webhook:update)');
const testSchema = actionSchema('testWebhook', 'id', QUEUED, 'Send a webhook.ping event to the webhook, even if inactive (needs webhook:update)');
const secretSchema = actionSchema('getWebhookSecret', 'id', SECRET, 'Signing secret of a webhook (administrators; the read is audited)');
const rotateSchema = actionSchema('rotateWebhookSecret', 'id', SECRET,
  'Replace the signing secret (administrators); the new one signs from now on and is returned once');

type ListQuery = { status?: DeliveryStatus; limit?: string; cursor?: string };
const SECRET_ADMIN = 'Only administrators read or rotate webhook secrets';

export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const webhooks = () => deps.webhooks;

  app.get<{ Params: { id: string }; Querystring: ListQuery }>('/api/v1/webhooks/:id/deliveries', { schema: listSchema }, async (request) => {
    const { limit, ...filter } = request.query;
    return webhooks().deliveries(requireAuth(request), request.params.id, { ...filter, limit: Math.min(Math.max(Number(limit ?? 50), 1), 200) });
  });

  app.post<{ Params: { deliveryId: string } }>('/api/v1/webhooks/deliveries/:deliveryId/replay', { schema: replaySchema }, async (request, reply) =>
    reply.code(202).send(await webhooks().replay(requireAuth(request), request.params.deliveryId)));

  app.post<{ Params: { id: string } }>('/api/v1/webhooks/:id/test', { schema: testSchema }, async (request, reply) =>
    reply.code(202).send(await webhooks().test(requireAuth(request), request.params.id)));

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/:id/secret', { schema: secretSchema }, async (request, reply) =>
    reply.header('cache-control', 'no-store').send({ secret: await webhooks().secret(requireAdmin(request, SECRET_ADMIN), request.params.id) }));

  app.post<{ Params: { id: string } }>('/api/v1/webhooks/:id/secret/rotate', { schema: rotateSchema }, async (request, reply) =>
    reply.header('cache-control', 'no-store').send({ secret: await webhooks().rotateSecret(requireAdmin(request, SECRET_ADMIN), request.params.id) }));
}
