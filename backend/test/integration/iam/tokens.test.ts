// Jetons : jetons d'accès personnels (portées, expiration, révocation) et JWT hostiles (falsifiés, expirés, alg none,
// mauvaise clé) — toujours 401, jamais de fuite.
import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let api: Client;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  api = client(server, tenant.token);
});
afterAll(async () => server?.close());

const status = async (token: string, url = '/api/v1/auth/me') => (await client(server, token).get(url)).statusCode;

describe('personal access tokens', () => {
  it('creates a token shown once, lists it without its secret, and authenticates with it', async () => {
    const created = await api.post('/api/v1/auth/tokens', { name: 'CI' });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^ofp_/);
    expect(await status(token)).toBe(200);
    const list = (await api.get('/api/v1/auth/tokens')).json().data;
    expect(list).toEqual([expect.objectContaining({ id, name: 'CI', scopes: null })]);
    expect(JSON.stringify(list)).not.toContain(token.split('.')[2]);
    expect(list[0].lastUsedAt).not.toBeNull();
  });

  it('limits a scoped token to its scopes', async () => {
    const { token } = (await api.post('/api/v1/auth/tokens', { name: 'reader', scopes: ['*:read'] })).json();
    const scoped = client(server, token);
    expect((await scoped.get('/api/v1/data/user')).statusCode).toBe(200);
    expect((await scoped.post('/api/v1/data/company', { name: 'Nope' })).statusCode).toBe(403);
    const companies = (await api.post('/api/v1/auth/tokens', { name: 'companies', scopes: ['company'] })).json().token;
    expect((await client(server, companies).post('/api/v1/data/company', { name: 'Yes' })).statusCode).toBe(201);
    expect((await client(server, companies).get('/api/v1/data/user')).statusCode).toBe(403);
    // un jeton ne gère pas les jetons
    expect((await scoped.post('/api/v1/auth/tokens', { name: 'escalate' })).statusCode).toBe(403);
  });

  it('refuses revoked, expired, tampered and foreign tokens', async () => {
    const revoked = (await api.post('/api/v1/auth/tokens', { name: 'revoked' })).json();
    expect(await status(revoked.token)).toBe(200);
    expect((await api.delete(`/api/v1/auth/tokens/${revoked.id}`)).statusCode).toBe(204);
    expect(await status(revoked.token)).toBe(401);
    expect((await api.delete(`/api/v1/auth/tokens/${revoked.id}`)).statusCode).toBe(404);

    const expiring = (await api.post('/api/v1/auth/tokens', { name: 'expiring', expiresAt: new Date(Date.now() + 3600_000).toISOString() })).json();
    await tenantSql(server.platform, tenant.tenantId, sql`UPDATE personal_token SET expires_at = now() - interval '1 second' WHERE id = ${expiring.id}`);
    expect(await status(expiring.token)).toBe(401);

    const good = (await api.post('/api/v1/auth/tokens', { name: 'tampered' })).json().token as string;
    expect(await status(`${good.slice(0, -2)}xx`)).toBe(401);
    expect(await status(`${good}.extra`)).toBe(401);
    expect(await status('ofp_not-a-token')).toBe(401);

    // le jeton d'un autre utilisateur ne se révoque pas
    const other = await newTenant(server);
    const theirs = (await client(server, other.token).post('/api/v1/auth/tokens', { name: 'theirs' })).json();
    expect((await api.delete(`/api/v1/auth/tokens/${theirs.id}`)).statusCode).toBe(404);
    expect(await status(theirs.token)).toBe(200);
  });

  it('validates the body with field-level errors', async () => {
    const res = await api.post('/api/v1/auth/tokens', { name: '', scopes: ['DROP TABLE'], expiresAt: '2001-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['expiresAt', 'name', 'scopes']);
  });
});

describe('hostile access tokens', () => {
  const claims = () => ({ tid: tenant.tenantId, sa: true });

  it('refuses alg none, a wrong key, a forged payload, a wrong audience and an expired token', async () => {
    const none = new UnsecuredJWT(claims()).setSubject(tenant.userId).setIssuer('opsflux').setAudience('opsflux-api').setExpirationTime('5m').encode();
    const wrongKey = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject(tenant.userId).setIssuer('opsflux')
      .setAudience('opsflux-api').setExpirationTime('5m').sign(randomBytes(32));
    const [header, , signature] = tenant.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims(), sub: '00000000-0000-7000-8000-000000000000', iss: 'opsflux', aud: 'opsflux-api', exp: 9999999999 })).toString('base64url');
    const key = server.platform.keys.current('jwt').key;
    const expired = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject(tenant.userId).setIssuer('opsflux')
      .setAudience('opsflux-api').setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key);
    const wrongAudience = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject(tenant.userId).setIssuer('opsflux')
      .setAudience('somebody-else').setExpirationTime('5m').sign(key);
    const valid = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject(tenant.userId).setIssuer('opsflux')
      .setAudience('opsflux-api').setExpirationTime('5m').sign(key);
    expect(await status(valid)).toBe(200); // la fabrique de jetons du test est juste : seuls les défauts font échouer
    for (const token of [none, wrongKey, `${header}.${forgedPayload}.${signature}`, expired, wrongAudience, 'a.b.c', '']) {
      expect(await status(token)).toBe(401);
    }
  });
});
