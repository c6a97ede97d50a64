// Réglages : déclarations, résolution par niveau, validation, secrets scellés, audit, droits, isolement des tenants,
// et politique de sécurité (mots de passe, verrouillage, MFA) lue dans les réglages du tenant.
import { defineSetting } from '@opsflux/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/iam/bootstrap.js';
import { client, newTenant, onServer, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let other: TestTenant;

const PASSWORD = 'long enough password';
const extra = [
  defineSetting({ key: 'test.ui.density', scope: 'user', schema: { enum: ['compact', 'cozy'] }, default: 'cozy', label: { en: 'Density', fr: 'Densité' } }),
  defineSetting({ key: 'test.api.secretKey', scope: 'tenant', secret: true, schema: { type: 'string', minLength: 8 }, default: null, label: { en: 'Key', fr: 'Clé' } }),
  defineSetting({ key: 'test.limits.rows', scope: 'company', schema: { type: 'integer', minimum: 1, maximum: 1000 }, default: 100, label: { en: 'Rows', fr: 'Lignes' } }),
];

const login = (email: string, password = PASSWORD, t = tenant.slug) =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant: t }, headers: { 'x-forwarded-for': `10.77.${Math.floor(Math.random() * 250)}.1` } });

async function member(name: string): Promise<{ id: string; email: string; api: Client }> {
  const email = `${name}@${tenant.slug}.test`;
  const { id } = await createUser(server.platform, { email, password: PASSWORD, tenant: tenant.slug, superAdmin: false });
  return { id, email, api: client(server, (await login(email)).json().accessToken) };
}

beforeAll(async () => {
  server = await startServer({ settings: extra });
  tenant = await newTenant(server);
  other = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => server?.close());

describe('settings API', () => {
  it('lists declarations with defaults, labels and where the value comes from', async () => {
    const res = await admin.get('/api/v1/settings');
    expect(res.statusCode, res.body).toBe(200);
    const minLength = res.json().data.find((s: { key: string }) => s.key === 'security.password.minLength');
    expect(minLength).toMatchObject({ value: 10, default: 10, source: 'default', scope: 'tenant', levels: ['platform', 'tenant'], label: { fr: 'Longueur minimale des mots de passe' } });
    const secret = res.json().data.find((s: { key: string }) => s.key === 'test.api.secretKey');
    expect(secret).toMatchObject({ secret: true, isSet: false });
    expect(secret).not.toHaveProperty('value');
  });

  it('validates values against the schema with field messages in French or English', async () => {
    const fr = await admin.put('/api/v1/settings/security.password.minLength', { value: 3 }, { 'accept-language': 'fr' });
    expect(fr.statusCode).toBe(400);
    expect(fr.headers['content-type']).toContain('application/problem+json');
    expect(fr.json().errors[0]).toMatchObject({ field: 'value', code: 'invalid_value' });
    expect(fr.json().errors[0].message).toMatch(/^Valeur invalide/);
    expect((await admin.put('/api/v1/settings/security.password.minLength', { value: '12' })).statusCode).toBe(400);
    expect((await admin.put('/api/v1/settings/security.password.minLength', {})).statusCode).toBe(400);
    expect((await admin.put('/api/v1/settings/security.password.minLength', { value: 12, level: 'user' })).json().errors[0].field).toBe('level');
    expect((await admin.put('/api/v1/settings/no.such.setting', { value: 1 })).statusCode).toBe(404);
    expect((await admin.get('/api/v1/settings/security.password.minLength')).json()).toMatchObject({ value: 10, source: 'default' });
  });

  it('sets and resets a tenant value, audited, without touching another tenant', async () => {
    const set = await admin.put('/api/v1/settings/security.password.minLength', { value: 14 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ value: 14, source: 'tenant' });
    const otherView = await client(server, other.token).get('/api/v1/settings/security.password.minLength');
    expect(otherView.json()).toMatchObject({ value: 10, source: 'default' });
    const { rows } = await tenantSql(server.platform, tenant.tenantId, sql<{ action: string; changes: Record<string, { from: unknown; to: unknown }> }>`
      SELECT action, changes FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND entity = 'setting' ORDER BY id`);
    expect(rows.at(-1)).toMatchObject({ action: 'setting.set', changes: { 'security.password.minLength': { from: null, to: 14 }, level: { to: 'tenant' } } });
    expect((await admin.delete('/api/v1/settings/security.password.minLength')).statusCode).toBe(204);
    expect((await admin.get('/api/v1/settings/security.password.minLength')).json()).toMatchObject({ value: 10, source: 'default' });
  });

  it('seals secrets at rest and never returns them', async () => {
    const res = await admin.put('/api/v1/settings/test.api.secretKey', { value: 'sk-very-secret-value' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ isSet: true, source: 'tenant' });
    expect(res.body).not.toContain('sk-very-secret-value');
    const stored = await tenantSql(server.platform, tenant.tenantId, sql<{ value: unknown; sealed: string }>`SELECT value, sealed FROM setting_value WHERE tenant_id = ${tenant.tenantId} AND key = 'test.api.secretKey'`);
    expect(stored.rows[0]!.value).toBeNull();
    expect(stored.rows[0]!.sealed).not.toContain('sk-very');
    expect(await server.platform.settings.value('test.api.secretKey', { tenantId: tenant.tenantId })).toBe('sk-very-secret-value');
    const audit = await tenantSql(server.platform, tenant.tenantId, sql<{ changes: unknown }>`SELECT changes FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND entity = 'setting' ORDER BY id DESC LIMIT 1`);
    expect(JSON.stringify(audit.rows[0]!.changes)).not.toContain('sk-very');
  });

  it('merges one entry into a secret object without returning or losing the others', async () => {
    const keys = '/api/v1/settings/ai.providerKeys';
    expect((await admin.put(keys, { value: { gpt: 'sk-first-provider', claude: 'sk-ant-second' } })).statusCode).toBe(200);
    const merged = await admin.patch(keys, { value: { mistral: 'sk-mistral-third', claude: null } });
    expect(merged.statusCode, merged.body).toBe(200);
    // les noms des entrées, jamais leurs valeurs
    expect(merged.json()).toMatchObject({ isSet: true, setKeys: ['gpt', 'mistral'] });
    expect(merged.body).not.toMatch(/sk-/);
    expect(await server.platform.settings.value('ai.providerKeys', { tenantId: tenant.tenantId })).toEqual({ gpt: 'sk-first-provider', mistral: 'sk-mistral-third' });
    // validée comme une écriture entière ; un réglage qui n'est pas un objet ne se fusionne pas
    expect((await admin.patch(keys, { value: { 'Bad Name': 'x' } })).statusCode).toBe(400);
    const scalar = await admin.patch('/api/v1/settings/security.password.minLength', { value: { a: 1 } }, { 'accept-language': 'fr' });
    expect(scalar.statusCode).toBe(400);
    expect(scalar.json().errors[0]).toMatchObject({ field: 'value', code: 'not_mergeable', message: expect.stringMatching(/^Seul un réglage/) });
    expect((await admin.patch(keys, { value: ['sk'] })).statusCode).toBe(400);
    expect((await client(server, other.token).get(keys)).json()).toMatchObject({ isSet: false });
  });

  it('resolves user over company over tenant, and lets users set only their own user settings', async () => {
    const user = await member('plain');
    // un utilisateur sans droits ne voit que les réglages de portée utilisateur
    const list = (await user.api.get('/api/v1/settings')).json().data.map((s: { key: string }) => s.key);
    expect(list).toEqual(['test.ui.density']);
    expect((await user.api.put('/api/v1/settings/test.ui.density', { value: 'compact' })).json()).toMatchObject({ value: 'compact', source: 'user' });
    expect((await admin.get('/api/v1/settings/test.ui.density')).json()).toMatchObject({ value: 'cozy', source: 'default' });
    expect((await user.api.put('/api/v1/settings/test.ui.density', { value: 'cozy', level: 'tenant' })).statusCode).toBe(403);
    expect((await user.api.put('/api/v1/settings/test.ui.density', { value: 'cozy', level: 'user', targetId: tenant.userId })).statusCode).toBe(403);
    expect((await user.api.put('/api/v1/settings/security.password.minLength', { value: 12 })).statusCode).toBe(404);
    // société : valeur propre, au-dessus de celle du tenant
    const company = (await admin.post('/api/v1/data/company', { name: 'Acme' })).json();
    expect((await admin.put('/api/v1/settings/test.limits.rows', { value: 200 })).statusCode).toBe(200);
    expect((await admin.put('/api/v1/settings/test.limits.rows', { value: 50, level: 'company', targetId: company.id })).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/settings/test.limits.rows?companyId=${company.id}`)).json()).toMatchObject({ value: 50, source: 'company', values: { tenant: 200, company: 50 } });
    expect((await admin.get('/api/v1/settings/test.limits.rows')).json()).toMatchObject({ value: 200, source: 'tenant' });
    // une société d'un autre tenant n'existe pas ici
    const foreign = (await client(server, other.token).post('/api/v1/data/company', { name: 'Other' })).json();
    expect((await admin.put('/api/v1/settings/test.limits.rows', { value: 5, level: 'company', targetId: foreign.id })).statusCode).toBe(404);
  });

  it('keeps platform values for the super-administrator and applies them under tenant values', async () => {
    const plain = await member('nosuper');
    expect((await plain.api.put('/api/v1/settings/security.lockout.minutes', { value: 30, level: 'platform' })).statusCode).toBe(404); // invisible pour lui
    // administrateur d'un tenant (rôle Administrator), pas de la plateforme
    const slug = `adm-${Date.now().toString(36)}`;
    const made = await admin.post('/api/v1/tenants', { slug, admin: { email: `boss@${slug}.test`, password: PASSWORD } });
    expect(made.statusCode, made.body).toBe(201);
    const boss = client(server, (await login(`boss@${slug}.test`, PASSWORD, slug)).json().accessToken);
    expect((await boss.put('/api/v1/settings/security.lockout.minutes', { value: 20 })).statusCode).toBe(200);
    expect((await boss.put('/api/v1/settings/security.lockout.minutes', { value: 30, level: 'platform' })).statusCode).toBe(403);
    expect((await admin.put('/api/v1/settings/security.lockout.minutes', { value: 30, level: 'platform' })).statusCode).toBe(200);
    try {
      expect((await client(server, other.token).get('/api/v1/settings/security.lockout.minutes')).json()).toMatchObject({ value: 30, source: 'platform' });
      expect((await admin.put('/api/v1/settings/security.lockout.minutes', { value: 45 })).json()).toMatchObject({ value: 45, source: 'tenant' });
    } finally {
      await admin.delete('/api/v1/settings/security.lockout.minutes?level=platform');
      await admin.delete('/api/v1/settings/security.lockout.minutes');
    }
  });
});

describe('settings across API nodes', () => {
  it.runIf(onServer)('a change on one node is seen on another at once (LISTEN/NOTIFY)', async () => {
    const second = await startServer({ settings: extra });
    try {
      const read = () => second.platform.settings.value<number>('test.limits.rows', { tenantId: tenant.tenantId });
      const before = await read(); // met la valeur en cache sur le second nœud
      const next = before === 321 ? 322 : 321;
      expect((await admin.put('/api/v1/settings/test.limits.rows', { value: next })).statusCode).toBe(200);
      await expect.poll(read, BACKGROUND).toBe(next);
    } finally {
      await second.close();
    }
  });
});

describe('security policy from settings', () => {
  it('applies the tenant password policy to password resets', async () => {
    const user = await member('policy');
    await admin.put('/api/v1/settings/security.password.minLength', { value: 16 });
    await admin.put('/api/v1/settings/security.password.minClasses', { value: 3 });
    try {
      await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: user.email, tenant: tenant.slug } });
      const mail = server.platform.mailer as unknown as { sent: Array<{ to: string; text: string }> };
      const token = /\?token=([^\s]+)/.exec(mail.sent.filter((m) => m.to === user.email).at(-1)!.text)![1]!;
      const short = await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password: 'only twelve!' }, headers: { 'accept-language': 'fr' } });
      expect(short.statusCode).toBe(400);
      expect(short.json().errors[0]).toMatchObject({ field: 'password', code: 'password_too_short', message: '16 caractères au minimum.' });
      const simple = await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password: 'all lowercase but long' } });
      expect(simple.json().errors[0].code).toBe('password_too_simple');
      const ok = await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password: 'Long Enough 2026 pass' } });
      expect(ok.statusCode, ok.body).toBe(204);
    } finally {
      await admin.delete('/api/v1/settings/security.password.minLength');
      await admin.delete('/api/v1/settings/security.password.minClasses');
    }
  });

  it('issues tokens and emailed links with the lifetimes of the tenant', async () => {
    const user = await member('lifetimes');
    await admin.put('/api/v1/settings/security.session.accessMinutes', { value: 5 });
    await admin.put('/api/v1/settings/security.session.refreshDays', { value: 2 });
    await admin.put('/api/v1/settings/security.passwordReset.minutes', { value: 30 });
    try {
      const session = (await login(user.email)).json();
      expect(session).toMatchObject({ expiresIn: 300, refreshExpiresIn: 2 * 86_400 });
      const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString());
      expect(claims.exp - claims.iat).toBe(300);
      await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: user.email, tenant: tenant.slug } });
      const mail = (server.platform.mailer as unknown as { sent: Array<{ to: string; text: string }> }).sent.filter((m) => m.to === user.email).at(-1)!;
      expect(mail.text).toContain('(valable 30 minutes)');
      const { rows } = await tenantSql(server.platform, tenant.tenantId, sql<{ minutes: number }>`SELECT round(extract(epoch FROM expires_at - now()) / 60)::int AS minutes FROM auth_ticket
        WHERE tenant_id = ${tenant.tenantId} AND user_id = ${user.id} AND used_at IS NULL`);
      expect(rows.map((r) => r.minutes)).toEqual([30]);
    } finally {
      for (const key of ['security.session.accessMinutes', 'security.session.refreshDays', 'security.passwordReset.minutes']) await admin.delete(`/api/v1/settings/${key}`);
    }
    expect((await login(user.email)).json()).toMatchObject({ expiresIn: 900, refreshExpiresIn: 30 * 86_400 });
  });

  it('locks accounts after the tenant threshold of failures', async () => {
    await admin.put('/api/v1/settings/security.lockout.threshold', { value: 3 });
    try {
      const user = await member('lockme');
      for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong password!')).statusCode).toBe(401);
      const locked = await login(user.email);
      expect(locked.statusCode).toBe(429);
    } finally {
      await admin.delete('/api/v1/settings/security.lockout.threshold');
    }
  });

  it('requires two-factor enrolment for everyone when the tenant says so', async () => {
    const user = await member('mfa');
    expect((await user.api.get('/api/v1/settings')).statusCode).not.toBe(403);
    await admin.put('/api/v1/settings/security.mfa.required', { value: true });
    try {
      const blocked = await user.api.get('/api/v1/settings');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe('mfa_enrollment_required');
      expect((await user.api.get('/api/v1/auth/mfa')).json()).toMatchObject({ required: true });
    } finally {
      // l'administrateur lui-même doit maintenant s'enrôler : on retire le réglage par le service
      await server.platform.settings.reset({ tenantId: tenant.tenantId, userId: tenant.userId, requestId: 'test', ip: null, locale: 'en' }, 'security.mfa.required', { level: 'tenant' });
    }
    expect((await user.api.get('/api/v1/settings')).statusCode).not.toBe(403);
  });
});
