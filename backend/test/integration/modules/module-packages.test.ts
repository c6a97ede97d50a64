// Paquets de modules : téléversement contrôlé (archives et manifestes hostiles, taille), module généré par
// `opsflux module new` construit, téléversé, installé et utilisé par l'API ; mise à niveau 1.0.0 → 1.1.0 qui garde les
// données ; licences signées, refusées si falsifiées, et désactivation sans perte à l'échéance.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryMailer } from '../../../src/services/email/transport/memory.js';
import { canonicalJson } from '../../../src/modules/licence.js';
import { buildPackage } from '../../../../scripts/src/modules/package.js';
import { scaffold } from '../../../../scripts/src/modules/scaffold.js';
import { client, newTenant, ownerSql, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { tarball } from '../../support/tar.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const WORK = fileURLToPath(new URL('../../../../.tmp/', import.meta.url));

let server: TestServer;
let tenant: TestTenant;
let api: Client;
let work: string;
/** serveurs locaux permis par la politique des connexions sortantes (le catalogue distant de ce fichier) */
const allowed: string[] = [];

function upload(archive: Buffer, token = tenant.token, filename = 'module.tgz') {
  const boundary = `----opsflux${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/gzip\r\n\r\n`),
    archive,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return server.app.inject({
    method: 'POST', url: '/api/v1/modules/upload', payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  work = mkdtempSync(join(WORK, 'packages-'));
  server = await startServer({ modulesDir: join(FIXTURES, 'packages'), moduleCacheDir: join(work, 'cache'), outboundAllowList: () => allowed });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
});

afterAll(async () => {
  for (const name of ['gamma', 'licensed', 'scaffold_demo']) await api.post(`/api/v1/modules/${name}/uninstall`, { keepData: false });
  await ownerSql(server.platform, sql`DELETE FROM module_package WHERE name IN ('gamma', 'scaffold_demo')`);
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('upload', () => {
  it('builds the scaffolded module, uploads it, installs it and uses it through the API', async () => {
    const dir = scaffold(work, 'scaffold_demo');
    const built = await buildPackage(dir);
    expect(built.fileName).toBe('scaffold_demo-0.1.0.tgz');
    const res = await upload(built.archive);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'scaffold_demo', version: '0.1.0', state: 'available', source: 'upload' });
    expect((await upload(built.archive)).statusCode).toBe(409);
    const marketplace = await client(server).get('/api/v1/marketplace');
    expect(marketplace.json().data.find((m: { name: string }) => m.name === 'scaffold_demo')).toMatchObject({ version: '0.1.0', license: 'free' });
    expect((await api.post('/api/v1/modules/scaffold_demo/install')).json().state).toBe('active');
    const welcome = (await api.get('/api/v1/data/scaffold_demo_record', { 'accept-language': 'fr' })).json().data;
    expect(welcome.map((r: { title: string }) => r.title)).toEqual(['Welcome to Scaffold Demo']);
    const created = await api.post('/api/v1/data/scaffold_demo_record', { title: '  Ship   it ' });
    expect(created.json().title).toBe('Ship it');
    const empty = await api.post('/api/v1/data/scaffold_demo_record', { title: '  ' }, { 'accept-language': 'fr' });
    expect(empty.json()).toMatchObject({ status: 422, code: 'empty_title', detail: 'Le titre ne peut pas être vide.' });
  });

  it('refuses hostile archives and invalid manifests with a clear problem', async () => {
    const manifest = JSON.stringify({ name: 'hostile', version: '1.0.0', label: { en: 'Hostile' }, core: '*' });
    const cases: [Buffer, number, RegExp | string][] = [
      [tarball([{ path: 'metadata.json', content: manifest }, { path: '../../escape.mjs', content: 'x' }]), 400, /unsafe path/],
      [tarball([{ path: 'metadata.json', content: manifest }, { path: 'dist/backend.mjs', type: 'SymbolicLink', linkpath: '/etc/passwd' }]), 400, /SymbolicLink/],
      [tarball([{ path: 'README.md', content: 'no manifest' }]), 400, /metadata.json is missing/],
      [tarball([{ path: 'metadata.json', content: '{ "name": "Hostile!", "version": "one" }' }]), 400, 'validation_failed'],
      [tarball([{ path: 'metadata.json', content: manifest }, { path: 'backend/index.ts', content: 'export default {}' }]), 400, /without dist\/backend.mjs/],
      [randomBytes(4000), 400, /not a valid/],
    ];
    for (const [archive, status, expected] of cases) {
      const res = await upload(archive);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (typeof expected === 'string') expect(res.json().code).toBe(expected);
      else expect(res.json().detail).toMatch(expected);
    }
    const invalid = await upload(cases[3]![0]);
    expect(invalid.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'label', 'core']));
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/modules/upload', payload: {}, headers: { authorization: `Bearer ${tenant.token}` } })).statusCode).toBe(415);
    expect((await upload(cases[0]![0], '')).statusCode).toBe(401);
  });

  it('refuses a package larger than the configured limit', async () => {
    expect((await api.put('/api/v1/settings/modules.upload.maxMegabytes', { value: 1, level: 'platform' })).statusCode).toBe(200);
    try {
      const big = tarball([{ path: 'metadata.json', content: '{}' }, { path: 'noise.bin', content: randomBytes(1_200_000) }]);
      const res = await upload(big);
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('payload_too_large');
    } finally {
      await api.delete('/api/v1/settings/modules.upload.maxMegabytes?level=platform');
    }
  });
});

describe('remote catalog', () => {
  it('lists the modules of a remote catalog and installs them after checking the archive digest', async () => {
    const built = await buildPackage(join(FIXTURES, 'remote', 'epsilon'));
    const digest = createHash('sha256').update(built.archive).digest('hex');
    const forged = { ...built.manifest, name: 'zeta', label: { en: 'Tampered' } };
    const catalog = { modules: [
      { manifest: built.manifest, url: '/epsilon-2.0.0.tgz', sha256: digest },
      { manifest: forged, url: '/epsilon-2.0.0.tgz', sha256: digest },
      { manifest: { name: 'Not Valid' }, url: '/x.tgz', sha256: digest },
    ] };
    const remote = createServer((request, response) => {
      if (request.url === '/catalog.json') response.setHeader('content-type', 'application/json').end(JSON.stringify(catalog));
      else if (request.url === '/epsilon-2.0.0.tgz') response.end(built.archive);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/catalog.json`;
    allowed.push(new URL(url).host);
    try {
      expect((await api.put('/api/v1/settings/modules.catalog.url', { value: url, level: 'platform' })).statusCode).toBe(200);
      const listed = (await api.get('/api/v1/modules')).json().data;
      expect(listed.find((m: { name: string }) => m.name === 'epsilon')).toMatchObject({ version: '2.0.0', state: 'available', source: 'remote' });
      expect(listed.find((m: { name: string }) => m.name === 'Not Valid')).toBeUndefined();
      const installed = await api.post('/api/v1/modules/epsilon/install');
      expect(installed.statusCode, installed.body).toBe(200);
      expect(installed.json()).toMatchObject({ state: 'active', source: 'upload' });
      expect((await api.post('/api/v1/data/epsilon_tag', { word: 'far' })).statusCode).toBe(201);
      // même archive annoncée sous un autre nom : le contenu ne correspond pas, rien n'est installé
      const tampered = await api.post('/api/v1/modules/zeta/install');
      expect(tampered.statusCode).toBe(409);
      expect(tampered.json()).toMatchObject({ code: 'invalid_module', detail: expect.stringContaining('holds epsilon 2.0.0') });
    } finally {
      await api.delete('/api/v1/settings/modules.catalog.url?level=platform');
      await api.post('/api/v1/modules/epsilon/uninstall', { keepData: false });
      await ownerSql(server.platform, sql`DELETE FROM module_package WHERE name = 'epsilon'`);
      await new Promise((resolve) => remote.close(resolve));
    }
  });
});

describe('upgrade', () => {
  it('moves from 1.0.0 to 1.1.0 keeping the data and running the new migration', async () => {
    expect((await api.post('/api/v1/modules/gamma/install')).json()).toMatchObject({ version: '1.0.0', state: 'active' });
    await api.post('/api/v1/data/gamma_box', { label: 'old box' });
    expect((await api.post('/api/v1/data/gamma_box', { label: 'x', colour: 'red' })).statusCode).toBe(400);
    expect((await api.post('/api/v1/modules/gamma/upgrade')).json().code).toBe('up_to_date');
    const built = await buildPackage(join(FIXTURES, 'gamma-1.1.0'));
    expect((await upload(built.archive)).statusCode).toBe(201);
    expect((await api.get('/api/v1/modules/gamma')).json()).toMatchObject({ version: '1.0.0', latest: '1.1.0' });
    const upgraded = await api.post('/api/v1/modules/gamma/upgrade');
    expect(upgraded.statusCode, upgraded.body).toBe(200);
    expect(upgraded.json()).toMatchObject({ version: '1.1.0', state: 'active', source: 'upload' });
    const boxes = (await api.get('/api/v1/data/gamma_box')).json().data;
    expect(boxes).toMatchObject([{ label: 'old box', colour: 'grey' }]);
    expect((await api.post('/api/v1/data/gamma_box', { label: 'new', colour: 'red' })).json().colour).toBe('red');
    const applied = await ownerSql(server.platform, sql<{ version: number }>`SELECT version FROM schema_migration WHERE scope = 'module:gamma' ORDER BY version`);
    expect(applied.rows.map((r) => r.version)).toEqual([1, 2]);
  });
});

describe('licences', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const licence = (terms: Record<string, unknown>, key = privateKey) => ({ licence: terms, signature: sign(null, Buffer.from(canonicalJson(terms)), key).toString('base64') });

  it('needs a licence signed by a trusted key, and an expired one deactivates the module without losing data', async () => {
    const refused = await api.post('/api/v1/modules/licensed/install');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'invalid_license', errors: [{ field: 'licensed' }] });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect((await api.put('/api/v1/settings/modules.licence.publicKeys', { value: [pem], level: 'platform' })).statusCode).toBe(200);
    const terms = { module: 'licensed', tenant: tenant.slug, expires: '2099-01-01', seats: 10 };
    const forged = await api.put('/api/v1/modules/licensed/licence', licence(terms, generateKeyPairSync('ed25519').privateKey));
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'invalid_license', detail: expect.stringMatching(/signature/) });
    const expired = await api.put('/api/v1/modules/licensed/licence', licence({ ...terms, expires: '2020-01-01' }));
    expect(expired.json().detail).toMatch(/expired/);
    expect((await api.put('/api/v1/modules/licensed/licence', licence({ ...terms, tenant: 'someone-else' }))).json().detail).toMatch(/for tenant/);
    expect((await api.put('/api/v1/modules/licensed/licence', licence(terms))).statusCode).toBe(200);
    expect((await api.post('/api/v1/modules/licensed/install')).json().state).toBe('active');
    await api.post('/api/v1/data/licensed_thing', { name: 'kept' });
    // le temps passe : l'échéance désactive le module, les données restent
    const mailer = server.platform.mailer as MemoryMailer;
    const before = mailer.sent.length;
    expect(await server.platform.licenceScheduler.check(tenant.tenantId, new Date('2100-01-01'))).toMatchObject({ deactivated: ['licensed'] });
    expect(mailer.sent.slice(before).find((m) => m.to === tenant.email)?.subject).toBe('OpsFlux : licence échue, module désactivé (licensed)');
    expect((await api.get('/api/v1/modules/licensed')).json().state).toBe('inactive');
    expect((await api.get('/api/v1/data/licensed_thing')).statusCode).toBe(404);
    const rows = await tenantSql(server.platform, tenant.tenantId, sql`SELECT 1 FROM licensed_thing WHERE tenant_id = ${tenant.tenantId}`);
    expect(rows.rows).toHaveLength(1);
    const audit = await tenantSql(server.platform, tenant.tenantId, sql`SELECT 1 FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND action = 'module.licence_expired'`);
    expect(audit.rows).toHaveLength(1);
    await api.delete('/api/v1/settings/modules.licence.publicKeys?level=platform');
  });
});
