// Chemins OpenAPI des clés d'API (administrateurs du tenant, en session). Une requête faite avec une clé
// (`Authorization: Bearer ofk_…`) peut en outre recevoir 403 `ip_not_allowed` et 429 `rate_limited`.
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

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

const tags = ['api keys'];

export const apiKeyPaths: Doc = {
  '/api/v1/api-keys': {
    get: {
      tags, summary: 'API keys of the tenant, newest first (revoked ones included)',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: { 200: { description: 'Keys', ...json({ type: 'object', properties: { data: { type: 'array', items: KEY }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] } } } } }) }, ...problems(400, 401, 403) },
    },
    post: {
      tags, summary: 'Create a key bound to a role; the secret is shown once',
      requestBody: { required: true, ...json({ type: 'object', required: ['name', 'roleId'], additionalProperties: false, properties: INPUT_PROPERTIES }) },
      responses: { 201: { description: 'Created', ...json(WITH_SECRET) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/api-keys/{id}': {
    parameters: [pathParameter('id')],
    get: { tags, summary: 'One key (never its secret)', responses: { 200: { description: 'Key', ...json(KEY) }, ...problems(401, 403, 404) } },
    patch: {
      tags, summary: 'Change a key (role, scopes, allowed addresses, rate limit, expiry, name)',
      requestBody: { required: true, ...json({ type: 'object', additionalProperties: false, minProperties: 1, properties: INPUT_PROPERTIES }) },
      responses: { 200: { description: 'Key', ...json(KEY) }, ...problems(400, 401, 403, 404, 409) },
    },
    delete: { tags, summary: 'Revoke a key (answers 401 at once on every node)', responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/api-keys/{id}/rotate': {
    parameters: [pathParameter('id')],
    post: { tags, summary: 'New secret, shown once; the old one stops working', responses: { 200: { description: 'Key with its new secret', ...json(WITH_SECRET) }, ...problems(401, 403, 404, 409) } },
  },
  '/api/v1/api-keys/{id}/usage': {
    parameters: [pathParameter('id')],
    get: {
      tags, summary: 'Requests of a key per day and status class (UTC days, both bounds included)',
      parameters: [
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' }, description: 'default: 29 days before `to`' },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'default: today' },
      ],
      responses: { 200: { description: 'Usage', ...json(USAGE) }, ...problems(400, 401, 403, 404) },
    },
  },
};
