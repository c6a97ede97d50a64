// Double authentification TOTP : enrôlement, connexion à deux facteurs, anti-rejeu, codes de secours, exigence par rôle.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/iam/bootstrap.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
});
afterAll(async () => server?.close());

const PASSWORD = 'long enough password';
/** Code TOTP du pas de temps décalé de `steps` périodes de 30 s. */
const code = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
const login = (email: string, totp?: string, ip = '10.9.0.1') => server.app.inject({
  method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': ip },
  payload: { email, password: PASSWORD, tenant: tenant.slug, ...(totp === undefined ? {} : { totp }) },
});

async function member(name: string): Promise<{ id: string; email: string; api: Client }> {
  const email = `${name}@${tenant.slug}.test`;
  const { id } = await createUser(server.platform, { email, password: PASSWORD, tenant: tenant.slug, superAdmin: false });
  return { id, email, api: client(server, (await login(email)).json().accessToken) };
}

async function enrol(api: Client): Promise<{ secret: string; recoveryCodes: string[]; used: string }> {
  const started = await api.post('/api/v1/auth/mfa/totp');
  expect(started.statusCode).toBe(201);
  const { secret, otpauthUri } = started.json();
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/OpsFlux:/);
  expect((await api.post('/api/v1/auth/mfa/totp/confirm', { code: '000000' === (await code(secret)) ? '111111' : '000000' })).statusCode).toBe(400);
  const used = await code(secret);
  const confirmed = await api.post('/api/v1/auth/mfa/totp/confirm', { code: used });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { secret, recoveryCodes: confirmed.json().recoveryCodes, used };
}

describe('TOTP two-factor authentication', () => {
  it('enrols, then requires a fresh code at login and refuses a replayed one', async () => {
    const user = await member('totp');
    const { secret, recoveryCodes, used } = await enrol(user.api);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await user.api.get('/api/v1/auth/mfa')).json()).toMatchObject({ totpEnabled: true, recoveryCodesLeft: 10 });

    const missing = await login(user.email);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('mfa_required');
    expect((await login(user.email, '123456')).json().code).toBe('invalid_mfa');
    // le code de la confirmation, rejoué, est refusé (même si la période a changé depuis) ; celui du pas suivant passe
    expect((await login(user.email, used)).statusCode).toBe(401);
    const next = await code(secret, 1);
    expect((await login(user.email, next)).statusCode).toBe(200);
    expect((await login(user.email, next)).statusCode).toBe(401);
    // un mauvais mot de passe avec un bon code reste un échec
    const wrongPassword = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'wrong password!!', tenant: tenant.slug, totp: await code(secret, 1) } });
    expect(wrongPassword.statusCode).toBe(401);
  });

  it('accepts each recovery code once, then disables with a valid code', async () => {
    const user = await member('recovery');
    const { secret, recoveryCodes } = await enrol(user.api);
    const first = recoveryCodes[0]!;
    expect((await login(user.email, first.toUpperCase())).statusCode).toBe(200);
    expect((await login(user.email, first)).statusCode).toBe(401);
    expect((await user.api.get('/api/v1/auth/mfa')).json().recoveryCodesLeft).toBe(9);
    expect((await user.api.post('/api/v1/auth/mfa/totp/disable', { code: 'nope' })).statusCode).toBe(400);
    expect((await user.api.post('/api/v1/auth/mfa/totp/disable', { code: await code(secret, 1) })).statusCode).toBe(204);
    expect((await login(user.email)).statusCode).toBe(200);
    const history = (await client(server, tenant.token).get(`/api/v1/data/user/${user.id}/history?limit=100`)).json().data.map((h: { action: string }) => h.action);
    expect(history).toEqual(expect.arrayContaining(['auth.mfa_enabled', 'auth.mfa_disabled']));
  });

  it('makes a user whose role requires it enrol before doing anything else', async () => {
    const admin = client(server, tenant.token);
    const read = (await admin.get(`/api/v1/data/permission?${qs({ filter: { code: 'company:read' } })}`)).json().data[0].id;
    const role = (await admin.post('/api/v1/data/role', { name: 'finance', mfaRequired: true, permissions: [read] })).json().id;
    const user = await member('finance');
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { roles: [role] })).statusCode).toBe(200);
    const blocked = await user.api.get('/api/v1/data/company');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('mfa_enrollment_required');
    expect((await user.api.get('/api/v1/auth/me')).statusCode).toBe(200);
    const { secret } = await enrol(user.api);
    expect((await user.api.get('/api/v1/data/company')).statusCode).toBe(200);
    expect((await user.api.post('/api/v1/auth/mfa/totp/disable', { code: await code(secret, 1) })).statusCode).toBe(409);
  });
});
