// Schémas partagés par plusieurs routes (components/schemas) ; les chemins viennent des schémas de route.
import { AI_SUGGEST_MAX_PROMPT } from '@opsflux/sdk';
import { IMPORT_JOB } from './import-job-schema.js';
import { ref } from './path-helpers.js';

const TOKENS = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'tokenType', 'expiresIn', 'user'],
  properties: {
    accessToken: { type: 'string' }, refreshToken: { type: 'string' }, tokenType: { const: 'Bearer' },
    expiresIn: { type: 'integer', description: 'access token lifetime (s)' }, refreshExpiresIn: { type: 'integer', description: 'refresh token lifetime (s)' }, user: { type: 'object' },
  },
};

const ENTITY_META = {
  type: 'object',
  properties: {
    name: { type: 'string' }, label: { type: 'object' }, module: { type: 'string' }, extends: { type: ['string', 'null'] },
    scope: { enum: ['tenant', 'company', 'site'] }, abstract: { type: 'boolean' }, custom: { type: 'boolean' },
    fields: { type: 'array', items: ref('FieldMeta') },
  },
};

/** Option « suggestion d'IA » d'un champ (FieldDefinition.aiSuggest). */
export const AI_SUGGEST_OPTION = {
  description: 'AI suggestion offered on the field in record forms (POST /api/v1/ai/field-suggestions), with an optional instruction for the model; '
    + 'read back as an object, written as true, false or { prompt }',
  oneOf: [{ type: 'boolean' }, { type: 'object', properties: { prompt: { type: 'string', maxLength: AI_SUGGEST_MAX_PROMPT } } }],
};

const FIELD_META = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]{0,39}$' },
    type: { enum: ['string', 'text', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'enum', 'json', 'ref', 'refs', 'email', 'url', 'phone', 'tags'] },
    label: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
    required: { type: 'boolean' }, unique: { type: 'boolean' }, index: { type: 'boolean' }, search: { type: 'boolean' },
    options: { type: 'object', properties: { values: { type: 'array', items: { type: 'string' } }, to: { type: 'string' } } },
    aiSuggest: AI_SUGGEST_OPTION,
  },
};

const PROBLEM = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, instance: { type: 'string' }, requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'code', 'message'], properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const MENU_NODE = {
  type: 'object', required: ['id', 'label', 'module', 'children'],
  properties: {
    id: { type: 'string' }, label: { type: 'string' }, icon: { type: 'string' }, entity: { type: 'string' }, path: { type: 'string' },
    module: { type: 'string' }, children: { type: 'array', items: ref('MenuNode') },
  },
};

const CHANGE = { type: 'object', required: ['from', 'to'], properties: { from: {}, to: {} } };
const HISTORY_ENTRY = {
  type: 'object',
  required: ['action', 'at', 'actor', 'requestId', 'changes'],
  properties: {
    action: { type: 'string' }, at: { type: 'string', format: 'date-time' }, actor: { type: ['string', 'null'] },
    requestId: { type: ['string', 'null'], description: 'X-Request-Id of the request that made the change' },
    changes: { type: 'object', additionalProperties: CHANGE },
  },
};
const HISTORY = {
  type: 'object',
  required: ['data', 'meta'],
  properties: {
    data: { type: 'array', items: HISTORY_ENTRY },
    meta: { type: 'object', required: ['nextCursor'], properties: { nextCursor: { type: ['string', 'null'] } } },
  },
};

export const sharedSchemas = {
  Problem: PROBLEM, MenuNode: MENU_NODE, Tokens: TOKENS, EntityMeta: ENTITY_META, FieldMeta: FIELD_META, ImportJob: IMPORT_JOB, History: HISTORY,
};

/** Réponses d'erreur référencées par les routes (components/responses). */
export const PROBLEM_STATUSES = [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 429, 502, 503];
