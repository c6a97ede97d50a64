// Administration des tenants : création avec administrateur, isolement, suspension immédiate, réservée au
// super-administrateur de la plateforme.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let platformAdmin: TestTenant;
let root: Client;

beforeAll(async () => {
  server = await startServer();
  platformAdmin = await newTenant(server, { superAdmin: true });
  root = client(server, platformAdmin.token);
});
afterAll(async () => server?.close());

const login = (tenant: string, email: string, password: string) =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant } });

describe('tenants', () => {
  it('creates a tenant with an administrator who administers that tenant only', async () => {
    const slug = `acme-${randomBytes(4).toString('hex')}`;
    const res = await root.post('/api/v1/tenants', { slug, name: 'Acme', admin: { email: 'Boss@Acme.test', password: 'a long enough password' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ slug, name: 'Acme' });
    const session = await login(slug, 'boss@acme.test', 'a long enough password');
    expect(session.statusCode).toBe(200);
    const boss = client(server, session.json().accessToken);
    const me = (await boss.get('/api/v1/auth/me')).json();
    expect(me).toMatchObject({ admin: true, superAdmin: false, roles: ['Administrator'], tenant: { slug } });
    expect((await boss.post('/api/v1/data/company', { name: 'Acme SA' })).statusCode).toBe(201);
    // administrateur d'un tenant, pas de la plateforme
    expect((await boss.get('/api/v1/tenants')).statusCode).toBe(403);
    expect((await boss.post('/api/v1/tenants', { slug: 'evil', admin: { email: 'e@e.test', password: 'a long enough password' } })).statusCode).toBe(403);
    // le slug est unique
    expect((await root.post('/api/v1/tenants', { slug, admin: { email: 'x@acme.test', password: 'a long enough password' } })).statusCode).toBe(409);
    expect((await root.get('/api/v1/tenants')).json().data.map((t: { slug: string }) => t.slug)).toContain(slug);
  });

  it('validates the request before creating anything', async () => {
    const slug = `bad-${randomBytes(4).toString('hex')}`;
    const res = await root.post('/api/v1/tenants', { slug: 'Not A Slug!', admin: { email: 'not-an-email', password: 'short' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['admin.email', 'admin.password', 'slug']);
    const weak = await root.post('/api/v1/tenants', { slug, admin: { email: 'ok@ok.test', password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect((await root.get('/api/v1/tenants')).json().data.map((t: { slug: string }) => t.slug)).not.toContain(slug);
  });

  it('suspends a tenant at once (sessions, tokens, logins) and resumes it', async () => {
    const slug = `sus-${randomBytes(4).toString('hex')}`;
    const { id } = (await root.post('/api/v1/tenants', { slug, admin: { email: 'a@sus.test', password: 'a long enough password' } })).json();
    const session = (await login(slug, 'a@sus.test', 'a long enough password')).json();
    const user = client(server, session.accessToken);
    const pat = (await user.post('/api/v1/auth/tokens', { name: 'script' })).json().token;
    expect((await user.get('/api/v1/auth/me')).statusCode).toBe(200);
    const suspended = await root.patch(`/api/v1/tenants/${id}`, { suspended: true });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().suspendedAt).not.toBeNull();
    expect((await user.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await client(server, pat).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(slug, 'a@sus.test', 'a long enough password')).statusCode).toBe(401);
    expect((await root.patch(`/api/v1/tenants/${id}`, { suspended: false })).json().suspendedAt).toBeNull();
    expect((await user.get('/api/v1/auth/me')).statusCode).toBe(200);
    // le super-administrateur ne suspend pas son propre tenant ; identifiants invalides
    expect((await root.patch(`/api/v1/tenants/${platformAdmin.tenantId}`, { suspended: true })).statusCode).toBe(409);
    expect((await root.patch('/api/v1/tenants/not-a-uuid', { suspended: true })).statusCode).toBe(404);
    expect((await root.patch(`/api/v1/tenants/${id}`, { suspended: 'yes' })).statusCode).toBe(400);
  });
});
