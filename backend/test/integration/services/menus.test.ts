// MenuManager : menu de chaque utilisateur selon ses droits et ses rôles, entrées des modules actifs seulement,
// modifications et ajouts des administrateurs, libellés en français et en anglais.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

interface Node { id: string; label: string; entity?: string; path?: string; module: string; children: Node[] }

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const ids = async (api: Client, locale = 'en') => flat((await api.get('/api/v1/menus', { 'accept-language': locale })).json().data).map((n) => n.id);

beforeAll(async () => {
  server = await startServer({ modulesDir: fileURLToPath(new URL('../../fixtures/modules/', import.meta.url)) });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => {
  await admin.post('/api/v1/modules/alpha/uninstall', { keepData: false });
  await server.close();
});

describe('menus', () => {
  it('gives an administrator the whole core menu, grouped, ordered and labelled in the caller\'s language', async () => {
    const res = await admin.get('/api/v1/menus', { 'accept-language': 'fr' });
    expect(res.statusCode).toBe(200);
    const roots = res.json().data as Node[];
    expect(roots.map((n) => n.id)).toEqual(['dashboards', 'parties', 'insights', 'organisation', 'reference', 'admin']);
    expect(roots[0]).toMatchObject({ label: 'Tableaux de bord', path: '/dashboards' });
    expect(roots[1]).toMatchObject({ label: 'Tiers', children: [{ id: 'parties.customers', label: 'Clients', entity: 'customer' }, expect.anything(), expect.anything(), expect.anything(), expect.anything()] });
    expect((await admin.get('/api/v1/menus')).json().data[1].label).toBe('Contacts');
    expect((await client(server).get('/api/v1/menus')).statusCode).toBe(401);
  });

  it('shows a user only what its permissions allow, and drops empty groups', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.role('customer-reader', ['customer:read', 'supplier:read']);
    const user = await kit.member('menu-user', [reader]);
    expect(await ids(user.api)).toEqual(['parties', 'parties.customers', 'parties.suppliers', 'insights']);
  });

  it('lists each custom entity under "Custom objects" for those who may read it', async () => {
    expect(await ids(admin)).not.toContain('custom');
    expect((await admin.post('/api/v1/meta/entities', { name: 'menu_project', label: { en: 'Project', fr: 'Projet' }, fields: { title: { type: 'string' } } })).statusCode).toBe(201);
    const menu = (await admin.get('/api/v1/menus', { 'accept-language': 'fr' })).json().data as Node[];
    expect(menu.find((n) => n.id === 'custom')).toMatchObject({ label: 'Objets personnalisés', children: [{ id: 'custom.menu_project', label: 'Projet', entity: 'menu_project', module: 'custom' }] });
    const user = await memberKit(server, tenant, admin).member('no-projects');
    expect(await ids(user.api)).not.toContain('custom.menu_project');
  });

  it('adds the entries of a module while it is active', async () => {
    expect(await ids(admin)).not.toContain('alpha.items');
    expect((await admin.post('/api/v1/modules/alpha/install')).statusCode).toBe(200);
    const menu = (await admin.get('/api/v1/menus')).json().data as Node[];
    expect(menu.find((n) => n.id === 'alpha.items')).toMatchObject({ label: 'Items', entity: 'alpha_item', module: 'alpha' });
    await admin.post('/api/v1/modules/alpha/deactivate');
    expect(await ids(admin)).not.toContain('alpha.items');
  });

  it('applies administrator edits: relabel, reorder, move, hide, restrict to roles, add an entry', async () => {
    const auditor = await memberKit(server, tenant, admin).role('auditor', ['customer:read', 'licence:read']);
    const edits = [
      { key: 'parties.customers', label: { en: 'Clients', fr: 'Nos clients' }, position: 9 },
      { key: 'parties.partners', hidden: true },
      { key: 'admin.licences', parent: 'parties', roles: [auditor] },
      { key: 'reports.dashboard', label: { en: 'Dashboard', fr: 'Tableau de bord' }, path: '/reports/dashboard', parent: 'parties', position: 0 },
    ];
    for (const edit of edits) {
      const res = await admin.post('/api/v1/data/menu_item', edit);
      expect(res.statusCode, res.body).toBe(201);
    }
    const parties = ((await admin.get('/api/v1/menus', { 'accept-language': 'fr' })).json().data as Node[]).find((n) => n.id === 'parties')!;
    expect(parties.children.map((n) => [n.id, n.label])).toEqual([
      ['reports.dashboard', 'Tableau de bord'], ['parties.suppliers', 'Fournisseurs'], ['parties.employees', 'Employés'],
      ['parties.addresses', 'Adresses'], ['admin.licences', 'Licences'], ['parties.customers', 'Nos clients'],
    ]);
    const outsider = await memberKit(server, tenant, admin).member('no-auditor', [await memberKit(server, tenant, admin).role('lic-reader', ['licence:read'])]);
    expect(await ids(outsider.api)).not.toContain('admin.licences');
    const insider = await memberKit(server, tenant, admin).member('auditor-user', [auditor]);
    expect(await ids(insider.api)).toEqual(expect.arrayContaining(['parties', 'admin.licences', 'parties.customers']));
    const bad = await admin.post('/api/v1/data/menu_item', { key: 'evil', label: { en: 42 } });
    expect(bad.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'label' }] });
  });
});
