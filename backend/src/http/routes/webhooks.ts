// Webhooks, au-delà de l'API générique de l'entité `webhook` : journal des envois d'un abonnement, rejeu d'un envoi,
// envoi d'essai (droits de l'entité : lecture pour le journal, modification pour rejouer et essayer), lecture et
// rotation du secret de signature (administrateurs).
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../services/webhooks/delivery-store.js';
import { requireAdmin, requireAuth } from '../auth.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const idParams = (name: string) => ({ params: { type: 'object', properties: { [name]: { type: 'string', pattern: UUID } }, required: [name] } });
const listSchema = {
  ...idParams('id'),
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { enum: DELIVERY_STATUSES },
      limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
      cursor: { type: 'string', pattern: UUID },
    },
  },
} as const;

type ListQuery = { status?: DeliveryStatus; limit?: string; cursor?: string };
const SECRET_ADMIN = 'Only administrators read or rotate webhook secrets';

export function registerWebhookRoutes(app: FastifyInstance, platform: Platform): void {
  const webhooks = () => platform.webhooks;

  app.get<{ Params: { id: string }; Querystring: ListQuery }>('/api/v1/webhooks/:id/deliveries', { schema: listSchema }, async (request) => {
    const { limit, ...filter } = request.query;
    return webhooks().deliveries(requireAuth(request), request.params.id, { ...filter, limit: Math.min(Math.max(Number(limit ?? 50), 1), 200) });
  });

  app.post<{ Params: { deliveryId: string } }>('/api/v1/webhooks/deliveries/:deliveryId/replay', { schema: idParams('deliveryId') }, async (request, reply) =>
    reply.code(202).send(await webhooks().replay(requireAuth(request), request.params.deliveryId)));

  app.post<{ Params: { id: string } }>('/api/v1/webhooks/:id/test', { schema: idParams('id') }, async (request, reply) =>
    reply.code(202).send(await webhooks().test(requireAuth(request), request.params.id)));

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/:id/secret', { schema: idParams('id') }, async (request, reply) =>
    reply.header('cache-control', 'no-store').send({ secret: await webhooks().secret(requireAdmin(request, SECRET_ADMIN), request.params.id) }));

  app.post<{ Params: { id: string } }>('/api/v1/webhooks/:id/secret/rotate', { schema: idParams('id') }, async (request, reply) =>
    reply.header('cache-control', 'no-store').send({ secret: await webhooks().rotateSecret(requireAdmin(request, SECRET_ADMIN), request.params.id) }));
}
