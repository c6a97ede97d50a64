// Chemins OpenAPI des identités externes liées aux comptes et de l'étape du second facteur après une connexion OIDC
// ou SAML.
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const LINK = {
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

const LINKS_NOTE = 'From a signed-in session only (not with a personal access token or an API key). Your own identities, or '
  + 'those of a user whose rights you hold at least, with the user:admin permission. Linking and unlinking are audited on the user.';

export const identityPaths: Doc = {
  '/api/v1/users/{id}/identities': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['auth'], summary: 'External identities linked to a user', description: LINKS_NOTE,
      responses: { 200: { description: 'Linked identities', ...json({ type: 'object', properties: { data: { type: 'array', items: LINK } } }) }, ...problems(401, 403, 404) },
    },
    post: {
      tags: ['auth'], summary: 'Link an external identity to a user (administrator)',
      description: `${LINKS_NOTE} A sign-in through that provider with that subject then opens this account, whatever its email address. `
        + 'Refused for a super-administrator (they sign in with their password), for an identity already linked to another account (409 identity_taken) '
        + 'and for a user who already has an identity at this provider (409 identity_already_linked).',
      requestBody: { required: true, ...json({ type: 'object', required: ['provider', 'subject'], properties: { provider: { type: 'string' }, subject: { type: 'string', maxLength: 1000 }, email: { type: 'string' } } }) },
      responses: { 201: { description: 'Linked', ...json(LINK) }, ...problems(400, 401, 403, 404, 409) },
    },
  },
  '/api/v1/users/{id}/identities/{linkId}': {
    parameters: [pathParameter('id'), pathParameter('linkId')],
    delete: { tags: ['auth'], summary: 'Unlink an external identity', description: LINKS_NOTE, responses: { 204: { description: 'Unlinked' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/auth/ldap/{provider}/link': {
    parameters: [pathParameter('provider')],
    post: {
      tags: ['auth'], summary: 'Link your directory identity to your account (proved by your directory password)',
      requestBody: { required: true, ...json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } }) },
      responses: { 201: { description: 'Linked', ...json(LINK) }, ...problems(400, 401, 403, 404, 409, 429), 503: { description: 'Directory unavailable' } },
    },
  },
  '/api/v1/auth/sso/mfa': {
    post: {
      tags: ['auth'], security: [], summary: 'Second factor after an OpenID Connect or SAML sign-in',
      description: 'When the account has two-factor authentication and the provider did not assert it (or the provider is not trusted for it), '
        + 'the provider callback redirects to /app/login?mfa=sso with an encrypted cookie (5 minutes); post the TOTP or recovery code here to open the cookie session.',
      requestBody: { required: true, ...json({ type: 'object', required: ['totp'], properties: { totp: { type: 'string' } } }) },
      responses: {
        200: { description: 'Signed in (cookie session)', ...json({ type: 'object', properties: { tokenType: { const: 'Cookie' }, csrfToken: { type: 'string' }, expiresIn: { type: 'integer' }, user: { type: 'object' }, returnTo: { type: 'string' } } }) },
        ...problems(400, 401, 403, 429),
      },
    },
  },
};
