// Rotation des clés par le service qu'emploie `opsflux secrets rotate|retire` : chaque valeur scellée (réglage secret
// d'un tenant et de la plateforme, secret de webhook, secret de fournisseur d'identité, secret TOTP) change de clé et
// s'ouvre toujours ; jetons d'accès, jeton anti-CSRF et curseurs émis avant le changement restent valables jusqu'au
// retrait des anciennes clés, refusés ensuite. Base à soi : les clés et les réglages de plateforme sont communs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineSetting } from '@opsflux/sdk';
import { sql } from 'kysely';
import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readKeyFile, writeKeyFile } from '../../../src/keys/key-file.js';
import { generateKey, Keyring } from '../../../src/keys/keyring.js';
import { retireKeys, rotateKeys, StaleSecretsError } from '../../../src/keys/rotation.js';
import { SecretBox } from '../../../src/keys/secret-box.js';
import { platformStatement } from '../../../src/db/transaction.js';
import { Platform } from '../../../src/core/platform.js';
import { buildApp } from '../../../src/http/app.js';
import { ownDatabase, type OwnDatabase } from '../../support/own-database.js';
import { client, newTenant, ownerSql, qs, tenantSql, type TestServer, type TestTenant } from '../../support/platform.js';

const SETTING = 'test.keys.secret';
const settings = [defineSetting({ key: SETTING, scope: 'tenant', secret: true, schema: { type: 'string' }, default: '', label: { en: 'Rotation test secret' } })];

let database: OwnDatabase;
let dir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  database = await ownDatabase();
  dir = await mkdtemp(join(tmpdir(), 'opsflux-rotation-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

/** `reopen` : la base survit à la fermeture (sans serveur, PGlite sur disque plutôt qu'en mémoire). */
async function start(env: NodeJS.ProcessEnv, options: { reopen?: boolean } = {}): Promise<TestServer> {
  const platform = await Platform.open({
    url: database.url, dispatch: false, settings, keys: { env }, outboundAllowList: () => ['127.0.0.1:9'],
    ...(options.reopen && !database.url ? { dataDir: join(dir, 'data') } : {}),
  });
  const app = await buildApp(platform);
  server = { platform, app, tenants: new Set(), close: async () => { await app.close(); await platform.close(); } };
  return server;
}

const totp = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** Valeurs scellées stockées, par emplacement. */
async function storedSealed(platform: Platform, tenant: TestTenant, ids: { webhook: string; provider: string }) {
  const catalog = await platform.catalog(tenant.tenantId);
  const table = (entity: string) => sql.table(catalog.get(entity)!.table);
  const one = async (query: ReturnType<typeof sql<{ v: string }>>) => (await tenantSql(platform, tenant.tenantId, query)).rows[0]!.v;
  return {
    tenantSetting: await one(sql<{ v: string }>`SELECT sealed AS v FROM setting_value WHERE key = ${SETTING}`),
    webhook: await one(sql<{ v: string }>`SELECT secret AS v FROM ${table('webhook')} WHERE id = ${ids.webhook}`),
    provider: await one(sql<{ v: string }>`SELECT secret AS v FROM ${table('auth_provider')} WHERE id = ${ids.provider}`),
    totp: await one(sql<{ v: string }>`SELECT totp_secret AS v FROM ${table('user')} WHERE id = ${tenant.userId}`),
    platformSetting: (await ownerSql(platform, sql<{ v: string }>`SELECT sealed AS v FROM platform_setting WHERE key = ${SETTING}`)).rows[0]!.v,
  };
}

const keyIdOf = (sealed: string) => /^v2\.([0-9a-f]{16})\./.exec(sealed)?.[1];

describe('key rotation', { timeout: 240_000 }, () => {
  it('re-seals every stored secret and rolls the token keys without logging anyone out, then retires the old keys', async () => {
    const keyFile = join(dir, 'keys.json');
    const { platform, app } = await start({ OPSFLUX_KEY_FILE: keyFile });
    const tenant = await newTenant(server!);
    const api = client(server!, tenant.token);
    const oldKeys = { encryption: platform.keys.current('encryption').id, jwt: platform.keys.current('jwt').id, cursor: platform.keys.current('cursor').id };

    // une valeur scellée de chaque sorte
    expect((await api.put(`/api/v1/settings/${SETTING}`, { value: 'tenant secret', level: 'tenant' })).statusCode).toBe(200);
    expect((await api.put(`/api/v1/settings/${SETTING}`, { value: 'platform secret', level: 'platform' })).statusCode).toBe(200);
    const webhook = await api.post('/api/v1/data/webhook', { name: 'hook', url: 'http://127.0.0.1:9/hook', events: ['tag.created'], secret: 'webhook-signing-secret' });
    expect(webhook.statusCode, webhook.body).toBe(201);
    const provider = await api.post('/api/v1/data/auth_provider', {
      name: 'corp-sso', label: 'SSO', kind: 'oidc', config: { issuer: 'https://id.example.test', clientId: 'opsflux' }, secret: 'provider-client-secret',
    });
    expect(provider.statusCode, provider.body).toBe(201);
    // session navigateur ouverte avant la rotation (et avant la double authentification)
    const cookieLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tenant.email, password: tenant.password, tenant: tenant.slug, cookie: true } });
    expect(cookieLogin.statusCode, cookieLogin.body).toBe(200);
    const jar = Object.fromEntries(cookieLogin.cookies.map((c) => [c.name, c.value]));
    const enrol = await api.post('/api/v1/auth/mfa/totp');
    expect(enrol.statusCode).toBe(201);
    const totpSecret: string = enrol.json().secret;
    expect((await api.post('/api/v1/auth/mfa/totp/confirm', { code: await totp(totpSecret) })).statusCode).toBe(200);
    const ids = { webhook: webhook.json().id, provider: provider.json().id };
    const before = await storedSealed(platform, tenant, ids);
    expect(Object.values(before).map(keyIdOf)).toEqual(Array(5).fill(oldKeys.encryption));
    const webhookVersion = webhook.json().version;

    // curseur émis avant la rotation
    for (const name of ['alpha', 'beta']) expect((await api.post('/api/v1/data/tag', { name })).statusCode).toBe(201);
    const firstPage = await api.get(`/api/v1/data/tag?${qs({ sort: 'name', limit: '1' })}`);
    const cursor: string = firstPage.json().meta.nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const report = await rotateKeys(platform);

    // clés neuves dans le fichier, anciennes gardées derrière
    const file = JSON.parse(await readFile(keyFile, 'utf8'));
    const newKeys = { encryption: platform.keys.current('encryption').id, jwt: platform.keys.current('jwt').id, cursor: platform.keys.current('cursor').id };
    for (const kind of ['encryption', 'jwt', 'cursor'] as const) {
      expect(newKeys[kind]).not.toBe(oldKeys[kind]);
      expect(file.keys[kind].map((k: { id: string }) => k.id)).toEqual([newKeys[kind], oldKeys[kind]]);
    }
    expect(report.keys).toEqual([
      { kind: 'encryption', origin: 'file', keyId: newKeys.encryption, created: true },
      { kind: 'jwt', origin: 'file', keyId: newKeys.jwt, created: true },
      { kind: 'cursor', origin: 'file', keyId: newKeys.cursor, created: true },
    ]);
    expect(report.platform.places).toEqual({ settings: { stale: 1, unreadable: 0, databaseOnly: 0 } });
    const tenantReport = report.tenants.find((t) => t.tenantId === tenant.tenantId)!;
    expect(tenantReport.places).toEqual({
      settings: { stale: 1, unreadable: 0, databaseOnly: 0 },
      'webhook.secret': { stale: 1, unreadable: 0, databaseOnly: 0 },
      'auth_provider.secret': { stale: 1, unreadable: 0, databaseOnly: 0 },
      'user.totpSecret': { stale: 1, unreadable: 0, databaseOnly: 0 },
    });

    // chaque valeur stockée a changé de clé, et s'ouvre toujours
    const after = await storedSealed(platform, tenant, ids);
    expect(Object.values(after).map(keyIdOf)).toEqual(Array(5).fill(newKeys.encryption));
    platform.settings.invalidate();
    expect(await platform.settings.value(SETTING, { tenantId: tenant.tenantId })).toBe('tenant secret');
    expect(await platform.settings.platformValue(SETTING)).toBe('platform secret');
    expect((await api.get(`/api/v1/webhooks/${ids.webhook}/secret`)).json()).toMatchObject({ secret: 'webhook-signing-secret' });
    expect((await platform.providers.load(tenant.tenantId, 'corp-sso'))?.secret).toBe('provider-client-secret');
    // la connexion à deux facteurs ouvre le secret TOTP re-scellé
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tenant.email, password: tenant.password, tenant: tenant.slug, totp: await totp(totpSecret, 1) } });
    expect(login.statusCode, login.body).toBe(200);
    const newToken: string = login.json().accessToken;
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid).toBe(newKeys.jwt);

    // une entrée d'audit par tenant, avec les comptes ; l'enregistrement n'a pas changé de version
    const audit = await tenantSql(platform, tenant.tenantId, sql<{ changes: Record<string, { to: unknown }> }>`SELECT changes FROM audit_log WHERE action = 'secrets.resealed'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.changes).toEqual({
      keyId: { from: null, to: newKeys.encryption },
      resealed: { from: null, to: { settings: 1, 'webhook.secret': 1, 'auth_provider.secret': 1, 'user.totpSecret': 1 } },
    });
    expect((await api.get(`/api/v1/data/webhook/${ids.webhook}`)).json().version).toBe(webhookVersion);

    // personne n'est déconnecté : ancien jeton d'accès, ancien jeton anti-CSRF, ancien curseur
    expect((await api.get('/api/v1/auth/me')).statusCode).toBe(200);
    const cookieWrite = await app.inject({ method: 'POST', url: '/api/v1/data/tag', cookies: jar, headers: { 'x-csrf-token': jar.ofx_csrf! }, payload: { name: 'gamma' } });
    expect(cookieWrite.statusCode, cookieWrite.body).toBe(201);
    const nextPage = await api.get(`/api/v1/data/tag?${qs({ sort: 'name', limit: '1', cursor })}`);
    expect(nextPage.statusCode, nextPage.body).toBe(200);
    expect(nextPage.json().data.map((t: { name: string }) => t.name)).toEqual(['beta']);

    // retrait : les anciennes clés quittent le fichier ; ce qu'elles ont signé est refusé, le reste s'ouvre toujours
    const retired = await retireKeys(platform);
    expect(retired.retired).toEqual({ encryption: 1, jwt: 1, cursor: 1 });
    const trimmed = JSON.parse(await readFile(keyFile, 'utf8'));
    for (const kind of ['encryption', 'jwt', 'cursor'] as const) expect(trimmed.keys[kind].map((k: { id: string }) => k.id)).toEqual([newKeys[kind]]);
    expect((await api.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await client(server!, newToken).get('/api/v1/auth/me')).statusCode).toBe(200);
    const staleCookie = await app.inject({ method: 'POST', url: '/api/v1/data/tag', cookies: jar, headers: { 'x-csrf-token': jar.ofx_csrf! }, payload: { name: 'delta' } });
    expect(staleCookie.statusCode).toBe(401);
    expect((await client(server!, newToken).get(`/api/v1/data/tag?${qs({ sort: 'name', limit: '1', cursor })}`)).statusCode).toBe(400);
    expect((await client(server!, newToken).get(`/api/v1/webhooks/${ids.webhook}/secret`)).json()).toMatchObject({ secret: 'webhook-signing-secret' });
    platform.settings.invalidate();
    expect(await platform.settings.value(SETTING, { tenantId: tenant.tenantId })).toBe('tenant secret');
  });

  it('picks up keys changed by another process: at once from the key file on an unknown key id, and on notice', async () => {
    const keyFile = join(dir, 'keys.json');
    const { platform } = await start({ OPSFLUX_KEY_FILE: keyFile });
    const before = readKeyFile(keyFile)!;
    // un autre processus (la commande de rotation) ajoute une clé courante au fichier et scelle avec elle
    const added = generateKey('encryption', 'file');
    writeKeyFile(keyFile, { ...before, encryption: [added, ...before.encryption!] });
    const sealedElsewhere = new SecretBox(new Keyring({ encryption: [added] })).seal('sealed by the other process');
    expect(platform.keys.current('encryption').id).not.toBe(added.id);
    expect(platform.box.open(sealedElsewhere)).toBe('sealed by the other process');
    expect(platform.keys.current('encryption').id).toBe(added.id);
    // une clé JWT neuve, annoncée : le nœud relit ses sources et signe avec elle
    const jwt = generateKey('jwt', 'file');
    writeKeyFile(keyFile, { ...readKeyFile(keyFile)!, jwt: [jwt, ...before.jwt!] });
    await platformStatement(platform.db, sql`SELECT pg_notify('opsflux_keys', '')`);
    await expect.poll(() => platform.keys.current('jwt').id, { timeout: 30_000 }).toBe(jwt.id);
    expect(platform.keys.find('jwt', before.jwt![0]!.id)).toBeDefined();
  });

  it('with keys from the environment, re-seals under the new variable and refuses to retire before', async () => {
    const k1 = { OPSFLUX_ENCRYPTION_KEY: '11'.repeat(32), OPSFLUX_JWT_SECRET: 'first jwt secret, long enough.....', OPSFLUX_CURSOR_SECRET: 'first cursor secret, long enough..' };
    const first = await start(k1, { reopen: true });
    const tenant = await newTenant(first);
    expect((await client(first, tenant.token).put(`/api/v1/settings/${SETTING}`, { value: 'kept', level: 'tenant' })).statusCode).toBe(200);
    const oldKey = first.platform.keys.current('encryption').id;
    await first.close();
    server = undefined;

    // l'exploitant pose les nouvelles clés et garde les anciennes en _PREVIOUS
    const second = await start({
      OPSFLUX_ENCRYPTION_KEY: '22'.repeat(32), OPSFLUX_ENCRYPTION_KEY_PREVIOUS: k1.OPSFLUX_ENCRYPTION_KEY,
      OPSFLUX_JWT_SECRET: 'second jwt secret, long enough....', OPSFLUX_JWT_SECRET_PREVIOUS: k1.OPSFLUX_JWT_SECRET,
      OPSFLUX_CURSOR_SECRET: k1.OPSFLUX_CURSOR_SECRET,
    }, { reopen: true });
    await expect(retireKeys(second.platform)).rejects.toBeInstanceOf(StaleSecretsError);
    await expect(retireKeys(second.platform)).rejects.toThrow(/^1 stored secret\(s\) are still sealed with an older key \(settings: 1\)/);
    const report = await rotateKeys(second.platform);
    expect(report.keys.map((k) => [k.kind, k.origin, k.created])).toEqual([['encryption', 'env', false], ['jwt', 'env', false], ['cursor', 'env', false]]);
    expect(report.keys[0]!.note).toMatch(/^OPSFLUX_ENCRYPTION_KEY comes from the environment: put the new key in OPSFLUX_ENCRYPTION_KEY and the old one in OPSFLUX_ENCRYPTION_KEY_PREVIOUS/);
    expect(report.total.stale).toBe(1);
    const sealed = (await tenantSql(second.platform, tenant.tenantId, sql<{ sealed: string }>`SELECT sealed FROM setting_value WHERE key = ${SETTING}`)).rows[0]!.sealed;
    expect(keyIdOf(sealed)).toBe(second.platform.keys.current('encryption').id);
    expect(keyIdOf(sealed)).not.toBe(oldKey);
    const retired = await retireKeys(second.platform);
    expect(retired.environmentPrevious).toEqual(['OPSFLUX_ENCRYPTION_KEY_PREVIOUS', 'OPSFLUX_JWT_SECRET_PREVIOUS']);
  });
});
