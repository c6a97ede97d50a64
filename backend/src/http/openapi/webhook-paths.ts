// Chemins OpenAPI des webhooks au-delà de l'entité générique `webhook` : journal des envois, rejeu, essai, secret.
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

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
const SECRET = { description: 'Signing secret', ...json({ type: 'object', properties: { secret: { type: 'string' } } }) };

export const webhookPaths: Doc = {
  '/api/v1/webhooks/{id}/deliveries': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['webhook'], summary: 'Delivery log of a webhook, latest first (needs webhook:read)',
      parameters: [
        { name: 'status', in: 'query', schema: DELIVERY.properties.status },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: {
        200: { description: 'Deliveries', ...json({ type: 'object', properties: { data: { type: 'array', items: DELIVERY }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] } } } } }) },
        ...problems(400, 401, 403, 404),
      },
    },
  },
  '/api/v1/webhooks/deliveries/{deliveryId}/replay': {
    parameters: [pathParameter('deliveryId')],
    post: {
      tags: ['webhook'], summary: 'Send the event of a delivery again, as a new delivery with the same event id (needs webhook:update)',
      responses: { 202: { description: 'Queued delivery', ...json(DELIVERY) }, ...problems(401, 403, 404) },
    },
  },
  '/api/v1/webhooks/{id}/test': {
    parameters: [pathParameter('id')],
    post: {
      tags: ['webhook'], summary: 'Send a webhook.ping event to the webhook, even if inactive (needs webhook:update)',
      responses: { 202: { description: 'Queued delivery', ...json(DELIVERY) }, ...problems(401, 403, 404) },
    },
  },
  '/api/v1/webhooks/{id}/secret': {
    parameters: [pathParameter('id')],
    get: { tags: ['webhook'], summary: 'Signing secret of a webhook (administrators; the read is audited)', responses: { 200: SECRET, ...problems(401, 403, 404) } },
  },
  '/api/v1/webhooks/{id}/secret/rotate': {
    parameters: [pathParameter('id')],
    post: { tags: ['webhook'], summary: 'Replace the signing secret (administrators); the new one signs from now on and is returned once', responses: { 200: SECRET, ...problems(401, 403, 404) } },
  },
};
