// Chemins OpenAPI de l'identité : préférences, jetons d'accès personnels, administration des tenants.
import { json, pathParameter as pathId, problems, type Doc } from './path-helpers.js';

const TOKEN = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, scopes: { type: ['array', 'null'], items: { type: 'string' } },
    expiresAt: { type: ['string', 'null'], format: 'date-time' }, createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const TENANT = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, slug: { type: 'string' }, name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }, suspendedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const CODE_BODY = { required: true, ...json({ type: 'object', required: ['code'], properties: { code: { type: 'string' } } }) };

const ACCEPTED = { 202: { description: 'Accepted (same answer whether the account exists or not)' } };

const SAML_PARAMS = [pathId('tenant'), pathId('provider')];

export const iamPaths: Doc = {
  '/api/v1/auth/saml/{tenant}/{provider}/metadata': {
    parameters: SAML_PARAMS,
    get: { tags: ['auth'], summary: 'SAML service provider metadata', security: [], responses: { 200: { description: 'SAML metadata', content: { 'application/samlmetadata+xml': {} } }, ...problems(404) } },
  },
  '/api/v1/auth/saml/{tenant}/{provider}/login': {
    parameters: SAML_PARAMS,
    get: { tags: ['auth'], summary: 'Start a SAML sign-in (redirect to the identity provider)', security: [], responses: { 302: { description: 'Redirect' }, ...problems(404) } },
  },
  '/api/v1/auth/saml/{tenant}/{provider}/acs': {
    parameters: SAML_PARAMS,
    post: {
      tags: ['auth'], summary: 'Assertion consumer service: signed assertion checked (audience, validity, replay), linked account found (or provisioned), cookie session opened', security: [],
      description: 'Same account and second-factor rules as the OpenID callback; the provider asserts two-factor authentication by an AuthnContextClassRef listed in config.mfaAuthnContexts (with config.trustMfa).',
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['SAMLResponse'], properties: { SAMLResponse: { type: 'string' }, RelayState: { type: 'string' } } } } } },
      responses: { 302: { description: 'Signed in (redirect to the application), or redirect to the second-factor page' }, ...problems(400, 401, 403, 404, 409) },
    },
  },
  '/api/v1/auth/sso/{provider}/start': {
    parameters: [pathId('provider'), { name: 'tenant', in: 'query', schema: { type: 'string' } }, { name: 'returnTo', in: 'query', schema: { type: 'string' } },
      { name: 'link', in: 'query', schema: { enum: ['true'] }, description: 'signed in: link the identity the provider returns to your account instead of opening a session' }],
    get: { tags: ['auth'], summary: 'Start an OpenID Connect sign-in (redirect to the provider; state in an encrypted cookie)', security: [], responses: { 302: { description: 'Redirect to the provider' }, ...problems(404), 502: { description: 'Provider unreachable' } } },
  },
  '/api/v1/auth/sso/{provider}/callback': {
    parameters: [pathId('provider')],
    get: {
      tags: ['auth'], summary: 'Provider callback: checks state, nonce and PKCE, finds the account linked to the identity (or provisions it), opens a cookie session', security: [],
      description: 'The account is the one linked to (provider, sub). An unlinked identity whose email is an existing account\'s is refused (409 identity_not_linked) unless the '
        + 'provider asserts email_verified, has config.linkByVerifiedEmail and the platform setting security.sso.linkByVerifiedEmail is on. An account with TOTP goes '
        + 'through the second-factor step (redirect to /app/login?mfa=sso, then POST /api/v1/auth/sso/mfa) unless config.trustMfa is on and the token asserts it (amr, or acr in config.mfaAcrValues).',
      responses: { 302: { description: 'Signed in (redirect to the application), or redirect to the second-factor page' }, ...problems(400, 401, 403, 404, 409), 502: { description: 'Provider unreachable' } },
    },
  },
  '/api/v1/auth/ldap/{provider}': {
    parameters: [pathId('provider')],
    post: {
      tags: ['auth'], summary: 'Log in through an LDAP / Active Directory provider (account linked to the DN, or provisioned; roles from groups)', security: [],
      description: 'An account with TOTP needs "totp" too (401 mfa_required without it), as for a password login.',
      requestBody: { required: true, ...json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' }, totp: { type: 'string' }, tenant: { type: 'string' }, cookie: { type: 'boolean' } } }) },
      responses: { 200: { description: 'Tokens', ...json({ $ref: '#/components/schemas/Tokens' }) }, ...problems(400, 401, 403, 404, 409, 429), 503: { description: 'Directory unavailable' } },
    },
  },
  '/api/v1/auth/ldap/{provider}/sync': {
    parameters: [pathId('provider')],
    post: { tags: ['auth'], summary: 'Create and update the accounts of a directory (tenant administrator)', responses: { 200: { description: 'Result', ...json({ type: 'object', properties: { synced: { type: 'integer' }, skipped: { type: 'array', items: { type: 'string' } } } }) }, ...problems(401, 403, 404), 503: { description: 'Directory unavailable' } } },
  },
  '/api/v1/auth/password/forgot': {
    post: { tags: ['auth'], summary: 'Email a single-use password reset link', security: [], requestBody: { required: true, ...json({ type: 'object', required: ['email'], properties: { email: { type: 'string' }, tenant: { type: 'string' } } }) }, responses: { ...ACCEPTED, ...problems(400, 429) } },
  },
  '/api/v1/auth/password/reset': {
    post: { tags: ['auth'], summary: 'Set a new password with the emailed token (closes every session)', security: [], requestBody: { required: true, ...json({ type: 'object', required: ['token', 'password'], properties: { token: { type: 'string' }, password: { type: 'string' } } }) }, responses: { 204: { description: 'Password changed' }, ...problems(400) } },
  },
  '/api/v1/auth/email/verification': {
    post: { tags: ['auth'], summary: 'Email a verification link to the current user', responses: { 202: { description: 'Sent' }, ...problems(401, 409) } },
  },
  '/api/v1/auth/email/verify': {
    post: { tags: ['auth'], summary: 'Verify the email address with the emailed token', security: [], requestBody: { required: true, ...json({ type: 'object', required: ['token'], properties: { token: { type: 'string' } } }) }, responses: { 204: { description: 'Verified' }, ...problems(400) } },
  },
  '/api/v1/auth/mfa': {
    get: { tags: ['auth'], summary: 'Two-factor state of the current user', responses: { 200: { description: 'State', ...json({ type: 'object', properties: { totpEnabled: { type: 'boolean' }, recoveryCodesLeft: { type: 'integer' }, required: { type: 'boolean' } } }) }, ...problems(401, 403) } },
  },
  '/api/v1/auth/mfa/totp': {
    post: { tags: ['auth'], summary: 'Start TOTP enrolment (secret and otpauth URI)', responses: { 201: { description: 'Pending secret', ...json({ type: 'object', properties: { secret: { type: 'string' }, otpauthUri: { type: 'string' } } }) }, ...problems(401, 403, 409) } },
  },
  '/api/v1/auth/mfa/totp/confirm': {
    post: { tags: ['auth'], summary: 'Confirm enrolment with a first code; returns recovery codes once', requestBody: CODE_BODY, responses: { 200: { description: 'Enabled', ...json({ type: 'object', properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } } }) }, ...problems(400, 401, 403, 409) } },
  },
  '/api/v1/auth/mfa/totp/disable': {
    post: { tags: ['auth'], summary: 'Disable TOTP with a valid code (refused when a role requires it)', requestBody: CODE_BODY, responses: { 204: { description: 'Disabled' }, ...problems(400, 401, 403, 409) } },
  },
  '/api/v1/auth/providers': {
    get: {
      tags: ['auth'], summary: 'Enabled identity providers of a tenant, for the login page (an unknown tenant gets an empty list)', security: [],
      parameters: [{ name: 'tenant', in: 'query', schema: { type: 'string' } }],
      responses: { 200: { description: 'Providers', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, label: { type: 'string' }, kind: { enum: ['oidc', 'ldap', 'saml'] } } } } } }) } },
    },
  },
  '/api/v1/auth/me/preferences': {
    get: { tags: ['auth'], summary: 'Effective preferences of the current user (declared defaults + own values)', responses: { 200: { description: 'Preferences', ...json({ type: 'object' }) }, ...problems(401) } },
  },
  '/api/v1/auth/me/preferences/{key}': {
    parameters: [pathId('key')],
    put: {
      tags: ['auth'], summary: 'Set one typed preference of the current user',
      requestBody: { required: true, ...json({ type: 'object', required: ['value'], properties: { value: {} } }) },
      responses: { 200: { description: 'Preferences', ...json({ type: 'object' }) }, ...problems(400, 401, 404) },
    },
  },
  '/api/v1/auth/tokens': {
    get: { tags: ['auth'], summary: 'Personal access tokens of the current user (never their secret)', responses: { 200: { description: 'Tokens', ...json({ type: 'object', properties: { data: { type: 'array', items: TOKEN } } }) }, ...problems(401, 403) } },
    post: {
      tags: ['auth'], summary: 'Create a personal access token (shown once)',
      requestBody: { required: true, ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string', examples: ['invoice:read', '*:read'] } }, expiresAt: { type: 'string', format: 'date-time' } } }) },
      responses: { 201: { description: 'Created', ...json({ ...TOKEN, properties: { ...TOKEN.properties, token: { type: 'string' } } }) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/auth/tokens/{id}': {
    parameters: [pathId('id')],
    delete: { tags: ['auth'], summary: 'Revoke a personal access token', responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/tenants': {
    get: { tags: ['platform'], summary: 'Tenants (super-administrator)', responses: { 200: { description: 'Tenants', ...json({ type: 'object', properties: { data: { type: 'array', items: TENANT } } }) }, ...problems(401, 403) } },
    post: {
      tags: ['platform'], summary: 'Create a tenant with its administrator (super-administrator)',
      requestBody: { required: true, ...json({ type: 'object', required: ['slug', 'admin'], properties: { slug: { type: 'string' }, name: { type: 'string' }, admin: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' }, displayName: { type: 'string' } } } } }) },
      responses: { 201: { description: 'Created', ...json(TENANT) }, ...problems(400, 401, 403, 409) },
    },
  },
  '/api/v1/tenants/{id}': {
    parameters: [pathId('id')],
    patch: {
      tags: ['platform'], summary: 'Rename, suspend or resume a tenant (super-administrator)',
      requestBody: { required: true, ...json({ type: 'object', properties: { name: { type: 'string' }, suspended: { type: 'boolean' } } }) },
      responses: { 200: { description: 'Tenant', ...json(TENANT) }, ...problems(400, 401, 403, 404, 409) },
    },
  },
};
