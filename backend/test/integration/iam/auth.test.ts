import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant } from '../../../src/tenancy/tenants.js';
import { buildApp } from '../../../src/http/app.js';
import { createUser } from '../../../src/iam/bootstrap.js';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
});

afterAll(async () => server?.close());

const login = (body: Record<string, unknown>, ip = '10.0.0.1') =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, headers: { 'x-forwarded-for': ip } });

describe('native login', () => {
  it('logs in and returns the contract shape', async () => {
    const res = await login({ email: tenant.email, password: tenant.password, tenant: tenant.slug });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: tenant.email } });
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(typeof body.refreshToken).toBe('string');
    expect(body.user.passwordHash).toBeUndefined();
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const unknown = await login({ email: 'nobody@nowhere.test', password: 'whatever-password', tenant: tenant.slug }, '10.0.0.2');
    const wrong = await login({ email: tenant.email, password: 'wrong-password!', tenant: tenant.slug }, '10.0.0.3');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
    expect(unknown.json().code).toBe(wrong.json().code);
  });

  it('rate limits repeated failures with 429', async () => {
    const victim = await newTenant(server);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await login({ email: victim.email, password: `bad-${i}-password`, tenant: victim.slug }, `10.1.0.${i}`)).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const blocked = await login({ email: victim.email, password: victim.password, tenant: victim.slug }, '10.2.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeTruthy();
  });

  it('locks the account in the database after repeated failures, until an administrator clears it', async () => {
    const victim = await newTenant(server);
    for (let i = 0; i < 10; i++) await login({ email: victim.email, password: `wrong-${i}-password`, tenant: victim.slug }, `10.3.0.${i}`);
    // un autre nœud n'a pas le compteur en mémoire : on l'oublie ici, le verrou en base tient toujours
    server.platform.auth.throttle.succeed([`account:${victim.slug}:${victim.email}`]);
    const locked = await login({ email: victim.email, password: victim.password, tenant: victim.slug }, '10.4.0.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    const api = client(server, victim.token);
    const user = (await api.get(`/api/v1/data/user/${victim.userId}`)).json();
    expect(user.lockedUntil).not.toBeNull();
    const history = (await api.get(`/api/v1/data/user/${victim.userId}/history?limit=100`)).json();
    expect(history.data.map((h: { action: string }) => h.action)).toContain('auth.account_locked');
    expect((await api.patch(`/api/v1/data/user/${victim.userId}`, { lockedUntil: null })).statusCode).toBe(200);
    expect((await login({ email: victim.email, password: victim.password, tenant: victim.slug }, '10.4.0.2')).statusCode).toBe(200);
  });

  it('refuses an administratively locked account like a wrong password', async () => {
    const victim = await newTenant(server);
    const other = await newTenant(server);
    const admin = client(server, victim.token);
    const { id } = await createUser(server.platform, { email: 'locked@x.test', password: 'long enough password', tenant: victim.slug, superAdmin: false });
    expect((await admin.patch(`/api/v1/data/user/${id}`, { locked: true })).statusCode).toBe(200);
    const res = await login({ email: 'locked@x.test', password: 'long enough password', tenant: victim.slug }, '10.5.0.1');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe((await login({ email: 'nobody@x.test', password: 'long enough password', tenant: other.slug }, '10.5.0.2')).json().code);
  });

  it('rejects malformed login bodies with 400', async () => {
    expect((await login({ email: tenant.email })).statusCode).toBe(400);
    expect((await login({ email: tenant.email, password: 'x', extra: 1 })).statusCode).toBe(400);
  });

  it('returns me with user, tenant, roles, permissions and preferences', async () => {
    const res = await client(server, tenant.token).get('/api/v1/auth/me');
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.user).toMatchObject({ id: tenant.userId, email: tenant.email });
    expect(me.user.passwordHash).toBeUndefined();
    expect(me.tenant).toMatchObject({ id: tenant.tenantId, slug: tenant.slug });
    expect(Array.isArray(me.roles)).toBe(true);
    expect(Array.isArray(me.permissions)).toBe(true);
    expect(me.preferences).toBeTypeOf('object');
    expect((await client(server).get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('creating users', () => {
  it('refuses an invalid email before creating the tenant', async () => {
    await expect(createUser(server.platform, { email: 'not-an-email', password: 'long-enough-password', tenant: 'never-created' }))
      .rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await findTenant(server.platform.db, 'never-created')).toBeUndefined();
  });
});

describe('refresh tokens', () => {
  it('rotates, and reusing a spent token revokes the whole family', async () => {
    const t = await newTenant(server);
    const refresh = (token: string) => server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: token } });
    const first = await refresh(t.refreshToken);
    expect(first.statusCode, first.body).toBe(200);
    const second = first.json().refreshToken;
    expect(second).not.toBe(t.refreshToken);
    expect((await client(server, first.json().accessToken).get('/api/v1/auth/me')).statusCode).toBe(200);
    // réutilisation du jeton déjà consommé : refus, et la famille entière est révoquée
    expect((await refresh(t.refreshToken)).statusCode).toBe(401);
    expect((await refresh(second)).statusCode).toBe(401);
  });

  it('refuses forged and malformed refresh tokens', async () => {
    const refresh = (token: unknown) => server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: token } });
    const [tid, id] = tenant.refreshToken.split('.');
    expect((await refresh(`${tid}.${id}.forgedsecret`)).statusCode).toBe(401);
    expect((await refresh('garbage')).statusCode).toBe(401);
    expect((await refresh(42)).statusCode).toBe(400);
  });

  it('logout revokes the refresh token family', async () => {
    const t = await newTenant(server);
    const out = await client(server, t.token).post('/api/v1/auth/logout', { refreshToken: t.refreshToken });
    expect(out.statusCode).toBe(204);
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: t.refreshToken } });
    expect(res.statusCode).toBe(401);
  });
});

describe('HTTP basics', () => {
  it('answers health and readiness without auth, with a request id', async () => {
    const health = await server.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(health.json().version).toBeTruthy();
    expect(health.headers['x-request-id']).toBeTruthy();
    expect((await server.app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
  });

  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    const given = await server.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const bad = await server.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id\n<script>' } });
    expect(bad.headers['x-request-id']).not.toContain('script');
  });

  it('serves the API on api.DOMAIN when OPSFLUX_DOMAIN is set', async () => {
    const app = await buildApp(server.platform, { domain: 'opsflux.test' });
    try {
      const res = await app.inject({ method: 'GET', url: '/health', headers: { host: 'api.opsflux.test' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('ok');
      const me = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: { host: 'api.opsflux.test', authorization: `Bearer ${tenant.token}` } });
      expect(me.json().user.email).toBe(tenant.email);
    } finally {
      await app.close();
    }
  });

  it('answers unknown routes with a problem', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
