// Identités externes liées aux comptes : `GET|POST /api/v1/users/{id}/identities`, `DELETE …/{linkId}` (voir
// iam/sso/identity-admin.ts pour qui peut quoi). La liaison par l'utilisateur lui-même passe par le fournisseur :
// `GET /api/v1/auth/sso/{provider}/start?link=true` (OIDC) ou `POST /api/v1/auth/ldap/{provider}/link`.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { IdentityAdmin } from '../../iam/sso/identity-admin.js';
import { requireAuth } from '../auth.js';
import { notFound } from '../problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(value: string): string {
  if (!UUID.test(value)) throw notFound();
  return value.toLowerCase();
}

export function registerIdentityRoutes(app: FastifyInstance, platform: Platform): void {
  const identities = new IdentityAdmin(platform);

  app.get<{ Params: { id: string } }>('/api/v1/users/:id/identities', async (request) =>
    ({ data: await identities.list(requireAuth(request), uuid(request.params.id)) }));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> | undefined }>('/api/v1/users/:id/identities', async (request, reply) =>
    reply.code(201).send(await identities.link(requireAuth(request), uuid(request.params.id), request.body ?? {})));

  app.delete<{ Params: { id: string; linkId: string } }>('/api/v1/users/:id/identities/:linkId', async (request, reply) => {
    await identities.unlink(requireAuth(request), uuid(request.params.id), uuid(request.params.linkId));
    return reply.code(204).send();
  });
}
