// Schémas des routes des fournisseurs d'identité externes (sso.ts) : LDAP, OpenID Connect, SAML, second facteur après
// une redirection. Les corps et les paramètres de requête sont validés par les gestionnaires (messages par champ) :
// ils ne sont que documentés ; les paramètres de chemin restent de simples chaînes (fournisseur inconnu : 404).
import { json, problems, ref } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

const tags = ['auth'];

/** Identité externe liée à un compte (aussi décrite par identities.ts). */
export const IDENTITY_LINK = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    provider: { type: 'string', description: 'identifier of the auth_provider' },
    providerLabel: { type: 'string' },
    kind: { enum: ['oidc', 'ldap', 'saml'] },
    subject: { type: 'string', description: 'stable identifier at the provider: OIDC sub, LDAP DN, SAML NameID' },
    email: { type: ['string', 'null'], description: 'address the provider gave when the identity was linked' },
    method: { enum: ['provisioned', 'verified_email', 'administrator', 'self'], description: 'how the identity was linked' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'], format: 'uuid' },
    lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const PROVIDER = { type: 'object', properties: { provider: { type: 'string' } }, required: ['provider'] } as const;
const SAML = { type: 'object', properties: { tenant: { type: 'string' }, provider: { type: 'string' } }, required: ['tenant', 'provider'] } as const;
const DIRECTORY_DOWN = { 503: { description: 'Directory unavailable' } };
const PROVIDER_DOWN = { 502: { description: 'Provider unreachable' } };
const SIGNED_IN = { 302: { description: 'Signed in (redirect to the application), or redirect to the second-factor page' } };

export const ldapLoginSchema = routeSchema({
  operationId: 'ldapLogin', tags, security: [], params: PROVIDER,
  summary: 'Log in through an LDAP / Active Directory provider (account linked to the DN, or provisioned; roles from groups)',
  description: 'An account with TOTP needs "totp" too (401 mfa_required without it), as for a password login.',
  requestBody: { required: true, ...json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' }, totp: { type: 'string' }, tenant: { type: 'string' }, cookie: { type: 'boolean' } } }) },
  responses: { 200: { description: 'Tokens', ...json(ref('Tokens')) }, ...problems(400, 401, 403, 404, 409), ...DIRECTORY_DOWN },
});

export const ldapLinkSchema = routeSchema({
  operationId: 'linkLdapIdentity', tags, params: PROVIDER,
  summary: 'Link your directory identity to your account (proved by your directory password)',
  requestBody: { required: true, ...json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } }) },
  responses: { 201: { description: 'Linked', ...json(IDENTITY_LINK) }, ...problems(400, 404, 409), ...DIRECTORY_DOWN },
});

export const ssoMfaSchema = routeSchema({
  operationId: 'completeSsoSecondFactor', tags, security: [], summary: 'Second factor after an OpenID Connect or SAML sign-in',
  description: 'When the account has two-factor authentication and the provider did not assert it (or the provider is not trusted for it), '
    + 'the provider callback redirects to /app/login?mfa=sso with an encrypted cookie (5 minutes); post the TOTP or recovery code here to open the cookie session.',
  requestBody: { required: true, ...json({ type: 'object', required: ['totp'], properties: { totp: { type: 'string' } } }) },
  responses: {
    200: { description: 'Signed in (cookie session)', ...json({ type: 'object', properties: { tokenType: { const: 'Cookie' }, csrfToken: { type: 'string' }, expiresIn: { type: 'integer' }, user: { type: 'object' }, returnTo: { type: 'string' } } }) },
    ...problems(400, 401, 403),
  },
});

export const ldapSyncSchema = routeSchema({
  operationId: 'syncLdapDirectory', tags, params: PROVIDER, summary: 'Create and update the accounts of a directory (tenant administrator)',
  responses: { 200: { description: 'Result', ...json({ type: 'object', properties: { synced: { type: 'integer' }, skipped: { type: 'array', items: { type: 'string' } } } }) }, ...problems(404), ...DIRECTORY_DOWN },
});

export const oidcStartSchema = routeSchema({
  operationId: 'startOidcLogin', tags, security: [], params: PROVIDER,
  summary: 'Start an OpenID Connect sign-in (redirect to the provider; state in an encrypted cookie)',
  parameters: [
    { name: 'tenant', in: 'query', schema: { type: 'string' } },
    { name: 'returnTo', in: 'query', schema: { type: 'string' } },
    { name: 'link', in: 'query', schema: { enum: ['true'] }, description: 'signed in: link the identity the provider returns to your account instead of opening a session' },
  ],
  responses: { 302: { description: 'Redirect to the provider' }, ...problems(401, 404), ...PROVIDER_DOWN },
});

export const oidcCallbackSchema = routeSchema({
  operationId: 'completeOidcLogin', tags, security: [], params: PROVIDER,
  summary: 'Provider callback: checks state, nonce and PKCE, finds the account linked to the identity (or provisions it), opens a cookie session',
  description: 'The account is the one linked to (provider, sub). An unlinked identity whose email is an existing account\'s is refused (409 identity_not_linked) unless the '
    + 'provider asserts email_verified, has config.linkByVerifiedEmail and the platform setting security.sso.linkByVerifiedEmail is on. An account with TOTP goes '
    + 'through the second-factor step (redirect to /app/login?mfa=sso, then POST /api/v1/auth/sso/mfa) unless config.trustMfa is on and the token asserts it (amr, or acr in config.mfaAcrValues).',
  responses: { ...SIGNED_IN, ...problems(400, 401, 403, 404, 409), ...PROVIDER_DOWN },
});

export const samlMetadataSchema = routeSchema({
  operationId: 'getSamlMetadata', tags, security: [], params: SAML, summary: 'SAML service provider metadata',
  responses: { 200: { description: 'SAML metadata', content: { 'application/samlmetadata+xml': {} } }, ...problems(404) },
});

export const samlLoginSchema = routeSchema({
  operationId: 'startSamlLogin', tags, security: [], params: SAML, summary: 'Start a SAML sign-in (redirect to the identity provider)',
  responses: { 302: { description: 'Redirect' }, ...problems(404) },
});

export const samlAcsSchema = routeSchema({
  operationId: 'consumeSamlAssertion', tags, security: [], params: SAML,
  summary: 'Assertion consumer service: signed assertion checked (audience, validity, replay), linked account found (or provisioned), cookie session opened',
  description: 'Same account and second-factor rules as the OpenID callback; the provider asserts two-factor authentication by an AuthnContextClassRef listed in config.mfaAuthnContexts (with config.trustMfa).',
  requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['SAMLResponse'], properties: { SAMLResponse: { type: 'string' }, RelayState: { type: 'string' } } } } } },
  responses: { ...SIGNED_IN, ...problems(400, 401, 403, 404, 409) },
});
