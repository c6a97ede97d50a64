// Clés d'API des intégrations : administrateurs du tenant seulement, depuis une session (un jeton personnel ou une
// clé ne crée ni n'élargit de clé). Création et rotation montrent le secret une seule fois ; DELETE révoque.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAdmin } from '../auth.js';
import { badRequest, ProblemError } from '../../errors/problem.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type ApiKeyRouteDeps = Pick<PlatformServices, 'apiKeys'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Description OpenAPI. Les corps et les paramètres de requête sont validés par le gestionnaire et par le domaine
// (messages par champ) : seulement documentés. Une requête faite avec une clé (`Authorization: Bearer ofk_…`) peut en
// outre recevoir 403 `ip_not_allowed` et 429 `rate_limited`.
const tags = ['api keys'];
const dateTime = { type: ['string', 'null'], format: 'date-time' };
const KEY = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, description: { type: ['string', 'null'] },
    roleId: { type: 'string', format: 'uuid', description: 'role whose permissions the key has' },
    scopes: { type: ['array', 'null'], items: { type: 'string' }, description: '`entity:action` scopes narrowing the role; null: none' },
    allowedIps: { type: ['array', 'null'], items: { type: 'string' }, description: 'IPv4/IPv6 addresses and CIDR networks; null: any' },
    rateLimit: { type: ['integer', 'null'], description: 'requests per minute; null: tenant setting api.rateLimit.perMinute' },
    expiresAt: dateTime, status: { enum: ['active', 'expired', 'revoked'] },
    createdBy: { type: 'string', format: 'uuid', description: 'administrator on whose behalf the key acts' },
    createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
    rotatedAt: dateTime, revokedAt: dateTime, lastUsedAt: dateTime, lastUsedIp: { type: ['string', 'null'] },
  },
};
const WITH_SECRET = { allOf: [KEY, { type: 'object', properties: { key: { type: 'string', description: 'ofk_<tenant>.<id>.<secret>, shown only in this answer' } } }] };
const INPUT_PROPERTIES = {
  name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: ['string', 'null'], maxLength: 1000 },
  roleId: { type: 'string', format: 'uuid' }, scopes: { type: ['array', 'null'], maxItems: 100, items: { type: 'string', examples: ['invoice:read', '*:read'] } },
  allowedIps: { type: ['array', 'null'], maxItems: 100, items: { type: 'string', examples: ['192.0.2.0/24', '2001:db8::/32'] } },
  rateLimit: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 }, expiresAt: { type: ['string', 'null'], format: 'date-time' },
};
const USAGE = {
  type: 'object',
  properties: {
    keyId: { type: 'string', format: 'uuid' }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' },
    requests: { type: 'integer' }, byStatus: { type: 'object', additionalProperties: { type: 'integer' }, description: 'per status class: 2xx, 3xx, 4xx, 5xx' },
    days: { type: 'array', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, requests: { type: 'integer' }, byStatus: { type: 'object', additionalProperties: { type: 'integer' } } } } },
    lastUsedAt: dateTime, lastUsedIp: { type: ['string', 'null'] },
  },
};
const ID = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

const listSchema = routeSchema({
  operationId: 'listApiKeys', tags, summary: 'API keys of the tenant, newest first (revoked ones included)',
  parameters: [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
  ],
  responses: { 200: { description: 'Keys', ...json(pageOf(KEY)) }, ...problems(400) },
});
const createSchema = routeSchema({
  operationId: 'createApiKey', tags, summary: 'Create a key bound to a role; the secret is shown once',
  requestBody: { required: true, ...json({ type: 'object', required: ['name', 'roleId'], additionalProperties: false, properties: INPUT_PROPERTIES }) },
  responses: { 201: { description: 'Created', ...json(WITH_SECRET) }, ...problems(400) },
});
const getSchema = routeSchema({
  operationId: 'getApiKey', tags, summary: 'One key (never its secret)', params: ID,
  responses: { 200: { description: 'Key', ...json(KEY) }, ...problems(404) },
});
const updateSchema = routeSchema({
  operationId: 'updateApiKey', tags, summary: 'Change a key (role, scopes, allowed addresses, rate limit, expiry, name)', params: ID,
  requestBody: { required: true, ...json({ type: 'object', additionalProperties: false, minProperties: 1, properties: INPUT_PROPERTIES }) },
  responses: { 200: { description: 'Key', ...json(KEY) }, ...problems(400, 404, 409) },
});
const revokeSchema = routeSchema({
  operationId: 'revokeApiKey', tags, summary: 'Revoke a key (answers 401 at once on every node)', params: ID,
  responses: { 204: { description: 'Revoked' }, ...problems(404) },
});
const rotateSchema = routeSchema({
  operationId: 'rotateApiKey', tags, summary: 'New secret, shown once; the old one stops working', params: ID,
  responses: { 200: { description: 'Key with its new secret', ...json(WITH_SECRET) }, ...problems(404, 409) },
});
const usageSchema = routeSchema({
  operationId: 'getApiKeyUsage', tags, summary: 'Requests of a key per day and status class (UTC days, both bounds included)', params: ID,
  parameters: [
    { name: 'from', in: 'query', schema: { type: 'string', format: 'date' }, description: 'default: 29 days before `to`' },
    { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'default: today' },
  ],
  responses: { 200: { description: 'Usage', ...json(USAGE) }, ...problems(400, 404) },
});

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function administrator(request: FastifyRequest) {
  const ctx = requireAdmin(request, 'Only tenant administrators manage API keys');
  if (ctx.tokenId) throw new ProblemError(403, 'session_required', 'API keys are managed from a signed-in session');
  return ctx;
}

function page(query: { limit?: string; cursor?: string }): { limit: number; cursor?: string } {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  const errors = [];
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.push({ field: 'limit', code: 'out_of_range', message: 'limit is 1–500' });
  if (query.cursor !== undefined && !UUID.test(query.cursor)) errors.push({ field: 'cursor', code: 'invalid_value', message: 'cursor is a key id' });
  if (errors.length) throw badRequest('invalid_query', 'Invalid query parameters', errors);
  return { limit, cursor: query.cursor };
}

export function registerApiKeyRoutes(app: FastifyInstance, deps: ApiKeyRouteDeps): void {
  const keys = deps.apiKeys;

  app.get<{ Querystring: { limit?: string; cursor?: string } }>('/api/v1/api-keys', { schema: listSchema }, async (request) =>
    keys.list(administrator(request), page(request.query)));

  app.post('/api/v1/api-keys', { schema: createSchema }, async (request, reply) => {
    const created = await keys.create(administrator(request), request.body);
    return reply.code(201).header('location', `/api/v1/api-keys/${created.id}`).header('cache-control', 'no-store').send(created);
  });

  app.get('/api/v1/api-keys/:id', { schema: getSchema }, async (request: IdRequest) => keys.get(administrator(request), request.params.id));

  app.patch('/api/v1/api-keys/:id', { schema: updateSchema }, async (request: IdRequest) => keys.update(administrator(request), request.params.id, request.body));

  app.delete('/api/v1/api-keys/:id', { schema: revokeSchema }, async (request: IdRequest, reply) => {
    await keys.revoke(administrator(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/api-keys/:id/rotate', { schema: rotateSchema }, async (request: IdRequest, reply) =>
    reply.header('cache-control', 'no-store').send(await keys.rotate(administrator(request), request.params.id)));

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/api/v1/api-keys/:id/usage', { schema: usageSchema }, async (request) =>
    keys.usageOf(administrator(request), request.params.id, request.query));
}
