// Utilisateurs ordinaires d'un tenant de test, avec des rôles faits de permissions `entité:action`.
import { expect } from 'vitest';
import { createUser } from '../../src/iam/bootstrap.js';
import { client, qs, type Client, type TestServer, type TestTenant } from './platform.js';

export function memberKit(server: TestServer, tenant: TestTenant, admin: Client) {
  async function permissionIds(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = (await admin.get(`/api/v1/data/permission?${qs({ filter: { code: { in: codes } } })}`)).json().data as Array<{ id: string }>;
    expect(rows).toHaveLength(codes.length);
    return rows.map((r) => r.id);
  }

  /** Utilisateur ordinaire du tenant, avec les rôles donnés, connecté. */
  async function member(name: string, roles: string[] = []): Promise<{ id: string; api: Client; token: string }> {
    const email = `${name}@${tenant.slug}.test`;
    const { id } = await createUser(server.platform, { email, password: 'long enough password', tenant: tenant.slug, superAdmin: false });
    if (roles.length) expect((await admin.patch(`/api/v1/data/user/${id}`, { roles })).statusCode).toBe(200);
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'long enough password', tenant: tenant.slug } });
    const token = login.json().accessToken as string;
    return { id, api: client(server, token), token };
  }

  async function role(name: string, codes: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const res = await admin.post('/api/v1/data/role', { name, permissions: await permissionIds(codes), ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  return { permissionIds, member, role };
}
