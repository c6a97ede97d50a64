// Chemins OpenAPI des réglages (ConfigManager).
import { LEVELS } from '../../config/registry.js';
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const LEVEL = { type: 'string', enum: [...LEVELS] };
const SETTING = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'object', additionalProperties: { type: 'string' } },
    description: { type: 'object', additionalProperties: { type: 'string' } },
    scope: LEVEL,
    levels: { type: 'array', items: LEVEL },
    secret: { type: 'boolean' },
    schema: { type: 'object', description: 'JSON Schema of the value' },
    default: {},
    value: { description: 'Effective value (absent for secrets)' },
    isSet: { type: 'boolean', description: 'Secrets only: whether a value is set' },
    source: { type: 'string', enum: ['default', ...LEVELS] },
  },
};
const COMPANY = { name: 'companyId', in: 'query', required: false, schema: { type: 'string', format: 'uuid' }, description: 'Resolve for this company' };
const KEY = pathParameter('key');

export const settingsPaths: Doc = {
  '/api/v1/settings': {
    get: {
      tags: ['settings'], summary: 'Settings with their effective values (administrators see all; users their user-level settings)', parameters: [COMPANY],
      responses: { 200: { description: 'Settings', ...json({ type: 'object', properties: { data: { type: 'array', items: SETTING } } }) }, ...problems(401) },
    },
  },
  '/api/v1/settings/{key}': {
    parameters: [KEY],
    get: {
      tags: ['settings'], summary: 'One setting, with the value set at each level', parameters: [COMPANY],
      responses: { 200: { description: 'Setting', ...json({ ...SETTING, properties: { ...SETTING.properties, values: { type: 'object' } } }) }, ...problems(401, 404) },
    },
    put: {
      tags: ['settings'], summary: 'Set a value at a level (default: own value for user settings, else the tenant); validated against the schema and audited',
      requestBody: { required: true, ...json({ type: 'object', required: ['value'], properties: { value: {}, level: LEVEL, targetId: { type: 'string', format: 'uuid', description: 'Company or user id' } } }) },
      responses: { 200: { description: 'Setting', ...json(SETTING) }, ...problems(400, 401, 403, 404) },
    },
    delete: {
      tags: ['settings'], summary: 'Remove the value of a level: the broader level or the default applies again',
      parameters: [{ name: 'level', in: 'query', schema: LEVEL }, { name: 'targetId', in: 'query', schema: { type: 'string', format: 'uuid' } }],
      responses: { 204: { description: 'Reset' }, ...problems(400, 401, 403, 404) },
    },
  },
};
