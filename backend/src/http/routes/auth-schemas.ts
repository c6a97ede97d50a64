// Schémas des routes d'authentification (auth.ts) : ce que Fastify valide (corps du login et du profil) et la
// description OpenAPI de chaque opération. Les autres corps sont validés par les gestionnaires eux-mêmes (messages
// par champ) : ils ne sont que documentés (`requestBody`).
import { json, problems, ref } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

const tags = ['auth'];

const PROFILE = { 200: { description: 'Preferences', ...json({ type: 'object' }) } };

const TOKEN = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, scopes: { type: ['array', 'null'], items: { type: 'string' } },
    expiresAt: { type: ['string', 'null'], format: 'date-time' }, createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

export const loginSchema = routeSchema({
  operationId: 'login', tags, summary: 'Log in with email and password', security: [],
  description: 'With "cookie": true (browser session), the tokens go into HttpOnly cookies and the answer carries the CSRF token instead.',
  body: {
    type: 'object',
    required: ['email', 'password'],
    additionalProperties: false,
    properties: {
      email: { type: 'string', minLength: 3, maxLength: 320 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      totp: { type: 'string', maxLength: 16 },
      tenant: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
      /** session du navigateur : jetons en cookies HttpOnly plutôt que dans la réponse */
      cookie: { type: 'boolean', description: 'browser session: tokens in HttpOnly cookies, CSRF token in the body' },
    },
  },
  responses: { 200: { description: 'Tokens', ...json(ref('Tokens')) }, ...problems(400, 401) },
});

export const refreshSchema = routeSchema({
  operationId: 'refreshSession', tags, security: [],
  summary: 'Rotate a refresh token (reuse revokes the family); cookie sessions send X-CSRF-Token instead of a body',
  requestBody: { required: false, ...json({ type: 'object', required: ['refreshToken'], properties: { refreshToken: { type: 'string' } } }) },
  responses: { 200: { description: 'New tokens', ...json(ref('Tokens')) }, ...problems(400, 401) },
});

export const logoutSchema = routeSchema({
  operationId: 'logout', tags, summary: 'Revoke a refresh token family, or every session with everywhere=true',
  requestBody: json({ type: 'object', properties: { refreshToken: { type: 'string' }, everywhere: { type: 'boolean' } } }),
  responses: { 204: { description: 'Logged out' } },
});

export const meSchema = routeSchema({
  operationId: 'getCurrentUser', tags, summary: 'Current user, tenant, roles, permissions, preferences',
  responses: { 200: { description: 'Profile', ...json({ type: 'object' }) }, ...problems(404) },
});

export const profileSchema = routeSchema({
  operationId: 'updateCurrentUser', tags, summary: 'Change the own language or current company (one of the allowed companies)',
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      locale: { type: 'string', enum: ['fr', 'en'] },
      currentCompany: { type: 'string', format: 'uuid' },
    },
  },
  responses: { 200: { description: 'Saved', ...json({ type: 'object' }) }, ...problems(400) },
});

export const preferencesSchema = routeSchema({
  operationId: 'getPreferences', tags, summary: 'Effective preferences of the current user (declared defaults + own values)',
  responses: PROFILE,
});

export const preferenceSchema = routeSchema({
  operationId: 'setPreference', tags, summary: 'Set one typed preference of the current user',
  params: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
  requestBody: { required: true, ...json({ type: 'object', required: ['value'], properties: { value: {} } }) },
  responses: { ...PROFILE, ...problems(400, 404) },
});

export const listTokensSchema = routeSchema({
  operationId: 'listPersonalTokens', tags, summary: 'Personal access tokens of the current user (never their secret)',
  responses: { 200: { description: 'Tokens', ...json({ type: 'object', properties: { data: { type: 'array', items: TOKEN } } }) } },
});

export const createTokenSchema = routeSchema({
  operationId: 'createPersonalToken', tags, summary: 'Create a personal access token (shown once)',
  requestBody: { required: true, ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string', examples: ['invoice:read', '*:read'] } }, expiresAt: { type: 'string', format: 'date-time' } } }) },
  responses: { 201: { description: 'Created', ...json({ ...TOKEN, properties: { ...TOKEN.properties, token: { type: 'string' } } }) }, ...problems(400) },
});

export const revokeTokenSchema = routeSchema({
  operationId: 'revokePersonalToken', tags, summary: 'Revoke a personal access token',
  params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  responses: { 204: { description: 'Revoked' }, ...problems(404) },
});

export const providersSchema = routeSchema({
  operationId: 'listLoginProviders', tags, security: [],
  summary: 'Enabled identity providers of a tenant, for the login page (an unknown tenant gets an empty list)',
  parameters: [{ name: 'tenant', in: 'query', schema: { type: 'string' } }],
  responses: { 200: { description: 'Providers', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, label: { type: 'string' }, kind: { enum: ['oidc', 'ldap', 'saml'] } } } } } }) } },
});
