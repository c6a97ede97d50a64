// Modules : cycle de vie à chaud (installer, activer, désactiver, désinstaller), dépendances, refus motivés, migrations
// atomiques, crochets, routes, réglages et traductions d'un module, isolement entre tenants.
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRun } from '../../../src/modules/tasks.js';
import { client, newTenant, ownerSql, qs, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/modules/', import.meta.url));

let server: TestServer;
let tenant: TestTenant;
let api: Client;

const tableExists = async (name: string) =>
  (await ownerSql(server.platform, sql`SELECT 1 FROM information_schema.tables WHERE table_name = ${name}`)).rows.length > 0;

beforeAll(async () => {
  server = await startServer({ modulesDir: FIXTURES });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
});

afterAll(async () => {
  // base partagée du serveur : on ne laisse ni tables ni versions de modules de test aux autres fichiers
  for (const name of ['beta', 'alpha']) await api.post(`/api/v1/modules/${name}/uninstall`, { keepData: false });
  await server.close();
});

describe('catalog and install', () => {
  it('lists the catalog with the state of each module in the tenant', async () => {
    const res = await api.get('/api/v1/modules');
    expect(res.statusCode).toBe(200);
    const alpha = res.json().data.find((m: { name: string }) => m.name === 'alpha');
    expect(alpha).toMatchObject({ name: 'alpha', version: '1.0.0', state: 'available', license: 'free', label: { en: 'Alpha', fr: 'Alpha' }, dependencies: {} });
    expect(res.json().data.find((m: { name: string }) => m.name === 'beta').dependencies).toEqual({ alpha: '^1.0.0' });
  });

  it('installs dependencies first, runs install scripts and migrations, and serves the entities at once', async () => {
    expect((await api.get('/api/v1/data/alpha_item')).statusCode).toBe(404);
    const res = await api.post('/api/v1/modules/beta/install');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'beta', state: 'active' });
    expect((await api.get('/api/v1/modules/alpha')).json().state).toBe('active');
    // données initiales du script d'installation, passées par le crochet du module
    const items = (await api.get('/api/v1/data/alpha_item')).json().data;
    expect(items).toMatchObject([{ title: 'seed', code: 'A-SEED', quantity: 0 }]);
    // migration du module jouée
    const index = await ownerSql(server.platform, sql`SELECT 1 FROM pg_indexes WHERE indexname = 'alpha_item_quantity_idx'`);
    expect(index.rows).toHaveLength(1);
    // audit du cycle de vie
    const audit = await tenantSql(server.platform, tenant.tenantId, sql<{ action: string }>`SELECT action FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND entity = 'module' ORDER BY id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['module.install', 'module.install']);
  });

  it('applies the hook with a setting, and module errors become translated problems', async () => {
    const created = await api.post('/api/v1/data/alpha_item', { title: 'bolt' });
    expect(created.statusCode).toBe(201);
    expect(created.json().code).toBe('A-BOLT');
    const put = await api.put('/api/v1/settings/alpha.prefix', { value: 'Z/' });
    expect(put.statusCode, put.body).toBe(200);
    expect((await api.post('/api/v1/data/alpha_item', { title: 'nut' })).json().code).toBe('Z/NUT');
    const refused = await api.post('/api/v1/data/alpha_item', { title: 'forbidden' }, { 'accept-language': 'fr' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'alpha_forbidden', errors: [{ field: 'title', message: 'Ce titre est interdit' }] });
  });

  it('serves the module routes with its translations and the extension of a core entity', async () => {
    const summary = await api.get('/api/v1/mod/alpha/summary', { 'accept-language': 'fr' });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toEqual({ count: 3, greeting: '3 articles' });
    const created = await api.post('/api/v1/mod/alpha/items/washer');
    expect(created.statusCode).toBe(201);
    expect(created.json().code).toBe('Z/WASHER');
    expect((await api.get('/api/v1/mod/alpha/nowhere')).statusCode).toBe(404);
    const company = await api.post('/api/v1/data/company', { name: 'Rated', alphaRating: 4 });
    expect(company.statusCode, company.body).toBe(201);
    expect(company.json().alphaRating).toBe(4);
    const doc = (await api.get('/api/openapi.json')).json();
    expect(doc.paths['/api/v1/data/alpha_item']).toBeDefined();
    expect(doc.components.schemas.Company.properties.alphaRating).toBeDefined();
  });

  it('offers its AI tools to the assistant’s clients, run as the user in a read-only transaction', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = new URL(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1/ai/mcp`);
    const pat = (await api.post('/api/v1/auth/tokens', { name: 'agent' })).json().token as string;
    const mcp = new McpClient({ name: 'modules-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
    try {
      const names = (await mcp.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['alpha_count_items', 'alpha_sneaky_write']));
      const counted = await mcp.callTool({ name: 'alpha_count_items', arguments: { prefix: 'wash' } });
      expect(JSON.parse((counted.content as Array<{ text: string }>)[0]!.text)).toEqual({ count: 1 });
      // arguments validés par le schéma que le module déclare
      const invalid = await mcp.callTool({ name: 'alpha_count_items', arguments: { prefix: 3 } });
      expect(invalid.isError).toBe(true);
      expect((invalid.content as Array<{ text: string }>)[0]!.text).toContain('Invalid arguments');
      // un outil ne peut pas écrire : la transaction est en lecture seule
      const sneaky = await mcp.callTool({ name: 'alpha_sneaky_write', arguments: {} });
      expect(sneaky.isError).toBe(true);
      expect((await api.get(`/api/v1/data/alpha_item?${qs({ filter: { title: 'written by a tool' } })}`)).json().data).toEqual([]);
    } finally {
      await mcp.close();
    }
  });

  it('describes active modules for the shell and serves their frontend bundle', async () => {
    const shell = (await api.get('/api/v1/shell/modules')).json().data;
    const alpha = shell.find((m: { name: string }) => m.name === 'alpha');
    expect(alpha.frontend).toEqual({ url: '/api/v1/modules/alpha/frontend/frontend/build/index.mjs', pages: [{ path: '/items', export: 'ItemsPage' }] });
    expect(alpha.menus[0]).toMatchObject({ id: 'alpha.items', entity: 'alpha_item' });
    const bundle = await api.get(alpha.frontend.url);
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toContain('text/javascript');
    expect(bundle.body).toContain('ItemsPage');
    expect((await api.get('/api/v1/modules/alpha/frontend/metadata.json')).statusCode).toBe(404);
    expect((await api.get('/api/v1/modules/alpha/frontend/frontend/build/..%2F..%2Fmetadata.json')).statusCode).toBe(404);
  });

  it('keeps modules of one tenant away from another tenant', async () => {
    const other = await newTenant(server);
    const otherApi = client(server, other.token);
    expect((await otherApi.get('/api/v1/data/alpha_item')).statusCode).toBe(404);
    expect((await otherApi.get('/api/v1/mod/alpha/summary')).statusCode).toBe(404);
    expect((await otherApi.get('/api/v1/modules/alpha')).json().state).toBe('available');
    const doc = (await otherApi.get('/api/openapi.json')).json();
    expect(doc.paths['/api/v1/data/alpha_item']).toBeUndefined();
    expect(doc.components.schemas.Company.properties.alphaRating).toBeUndefined();
    const company = await otherApi.post('/api/v1/data/company', { name: 'Plain', alphaRating: 1 });
    expect(company.statusCode).toBe(400);
    expect(company.json().errors[0]).toMatchObject({ field: 'alphaRating', code: 'unknown_field' });
  });
});

describe('scheduled tasks', () => {
  it('runs each due slot once per tenant where the module is active, and can run a task now', async () => {
    const scheduler = server.platform.taskScheduler;
    const at = new Date('2026-06-01T10:16:00Z');
    // la base du serveur est partagée avec d'autres fichiers de test : on ne regarde que ce tenant
    const mine = (runs: TaskRun[]) => runs.filter((r) => r.tenantId === tenant.tenantId && r.module === 'alpha');
    expect(mine(await scheduler.runDue(at))).toEqual([{ tenantId: tenant.tenantId, module: 'alpha', task: 'alpha.tick', slot: '2026-06-01T10:15:00.000Z', ran: true }]);
    // même créneau à nouveau (un autre nœud, une passe suivante) : rien ne repart
    expect(mine(await scheduler.runDue(new Date('2026-06-01T10:20:00Z'))).filter((r) => r.ran)).toEqual([]);
    // créneau trop ancien pour être rattrapé
    expect(mine(await scheduler.runDue(new Date('2026-06-01T10:29:59Z')))).toEqual([]);
    const ticks = (await api.get('/api/v1/data/alpha_item?filter=' + encodeURIComponent(JSON.stringify({ title: { like: 'tick%' } })))).json().data;
    expect(ticks).toHaveLength(1);
    const now = await api.post('/api/v1/modules/alpha/tasks/alpha.tick/run');
    expect(now.json()).toMatchObject({ module: 'alpha', task: 'alpha.tick', ran: true });
    const listed = (await api.get('/api/v1/modules/alpha/tasks')).json().data;
    expect(listed).toMatchObject([{ name: 'alpha.tick', cron: '*/15 * * * *', lastRun: { error: null } }]);
    expect((await api.post('/api/v1/modules/alpha/tasks/nope/run')).statusCode).toBe(404);
  });
});

describe('activation', () => {
  it('refuses to deactivate a module that an active module depends on, with the reasons', async () => {
    const res = await api.post('/api/v1/modules/alpha/deactivate');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'active_dependants', errors: [{ field: 'beta', code: 'active_dependants' }] });
  });

  it('deactivates at once (404, hooks silent, data kept) and reactivation brings the data back', async () => {
    const note = await api.post('/api/v1/data/beta_note', { text: 'remember' });
    expect(note.statusCode).toBe(201);
    expect((await api.post('/api/v1/modules/beta/deactivate')).json().state).toBe('inactive');
    expect((await api.get('/api/v1/data/beta_note')).statusCode).toBe(404);
    expect((await api.post('/api/v1/modules/alpha/deactivate')).json().state).toBe('inactive');
    expect((await api.get('/api/v1/data/alpha_item')).statusCode).toBe(404);
    expect((await api.get('/api/v1/mod/alpha/summary')).statusCode).toBe(404);
    expect((await api.get('/api/v1/modules/alpha/frontend/frontend/build/index.mjs')).statusCode).toBe(404);
    expect((await api.get('/api/v1/shell/modules')).json().data).toEqual([]);
    expect((await api.get('/api/v1/settings/alpha.prefix')).statusCode).toBe(404);
    expect((await api.get('/api/v1/settings')).json().data.map((x: { key: string }) => x.key)).not.toContain('alpha.prefix');
    const inactive = await server.platform.taskScheduler.runDue(new Date('2026-06-01T11:00:30Z'));
    expect(inactive.filter((r) => r.tenantId === tenant.tenantId)).toEqual([]);
    // activer beta réactive alpha, dont il dépend
    expect((await api.post('/api/v1/modules/beta/activate')).json().state).toBe('active');
    expect((await api.get('/api/v1/modules/alpha')).json().state).toBe('active');
    const notes = (await api.get('/api/v1/data/beta_note')).json().data;
    expect(notes.map((n: { text: string }) => n.text)).toEqual(['remember']);
  });
});

describe('refusals', () => {
  const refusal = async (name: string) => {
    const res = await api.post(`/api/v1/modules/${name}/install`);
    return { status: res.statusCode, body: res.json() };
  };

  it('reports a dependency cycle, a missing dependency, an incompatible core and a conflict', async () => {
    expect(await refusal('cyc_a')).toMatchObject({ status: 409, body: { code: 'dependency_cycle', detail: expect.stringContaining('cyc_a → cyc_b → cyc_a') } });
    expect(await refusal('orphan')).toMatchObject({ status: 409, body: { code: 'missing_dependency', errors: [{ field: 'ghost' }] } });
    expect(await refusal('future')).toMatchObject({ status: 409, body: { code: 'incompatible_core' } });
    expect(await refusal('rival')).toMatchObject({ status: 409, body: { code: 'conflict', detail: expect.stringContaining('conflicts with alpha') } });
    expect((await api.post('/api/v1/modules/nosuch/install')).statusCode).toBe(404);
    expect(await refusal('alpha')).toMatchObject({ status: 409, body: { code: 'already_installed' } });
  });

  it('leaves no trace when a migration fails halfway', async () => {
    const res = await refusal('broken');
    expect(res).toMatchObject({ status: 409, body: { code: 'migration_failed' } });
    expect(await tableExists('broken_thing')).toBe(false);
    expect(await tableExists('broken_side')).toBe(false);
    const release = await ownerSql(server.platform, sql`SELECT 1 FROM module_release WHERE name = 'broken'`);
    expect(release.rows).toHaveLength(0);
    expect(server.platform.moduleRuntime.loaded('broken')).toBeUndefined();
    expect((await api.get('/api/v1/modules/broken')).json().state).toBe('available');
  });

  it('serialises two installs of the same module: one succeeds, the other is refused', async () => {
    const other = await newTenant(server);
    const otherApi = client(server, other.token);
    const results = await Promise.all([otherApi.post('/api/v1/modules/alpha/install'), otherApi.post('/api/v1/modules/alpha/install')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('already_installed');
    expect((await otherApi.get('/api/v1/data/alpha_item')).json().data).toHaveLength(1);
    expect((await otherApi.post('/api/v1/modules/alpha/uninstall', { keepData: false })).json().state).toBe('available');
  });

  it('refuses lifecycle changes to a user who is not an administrator', async () => {
    const res = await client(server).post('/api/v1/modules/alpha/deactivate');
    expect(res.statusCode).toBe(401);
  });
});

describe('uninstall', () => {
  it('is refused while a dependant is installed, then drops the data on request', async () => {
    const blocked = await api.post('/api/v1/modules/alpha/uninstall', { keepData: false });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ code: 'installed_dependants', errors: [{ field: 'beta' }] });
    expect((await api.post('/api/v1/modules/beta/uninstall', { keepData: 'no' })).statusCode).toBe(400);
    expect((await api.post('/api/v1/modules/beta/uninstall', { keepData: false })).json().state).toBe('available');
    expect(await tableExists('beta_note')).toBe(false);
  });

  it('keeps the data when asked, and a reinstall finds it again', async () => {
    expect((await api.post('/api/v1/modules/alpha/uninstall', { keepData: true })).json().state).toBe('available');
    expect((await api.get('/api/v1/data/alpha_item')).statusCode).toBe(404);
    expect(await tableExists('alpha_item')).toBe(true);
    expect((await api.post('/api/v1/modules/alpha/install')).statusCode).toBe(200);
    const titles = (await api.get('/api/v1/data/alpha_item?sort=title')).json().data.map((i: { title: string }) => i.title);
    // la réinstallation rejoue le script d'installation (une nouvelle graine) et retrouve les données gardées
    expect(titles.filter((t: string) => !t.startsWith('tick'))).toEqual(['bolt', 'nut', 'seed', 'seed', 'washer']);
  });
});
