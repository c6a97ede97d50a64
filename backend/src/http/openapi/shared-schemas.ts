// Chemins OpenAPI des routes fixes (santé, authentification, métadonnées, documentation).
import { apiKeyPaths } from './api-key-paths.js';
import { auditPaths } from './audit-paths.js';
import { errorPaths } from './error-paths.js';
import { emailPaths } from './email-paths.js';
import { notificationPaths } from './notification-paths.js';
import { jobPaths } from './job-paths.js';
import { iamPaths } from './iam-paths.js';
import { identityPaths } from './identity-paths.js';
import { shortenerPaths } from './shortener-paths.js';
import { webhookPaths } from './webhook-paths.js';
import { modulePaths } from './module-paths.js';
import { referencePaths } from './reference-paths.js';
import { IMPORT_JOB, transferPaths } from './transfer-paths.js';
import { settingsPaths } from './settings-paths.js';
import { json, problems, ref, type Doc } from './path-helpers.js';

export { problems };

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

const FIELD_META = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]{0,39}$' },
    type: { enum: ['string', 'text', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'enum', 'json', 'ref', 'refs', 'email', 'url', 'phone', 'tags'] },
    label: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
    required: { type: 'boolean' }, unique: { type: 'boolean' }, index: { type: 'boolean' }, search: { type: 'boolean' },
    options: { type: 'object', properties: { values: { type: 'array', items: { type: 'string' } }, to: { type: 'string' } } },
  },
};

export const staticSchemas = { Tokens: TOKENS, EntityMeta: ENTITY_META, FieldMeta: FIELD_META, ImportJob: IMPORT_JOB };

export const staticPaths: Doc = {
  '/api/health': {
    get: { tags: ['system'], summary: 'Liveness and database status', security: [], responses: { 200: { description: 'Status', ...json({ type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' }, version: { type: 'string' } } }) } } },
  },
  '/api/ready': { get: { tags: ['system'], summary: 'Readiness (migrations done)', security: [], responses: { 200: { description: 'Ready' }, 503: { description: 'Starting' } } } },
  '/api/openapi.json': { get: { tags: ['system'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document' }, ...problems(401) } } },
  '/api/docs': { get: { tags: ['system'], summary: 'Swagger UI', responses: { 200: { description: 'HTML page' }, ...problems(401) } } },
  '/api/v1/auth/login': {
    post: {
      tags: ['auth'], summary: 'Log in with email and password', security: [],
      requestBody: { required: true, ...json({ type: 'object', required: ['email', 'password'], additionalProperties: false, properties: { email: { type: 'string' }, password: { type: 'string' }, totp: { type: 'string' }, tenant: { type: 'string' }, cookie: { type: 'boolean', description: 'browser session: tokens in HttpOnly cookies, CSRF token in the body' } } }) },
      responses: { 200: { description: 'Tokens', ...json(ref('Tokens')) }, ...problems(400, 401, 429) },
    },
  },
  '/api/v1/auth/refresh': {
    post: {
      tags: ['auth'], summary: 'Rotate a refresh token (reuse revokes the family); cookie sessions send X-CSRF-Token instead of a body', security: [],
      requestBody: { required: false, ...json({ type: 'object', required: ['refreshToken'], properties: { refreshToken: { type: 'string' } } }) },
      responses: { 200: { description: 'New tokens', ...json(ref('Tokens')) }, ...problems(400, 401) },
    },
  },
  '/api/v1/auth/logout': {
    post: {
      tags: ['auth'], summary: 'Revoke a refresh token family, or every session with everywhere=true',
      requestBody: json({ type: 'object', properties: { refreshToken: { type: 'string' }, everywhere: { type: 'boolean' } } }),
      responses: { 204: { description: 'Logged out' }, ...problems(401) },
    },
  },
  '/api/v1/auth/me': {
    get: { tags: ['auth'], summary: 'Current user, tenant, roles, permissions, preferences', responses: { 200: { description: 'Profile', ...json({ type: 'object' }) }, ...problems(401) } },
    patch: {
      tags: ['auth'], summary: 'Change the own language or current company (one of the allowed companies)',
      requestBody: { required: true, ...json({ type: 'object', additionalProperties: false, minProperties: 1, properties: { locale: { enum: ['fr', 'en'] }, currentCompany: { type: 'string', format: 'uuid' } } }) },
      responses: { 200: { description: 'Saved', ...json({ type: 'object' }) }, ...problems(400, 401) },
    },
  },
  '/api/v1/meta/entities': {
    get: { tags: ['metadata'], summary: 'List entities', responses: { 200: { description: 'Entities', ...json({ type: 'object', properties: { data: { type: 'array', items: ref('EntityMeta') } } }) }, ...problems(401) } },
    post: {
      tags: ['metadata'], summary: 'Create a custom entity (a real table, immediately usable)',
      requestBody: { required: true, ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' }, label: {}, fields: { type: 'object', additionalProperties: ref('FieldMeta') } } }) },
      responses: { 201: { description: 'Created', ...json(ref('EntityMeta')) }, ...problems(400, 401, 403, 409) },
    },
  },
  '/api/v1/meta/entities/{name}': {
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
    get: { tags: ['metadata'], summary: 'Describe an entity', responses: { 200: { description: 'Entity', ...json(ref('EntityMeta')) }, ...problems(401, 404) } },
  },
  '/api/v1/meta/entities/{name}/fields': {
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      tags: ['metadata'], summary: 'Add a custom field (a real column)',
      requestBody: { required: true, ...json(ref('FieldMeta')) },
      responses: { 201: { description: 'Created', ...json(ref('FieldMeta')) }, ...problems(400, 401, 403, 404, 409) },
    },
  },
  '/api/v1/meta/entities/{name}/fields/{field}': {
    parameters: [
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'field', in: 'path', required: true, schema: { type: 'string' } },
    ],
    delete: { tags: ['metadata'], summary: 'Archive a custom field (data kept)', responses: { 204: { description: 'Archived' }, ...problems(401, 403, 404, 409) } },
  },
  ...iamPaths,
  ...identityPaths,
  ...settingsPaths,
  ...modulePaths,
  ...referencePaths,
  ...transferPaths,
  ...auditPaths,
  ...shortenerPaths,
  ...webhookPaths,
  ...errorPaths,
  ...emailPaths,
  ...apiKeyPaths,
  ...notificationPaths,
  ...jobPaths,
};
