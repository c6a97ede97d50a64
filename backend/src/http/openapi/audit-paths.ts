// Chemins OpenAPI du journal d'audit (administrateurs du tenant).
import { json, problems, type Doc } from './path-helpers.js';

const query = (name: string, schema: Doc, description: string) => ({ name, in: 'query', schema, description });
const UUID = { type: 'string', format: 'uuid' };

const ENTRY = {
  type: 'object',
  properties: {
    id: { type: 'string' }, seq: { type: ['string', 'null'] }, at: { type: 'string', format: 'date-time' },
    actor: { type: ['string', 'null'] }, actorName: { type: ['string', 'null'] }, action: { type: 'string' }, entity: { type: 'string' },
    recordId: { type: ['string', 'null'] }, requestId: { type: ['string', 'null'] }, ip: { type: ['string', 'null'] },
    changes: { type: 'object', additionalProperties: { type: 'object', properties: { from: {}, to: {} } } },
  },
};

export const auditPaths: Doc = {
  '/api/v1/audit': {
    get: {
      tags: ['audit'], summary: 'Audit log of the tenant, newest first (administrators)',
      parameters: [
        query('entity', { type: 'string' }, 'Entity name'), query('recordId', UUID, 'One record'), query('actor', UUID, 'Author (user id)'),
        query('action', { type: 'string' }, 'create, update, delete, restore, export…'),
        query('from', { type: 'string', format: 'date-time' }, 'From (inclusive)'), query('to', { type: 'string', format: 'date-time' }, 'To (exclusive)'),
        query('limit', { type: 'integer', minimum: 1, maximum: 500 }, 'Page size (100)'), query('cursor', { type: 'string' }, 'meta.nextCursor of the previous page'),
      ],
      responses: { 200: { description: 'Entries', ...json({ type: 'object', properties: { data: { type: 'array', items: ENTRY }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] } } } } }) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/audit/verify': {
    get: {
      tags: ['audit'], summary: 'Recompute the hash chain of the tenant and report tampering (administrators)',
      responses: {
        200: { description: 'Report', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, rows: { type: 'integer' }, pending: { type: 'integer' }, verifiedAt: { type: 'string', format: 'date-time' }, problems: { type: 'array', items: { type: 'object', properties: { seq: { type: ['integer', 'null'] }, kind: { enum: ['modified', 'deleted', 'inserted', 'reordered', 'head_mismatch'] }, detail: { type: 'string' } } } } } }) },
        ...problems(401, 403),
      },
    },
  },
};
