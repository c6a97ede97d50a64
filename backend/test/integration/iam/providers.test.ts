// Fournisseurs d'identité configurés à l'exécution : réglages validés, secret chiffré au repos et jamais relu,
// liste publique pour la page de connexion.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => server?.close());

const oidc = { name: 'corp-sso', label: 'Corporate SSO', kind: 'oidc', config: { issuer: 'https://id.example.test', clientId: 'opsflux' }, secret: 'client-secret-value', roleMapping: { staff: ['Employee'] } };

describe('identity providers', () => {
  it('stores the secret encrypted, never returns it, and decrypts it for the platform', async () => {
    const res = await admin.post('/api/v1/data/auth_provider', oidc);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).not.toHaveProperty('secret');
    expect(JSON.stringify((await admin.get(`/api/v1/data/auth_provider/${res.json().id}`)).json())).not.toContain('client-secret-value');
    expect((await admin.get(`/api/v1/data/auth_provider?${new URLSearchParams({ filter: JSON.stringify({ secret: 'x' }) })}`)).statusCode).toBe(400);
    const table = (await server.platform.catalog(tenant.tenantId)).get('auth_provider')!.table;
    const stored = (await tenantSql(server.platform, tenant.tenantId, sql<{ secret: string }>`SELECT secret FROM ${sql.table(table)} WHERE id = ${res.json().id}`)).rows[0]!.secret;
    expect(stored).toMatch(/^v2\.[0-9a-f]{16}\./);
    expect(stored).not.toContain('client-secret');
    const loaded = await server.platform.providers.load(tenant.tenantId, 'corp-sso');
    expect(loaded).toMatchObject({ kind: 'oidc', secret: 'client-secret-value', config: { issuer: 'https://id.example.test' }, roleMapping: { staff: ['Employee'] } });
    // changer le secret le rechiffre ; ne pas l'envoyer le garde
    expect((await admin.patch(`/api/v1/data/auth_provider/${res.json().id}`, { label: 'SSO' })).statusCode).toBe(200);
    expect((await server.platform.providers.load(tenant.tenantId, 'corp-sso'))?.secret).toBe('client-secret-value');
    expect((await admin.patch(`/api/v1/data/auth_provider/${res.json().id}`, { secret: 'rotated' })).statusCode).toBe(200);
    expect((await server.platform.providers.load(tenant.tenantId, 'corp-sso'))?.secret).toBe('rotated');
  });

  it('validates the settings of each protocol', async () => {
    const missing = await admin.post('/api/v1/data/auth_provider', { name: 'ad', label: 'AD', kind: 'ldap', config: { url: 'ldap://127.0.0.1' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['config.baseDn', 'config.userFilter']);
    const badMapping = await admin.post('/api/v1/data/auth_provider', { ...oidc, name: 'bad-map', roleMapping: { staff: 'Employee' } });
    expect(badMapping.statusCode).toBe(400);
    expect((await admin.post('/api/v1/data/auth_provider', { ...oidc, name: 'Bad Name!' })).statusCode).toBe(400);
  });

  it('lists enabled providers publicly, without settings', async () => {
    await admin.post('/api/v1/data/auth_provider', { ...oidc, name: 'off', label: 'Disabled', enabled: false });
    const res = await server.app.inject({ method: 'GET', url: `/api/v1/auth/providers?tenant=${tenant.slug}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([{ name: 'corp-sso', label: 'SSO', kind: 'oidc' }]);
    // un tenant inconnu répond comme un tenant sans fournisseur (pas d'énumération des tenants)
    const unknown = await server.app.inject({ method: 'GET', url: '/api/v1/auth/providers?tenant=no-such-tenant' });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ data: [] });
  });
});
