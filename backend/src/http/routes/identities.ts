// Identités externes liées aux comptes : `GET|POST /api/v1/users/{id}/identities`, `DELETE …/{linkId}` (voir
// iam/sso/identity-admin.ts pour qui peut quoi). La liaison par l'utilisateur lui-même passe par le fournisseur :
// `GET /api/v1/auth/sso/{provider}/start?link=true` (OIDC) ou `POST /api/v1/auth/ldap/{provider}/link`.
import type { FastifyInstance } from 'fastify';
import { IdentityAdmin, type IdentityAdminDeps } from '../../iam/sso/identity-admin.js';
import { requireAuth } from '../auth.js';
import { notFound } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';
import { IDENTITY_LINK } from './sso-schemas.js';

/** Services que ces routes utilisent. */
export type IdentityRouteDeps = IdentityAdminDeps;

const tags = ['auth'];
// identifiants non conformes : 404 du gestionnaire (uuid()), pas de motif validé par Fastify
const USER = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const LINKS_NOTE = 'From a signed-in session only (not with a personal access token or an API key). Your own identities, or '
  + 'those of a user whose rights you hold at least, with the user:admin permission. Linking and unlinking are audited on the user.';

const listSchema = routeSchema({
  operationId: 'listUserIdentities', tags, summary: 'External identities linked to a user', description: LINKS_NOTE, params: USER,
  responses: { 200: { description: 'Linked identities', ...json({ type: 'object', properties: { data: { type: 'array', items: IDENTITY_LINK } } }) }, ...problems(404) },
});
const linkSchema = routeSchema({
  operationId: 'linkUserIdentity', tags, summary: 'Link an external identity to a user (administrator)', params: USER,
  description: `${LINKS_NOTE} A sign-in through that provider with that subject then opens this account, whatever its email address. `
    + 'Refused for a super-administrator (they sign in with their password), for an identity already linked to another account (409 identity_taken) '
    + 'and for a user who already has an identity at this provider (409 identity_already_linked).',
  requestBody: { required: true, ...json({ type: 'object', required: ['provider', 'subject'], properties: { provider: { type: 'string' }, subject: { type: 'string', maxLength: 1000 }, email: { type: 'string' } } }) },
  responses: { 201: { description: 'Linked', ...json(IDENTITY_LINK) }, ...problems(400, 404, 409) },
});
const unlinkSchema = routeSchema({
  operationId: 'unlinkUserIdentity', tags, summary: 'Unlink an external identity', description: LINKS_NOTE,
  params: { type: 'object', properties: { id: { type: 'string' }, linkId: { type: 'string' } }, required: ['id', 'linkId'] },
  responses: { 204: { description: 'Unlinked' }, ...problems(404) },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(value: string): string {
  if (!UUID.test(value)) throw notFound();
  return value.toLowerCase();
}

export function registerIdentityRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const identities = new IdentityAdmin(deps);

  app.get<{ Params: { id: string } }>('/api/v1/users/:id/identities', { schema: listSchema }, async (request) =>
    ({ data: await identities.list(requireAuth(request), uuid(request.params.id)) }));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> | undefined }>('/api/v1/users/:id/identities', { schema: linkSchema }, async (request, reply) =>
    reply.code(201).send(await identities.link(requireAuth(request), uuid(request.params.id), request.body ?? {})));

  app.delete<{ Params: { id: string; linkId: string } }>('/api/v1/users/:id/identities/:linkId', { schema: unlinkSchema }, async (request, reply) => {
    await identities.unlink(requireAuth(request), uuid(request.params.id), uuid(request.params.linkId));
    return reply.code(204).send();
  });
}
