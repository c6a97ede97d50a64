// Clés d'API : secret montré une fois et haché, authentification d'une requête de données, droits du rôle restreints
// par les portées, expiration, révocation et rotation, adresses autorisées (IPv4/IPv6, CIDR), limite de débit
// (429, partagée par deux nœuds sur le serveur PostgreSQL), statistiques d'usage, audit, cloisonnement, droits.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant, type Tx } from '../../../src/db/transaction.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, onServer, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let kit: ReturnType<typeof memberKit>;
let adminRole: string;
let readerRole: string;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  kit = memberKit(server, tenant, admin);
  adminRole = await kit.role('Integration admin', [], { admin: true });
  readerRole = await kit.role('Company reader', ['company:read']);
});
afterAll(async () => server?.close());

/** Lecture ou écriture directe en base dans le tenant de test (les tables des clés sont sous RLS). */
const inTestTenant = <T>(work: (trx: Tx) => Promise<T>) => inTenant(server.platform.db, { tenantId: tenant.tenantId }, work);

/** Requête authentifiée par une clé, depuis une adresse donnée (sinon la boucle locale de l'injection). */
function withKey(key: string, remoteAddress?: string, target: TestServer = server) {
  return (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) => target.app.inject({
    method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(remoteAddress ? { remoteAddress } : {}), ...(payload ? { payload } : {}),
  });
}

async function createKey(body: Record<string, unknown>, api: Client = admin) {
  const res = await api.post('/api/v1/api-keys', { name: 'ERP sync', roleId: adminRole, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; key: string; [field: string]: unknown };
}

describe('API keys', () => {
  it('shows the secret once, stores only its hash, and authenticates a data request as the creator', async () => {
    const created = await createKey({ description: 'nightly import' });
    expect(created.key).toMatch(new RegExp(`^ofk_${tenant.tenantId}\\.${created.id}\\.[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ name: 'ERP sync', roleId: adminRole, status: 'active', scopes: null, createdBy: tenant.userId });
    const secret = created.key.split('.')[2]!;
    const { rows } = await inTestTenant((trx) => sql<{ secret_hash: string }>`SELECT secret_hash FROM api_key WHERE id = ${created.id}`.execute(trx));
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.secret_hash).not.toContain(secret);
    const listed = await admin.get('/api/v1/api-keys');
    expect(listed.json().data.map((k: { id: string }) => k.id)).toContain(created.id);
    const read = await admin.get(`/api/v1/api-keys/${created.id}`);
    expect(read.json()).toMatchObject({ id: created.id, description: 'nightly import' });
    expect(JSON.stringify([listed.json(), read.json()])).not.toContain(secret);

    const call = withKey(created.key);
    const made = await call('POST', '/api/v1/data/company', { name: 'Made by a key' });
    expect(made.statusCode, made.body).toBe(201);
    // les écritures d'une clé sont au nom de l'administrateur qui l'a créée
    expect(made.json().createdBy).toBe(tenant.userId);
    expect((await call('GET', '/api/v1/data/company')).statusCode).toBe(200);
    expect(made.headers['ratelimit-limit']).toBe('600');
    expect(Number(made.headers['ratelimit-remaining'])).toBeLessThan(600);
    // une requête de session ne passe pas par la limite de débit
    expect((await admin.get('/api/v1/data/company')).headers['ratelimit-limit']).toBeUndefined();
  });

  it('applies the permissions of its role, narrowed by its scopes', async () => {
    const reader = withKey((await createKey({ name: 'reader', roleId: readerRole })).key);
    expect((await reader('GET', '/api/v1/data/company')).statusCode).toBe(200);
    expect((await reader('POST', '/api/v1/data/company', { name: 'Nope' })).statusCode).toBe(403);
    expect((await reader('GET', '/api/v1/data/user')).statusCode).toBe(403);

    const scoped = withKey((await createKey({ name: 'scoped', scopes: ['company:read'] })).key);
    expect((await scoped('GET', '/api/v1/data/company')).statusCode).toBe(200);
    expect((await scoped('POST', '/api/v1/data/company', { name: 'Nope' })).statusCode).toBe(403);
    expect((await scoped('GET', '/api/v1/data/user')).statusCode).toBe(403);
    // une clé n'est pas une session : elle ne gère ni les clés ni les jetons
    expect((await scoped('GET', '/api/v1/api-keys')).statusCode).toBe(403);
    const unscoped = withKey((await createKey({ name: 'admin key' })).key);
    expect((await unscoped('POST', '/api/v1/api-keys', { name: 'escalate', roleId: adminRole })).statusCode).toBe(403);
  });

  it('refuses an expired key with 401, also once its verification is cached', async () => {
    // de la marge pour le premier appel sur une machine chargée, puis l'attente de l'échéance elle-même (cache de 30 s)
    const expiresAt = Date.now() + 5000;
    const soon = await createKey({ name: 'short-lived', expiresAt: new Date(expiresAt).toISOString() });
    const call = withKey(soon.key);
    expect((await call('GET', '/api/v1/data/company')).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 100));
    const expired = await call('GET', '/api/v1/data/company');
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['content-type']).toContain('application/problem+json');
    expect((await admin.get(`/api/v1/api-keys/${soon.id}`)).json().status).toBe('expired');

    const never = await createKey({ name: 'expired in the database', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    await inTestTenant((trx) => sql`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = ${never.id}`.execute(trx));
    expect((await withKey(never.key)('GET', '/api/v1/data/company')).statusCode).toBe(401);
  });

  it('revokes and rotates: the old secret answers 401 at once', async () => {
    const key = await createKey({ name: 'rotating' });
    expect((await withKey(key.key)('GET', '/api/v1/data/company')).statusCode).toBe(200);
    const rotated = await admin.post(`/api/v1/api-keys/${key.id}/rotate`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json().key).not.toBe(key.key);
    expect(rotated.json().rotatedAt).toBeTruthy();
    expect((await withKey(key.key)('GET', '/api/v1/data/company')).statusCode).toBe(401);
    expect((await withKey(rotated.json().key)('GET', '/api/v1/data/company')).statusCode).toBe(200);

    expect((await admin.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(204);
    expect((await withKey(rotated.json().key)('GET', '/api/v1/data/company')).statusCode).toBe(401);
    expect((await admin.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/api-keys/${key.id}/rotate`)).statusCode).toBe(409);
    expect((await admin.get(`/api/v1/api-keys/${key.id}`)).json()).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });

    const { rows } = await tenantSql(server.platform, tenant.tenantId, sql<{ action: string }>`SELECT action FROM audit_log WHERE record_id = ${key.id} ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['api_key.created', 'api_key.rotated', 'api_key.revoked']);
  });

  it('accepts only the allowed addresses and networks, IPv4 and IPv6', async () => {
    const key = await createKey({ name: 'office', allowedIps: ['192.0.2.0/24', '198.51.100.7', '2001:db8::/32'] });
    expect(key.allowedIps).toEqual(['192.0.2.0/24', '198.51.100.7', '2001:db8::/32']);
    const from = (ip: string) => withKey(key.key, ip)('GET', '/api/v1/data/company');
    expect((await from('192.0.2.44')).statusCode).toBe(200);
    expect((await from('198.51.100.7')).statusCode).toBe(200);
    expect((await from('2001:db8:5::1')).statusCode).toBe(200);
    expect((await from('::ffff:192.0.2.9')).statusCode).toBe(200);
    const refused = await from('203.0.113.5');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ip_not_allowed', status: 403 });
    expect((await from('198.51.100.8')).statusCode).toBe(403);
    expect((await from('2001:db9::1')).statusCode).toBe(403);
    // derrière un mandataire de confiance (boucle locale), l'adresse du client vient de X-Forwarded-For
    expect((await withKey(key.key)('GET', '/api/v1/data/company', undefined, { 'x-forwarded-for': '192.0.2.200' })).statusCode).toBe(200);
    // une adresse refusée ne consomme pas le quota : la liste se vérifie avant la limite
    const edited = await admin.patch(`/api/v1/api-keys/${key.id}`, { allowedIps: null });
    expect(edited.json().allowedIps).toBeNull();
    expect((await from('203.0.113.5')).statusCode).toBe(200);
  });

  it('answers 429 with Retry-After and RateLimit headers beyond the limit of the key', async () => {
    const key = await createKey({ name: 'limited', rateLimit: 3 });
    const call = withKey(key.key);
    for (let i = 0; i < 3; i++) expect((await call('GET', '/api/v1/data/company')).statusCode).toBe(200);
    const over = await call('GET', '/api/v1/data/company');
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.headers['ratelimit-limit']).toBe('3');
    expect(over.headers['ratelimit-remaining']).toBe('0');
    // une autre clé a son propre compteur ; la limite par défaut vient du réglage du tenant
    expect((await admin.put('/api/v1/settings/api.rateLimit.perMinute', { value: 2 })).statusCode).toBe(200);
    const other = withKey((await createKey({ name: 'default limit' })).key);
    expect((await other('GET', '/api/v1/data/company')).headers['ratelimit-limit']).toBe('2');
    await other('GET', '/api/v1/data/company');
    expect((await other('GET', '/api/v1/data/company')).statusCode).toBe(429);
    expect((await admin.delete('/api/v1/settings/api.rateLimit.perMinute')).statusCode).toBeLessThan(300);
  });

  it.skipIf(!onServer)('shares the limit between two nodes on the same PostgreSQL database', async () => {
    const second = await startServer();
    try {
      const key = await createKey({ name: 'two nodes', rateLimit: 4 });
      const first = withKey(key.key);
      const other = withKey(key.key, undefined, second);
      const codes = [];
      for (const call of [first, other, first, other, other, first]) codes.push((await call('GET', '/api/v1/data/company')).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
      // révocation sur un nœud : l'autre, qui garde la clé vérifiée en cache, l'oublie par NOTIFY
      const revoked = await createKey({ name: 'revoked elsewhere' });
      expect((await withKey(revoked.key, undefined, second)('GET', '/api/v1/data/company')).statusCode).toBe(200);
      expect((await admin.delete(`/api/v1/api-keys/${revoked.id}`)).statusCode).toBe(204);
      await expect.poll(async () => (await withKey(revoked.key, undefined, second)('GET', '/api/v1/data/company')).statusCode, BACKGROUND).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('counts requests per day and status class, with the last use', async () => {
    const key = await createKey({ name: 'counted', allowedIps: ['192.0.2.0/24'] });
    const call = withKey(key.key, '192.0.2.31');
    await call('GET', '/api/v1/data/company');
    await call('GET', '/api/v1/data/company');
    await call('GET', '/api/v1/data/company/00000000-0000-7000-8000-000000000000');
    await withKey(key.key, '203.0.113.9')('GET', '/api/v1/data/company');
    const res = await admin.get(`/api/v1/api-keys/${key.id}/usage`);
    expect(res.statusCode, res.body).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.json()).toMatchObject({
      keyId: key.id, to: today, requests: 4, byStatus: { '2xx': 2, '4xx': 2 },
      days: [{ day: today, requests: 4, byStatus: { '2xx': 2, '4xx': 2 } }],
      lastUsedIp: '203.0.113.9', lastUsedAt: expect.any(String),
    });
    const past = await admin.get(`/api/v1/api-keys/${key.id}/usage?from=2020-01-01&to=2020-01-31`);
    expect(past.json()).toMatchObject({ requests: 0, days: [] });
    expect((await admin.get(`/api/v1/api-keys/${key.id}`)).json().lastUsedIp).toBe('203.0.113.9');
    const bad = await admin.get(`/api/v1/api-keys/${key.id}/usage?from=2020-02-30&to=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'to']);
  });

  it('keeps keys inside their tenant: another tenant can neither see, change nor use them', async () => {
    const key = await createKey({ name: 'private' });
    const other = await newTenant(server);
    const them = client(server, other.token);
    expect((await them.get(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(404);
    expect((await them.patch(`/api/v1/api-keys/${key.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await them.post(`/api/v1/api-keys/${key.id}/rotate`)).statusCode).toBe(404);
    expect((await them.get(`/api/v1/api-keys/${key.id}/usage`)).statusCode).toBe(404);
    expect((await them.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(404);
    expect((await them.get('/api/v1/api-keys')).json().data).toEqual([]);
    // le secret présenté sous l'identifiant de l'autre tenant ne vaut rien
    const forged = key.key.replace(tenant.tenantId, other.tenantId);
    expect((await withKey(forged)('GET', '/api/v1/data/company')).statusCode).toBe(401);
    expect((await withKey(key.key)('GET', '/api/v1/data/company')).statusCode).toBe(200);
    // un rôle d'un autre tenant ne se donne pas à une clé
    const theirRole = await memberKit(server, other, them).role('Theirs', []);
    const refused = await admin.post('/api/v1/api-keys', { name: 'foreign role', roleId: theirRole });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'roleId', code: 'unknown_role' })]);
  });

  it('is for tenant administrators in a session only', async () => {
    const member = await kit.member('clerk', [readerRole]);
    expect((await member.api.get('/api/v1/api-keys')).statusCode).toBe(403);
    expect((await member.api.post('/api/v1/api-keys', { name: 'mine', roleId: readerRole })).statusCode).toBe(403);
    const personal = (await admin.post('/api/v1/auth/tokens', { name: 'script' })).json().token as string;
    const viaToken = await client(server, personal).get('/api/v1/api-keys');
    expect(viaToken.statusCode).toBe(403);
    expect(viaToken.json().code).toBe('session_required');
    expect((await client(server).get('/api/v1/api-keys')).statusCode).toBe(401);
  });

  it('reports every invalid field of a bad body', async () => {
    const res = await admin.post('/api/v1/api-keys', {
      name: '', roleId: 'admin', scopes: ['DROP TABLE'], allowedIps: ['10.0.0.0/33', 'example.com'], rateLimit: 0,
      expiresAt: '2001-01-01T00:00:00Z', colour: 'red',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field).sort())
      .toEqual(['allowedIps', 'colour', 'expiresAt', 'name', 'rateLimit', 'roleId', 'scopes']);
    const key = await createKey({ name: 'patched' });
    const patch = await admin.patch(`/api/v1/api-keys/${key.id}`, { rateLimit: 'many', allowedIps: '10.0.0.1' });
    expect(patch.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['allowedIps', 'rateLimit']);
    expect((await admin.patch(`/api/v1/api-keys/${key.id}`, {})).statusCode).toBe(400);
    expect((await admin.get('/api/v1/api-keys?limit=0')).statusCode).toBe(400);
    expect((await admin.get('/api/v1/api-keys/not-a-uuid')).statusCode).toBe(404);
    const renamed = await admin.patch(`/api/v1/api-keys/${key.id}`, { name: 'renamed', rateLimit: 100 });
    expect(renamed.json()).toMatchObject({ name: 'renamed', rateLimit: 100 });
    const { rows } = await tenantSql(server.platform, tenant.tenantId, sql<{ changes: Record<string, unknown> }>`SELECT changes FROM audit_log WHERE record_id = ${key.id} AND action = 'api_key.updated'`);
    expect(rows[0]!.changes).toEqual({ name: { from: 'patched', to: 'renamed' }, rateLimit: { from: null, to: 100 } });
  });
});
