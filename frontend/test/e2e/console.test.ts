// Console d'administration dans Chromium : modules (installation, page d'un module chargée à l'exécution, refus d'une
// désactivation dont dépend un autre module), concepteur d'entités (un champ ajouté apparaît dans la liste, la barre
// de filtres et la fiche), réglages, journal d'audit vérifié.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, fill, launchBrowser, pagesPerTest, TABLE_ROWS, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, ROOT, startDemoServer, type E2EServer } from './support/server.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';

let server: E2EServer;
let browser: Browser;
const newPage = pagesPerTest(() => browser);

const moduleCard = (page: Page, name: string) => page.locator(`ui5-card[data-module="${name}"]`);
const moduleState = (page: Page, name: string) => moduleCard(page, name).locator('[data-module-state]').getAttribute('data-module-state');

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Page neuve de la console, à ce test seul, connectée avec l'administrateur de démonstration. */
async function consolePage(): Promise<WatchedPage> {
  const watched = await newPage();
  await signIn(watched.page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD, 'server');
  return watched;
}

/** Désinstalle les modules donnés, dans l'ordre, s'ils sont installés (leurs données restent, comme par défaut). */
async function uninstallModules(...names: string[]): Promise<void> {
  const headers = { authorization: `Bearer ${await server.adminToken()}` };
  for (const name of names) {
    const state = (await server.app.inject({ url: `/api/v1/modules/${name}`, headers })).json().state;
    if (state === 'available') continue;
    const res = await server.app.inject({ method: 'POST', url: `/api/v1/modules/${name}/uninstall`, headers, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
  }
}

describe('administration console', () => {
  it('shows only the administration menu under /server/', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.modules"]').waitFor({ state: 'attached' });
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').count()).toBe(0);
    // les tenants sont l'affaire du super-administrateur de la plateforme
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.tenants"]').count()).toBe(0);
    await screenshot(page, 'console-home');
    expect(admin.errors).toEqual([]);
  });

  it('installs a module, opens the page its frontend bundle adds, and deactivates it', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.modules"]').click();
    await moduleCard(page, 'crm').waitFor();
    await moduleCard(page, 'crm').locator('ui5-button[data-action="install"]').click();
    await expect.poll(() => moduleState(page, 'crm'), ON_SCREEN).toBe('active');
    await screenshot(page, 'console-modules');

    // la page du module : un module ES servi par le module, monté par la coquille sans la recompiler
    await page.goto(`${server.url}/app/`);
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="crm.pipeline"]').click();
    await page.waitForURL(/\/app\/m\/crm\/pipeline$/);
    await expect.poll(() => page.locator('main ui5-title[level="H1"]').first().innerText(), ON_SCREEN).toBe('Pipeline commercial');
    // étapes semées à l'installation, une colonne chacune
    await expect.poll(() => page.locator('section[data-stage]').count(), ON_SCREEN).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'module-crm-pipeline');

    await page.goto(`${server.url}/server/admin/modules`);
    await moduleCard(page, 'crm').locator('ui5-button[data-action="deactivate"]').click();
    await expect.poll(() => moduleState(page, 'crm'), ON_SCREEN).toBe('inactive');
    await page.goto(`${server.url}/app/m/crm/pipeline`);
    await page.locator('ui5-illustrated-message').waitFor();
    expect(await page.locator('section[data-stage]').count()).toBe(0);
    expect(admin.errors).toEqual([]);
  });

  it('refuses to deactivate a module another active module needs, with the server message', async () => {
    const admin = await consolePage();
    const { page } = admin;
    try {
      await page.goto(`${server.url}/server/admin/modules`);
      await moduleCard(page, 'sales').locator('ui5-button[data-action="install"]').click();
      await expect.poll(() => moduleState(page, 'sales'), ON_SCREEN).toBe('active');
      expect(await moduleState(page, 'inventory')).toBe('active');
      admin.expect(/^POST .*\/api\/v1\/modules\/inventory\/deactivate$/);
      await moduleCard(page, 'inventory').locator('ui5-button[data-action="deactivate"]').click();
      await expect.poll(() => page.locator('ui5-message-strip[design="Negative"]').innerText(), ON_SCREEN).toMatch(/sales/);
      expect(await moduleState(page, 'inventory')).toBe('active');
      expect(admin.errors).toEqual([]);
    } finally {
      // les modules installés ici (sales et ses dépendances) sont retirés : un autre test trouve crm à installer
      await uninstallModules('sales', 'inventory', 'crm');
    }
  });

  it('adds a custom field in the entity designer, then finds it in the list, the filter bar and the form', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.goto(`${server.url}/server/admin/entities`);
    await fill(page, '#designer-entity', 'Client');
    await page.locator('ui5-cb-item[text="Client"]').click();
    await page.locator('[data-field-row="customerCode"]').waitFor();
    await fill(page, '#new-field-name', 'loyalty');
    await choose(page, '#new-field-type', 'enum');
    await fill(page, '#new-field-en', 'Loyalty tier');
    await fill(page, '#new-field-fr', 'Niveau de fidélité');
    await fill(page, '#new-field-values', 'bronze, silver, gold');
    await page.locator('ui5-button[data-action="add-field"]').click();
    await page.locator('[data-field-row="loyalty"]').waitFor();
    await screenshot(page, 'console-entity-designer');

    // la fiche d'un client : section des champs supplémentaires, liste de valeurs
    const token = await server.adminToken();
    const customer = (await server.app.inject({ url: '/api/v1/data/customer?filter={"customerCode":"C0007"}', headers: { authorization: `Bearer ${token}` } })).json().data[0];
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    await choose(page, '#field-loyalty', 'gold');
    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    await expect.poll(() => page.locator('#field-loyalty').innerText(), ON_SCREEN).toBe('gold');

    // la liste : la nouvelle liste de valeurs fait partie des colonnes par défaut ; le choix des colonnes la retire
    await page.goto(`${server.url}/app/data/customer`);
    await page.locator('[role="columnheader"]', { hasText: 'Niveau de fidélité' }).waitFor();
    await page.locator('ui5-toolbar-button[icon="action-settings"]').click();
    // un clic sur la case elle-même (rôle checkbox : carré et libellé) : le milieu de l'élément hôte peut tomber dans
    // le blanc à droite du libellé, qui ne coche rien (la largeur de la fenêtre dépend des champs des modules installés)
    const firstName = page.locator('ui5-dialog[open] ui5-checkbox[data-column="firstName"]');
    await firstName.getByRole('checkbox').click();
    await expect.poll(() => firstName.getAttribute('checked'), ON_SCREEN).toBeNull();
    await page.locator('ui5-dialog[open] ui5-button[design="Emphasized"]').click();
    await expect.poll(() => page.locator('[role="columnheader"]', { hasText: /^Prénom$/ }).count(), ON_SCREEN).toBe(0);
    await page.locator('ui5-multi-combobox[data-filter="loyalty"]').locator('input').fill('gold');
    await page.keyboard.press('Enter');
    await page.locator('ui5-button', { hasText: /^Lancer$/ }).click();
    await expect.poll(() => page.locator('[data-list-title]').innerText(), ON_SCREEN).toBe('Client (1)');
    await screenshot(page, 'customer-list-custom-field');
    expect(admin.errors).toEqual([]);
  });

  it('grants a permission in the role matrix, which the role holders get at once', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.goto(`${server.url}/server/admin/permissions`);
    await fill(page, '#permissions-role', 'Read-only');
    await page.locator('ui5-cb-item[text="Read-only"]').click();
    const create = page.locator('ui5-checkbox[data-permission="customer:create"]');
    await create.waitFor();
    expect(await create.getAttribute('checked')).toBeNull();
    expect(await page.locator('ui5-checkbox[data-permission="customer:read"]').getAttribute('checked')).not.toBeNull();
    await create.click();
    await page.locator('ui5-button[data-action="save-permissions"]').click();
    await page.locator('ui5-message-strip[design="Positive"]').waitFor();
    await screenshot(page, 'console-permissions');

    const viewer = await newPage();
    await signIn(viewer.page, server.url, 'viewer@demo.opsflux.local', DEMO_PASSWORD);
    await viewer.page.goto(`${server.url}/app/data/customer`);
    await viewer.page.locator('ui5-toolbar-button[icon="add"]').waitFor();
    expect(await viewer.page.locator('ui5-toolbar-button[icon="delete"]').count()).toBe(0);
    expect(viewer.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  });

  it('saves a setting for the tenant and shows where its value comes from', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.goto(`${server.url}/server/admin/settings`);
    const row = page.locator('[data-setting-row="currency.rates.maxAgeDays"]');
    await fill(page, 'ui5-input[data-setting="currency.rates.maxAgeDays"]', '10');
    await row.locator('ui5-button[design="Emphasized"]').click();
    await expect.poll(() => row.locator('[data-component-name="ObjectStatus"]').innerText(), ON_SCREEN).toContain('Ce tenant');
    const token = await server.adminToken();
    const setting = (await server.app.inject({ url: '/api/v1/settings/currency.rates.maxAgeDays', headers: { authorization: `Bearer ${token}` } })).json();
    expect(setting.value).toBe(10);
    expect(admin.errors).toEqual([]);
  });

  it('lets the platform super-administrator create a tenant and suspend it', async () => {
    const root = await newPage();
    const { page } = root;
    root.expect(/^POST .*\/api\/v1\/tenants$/);
    await signIn(page, server.url, ROOT.email, ROOT.password, 'server', 'default');
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.tenants"]').click();
    await page.locator('[data-tenant="demo"]').waitFor();
    await page.locator('ui5-button[data-action="new-tenant"]').click();
    await fill(page, '#tenant-slug', 'Bad Slug!');
    await fill(page, '#tenant-email', 'boss@acme.test');
    await fill(page, '#tenant-password', 'a long enough password');
    await page.locator('ui5-button[data-action="create-tenant"]').click();
    await expect.poll(() => page.locator('#tenant-slug').getAttribute('value-state'), ON_SCREEN).toBe('Negative');
    await fill(page, '#tenant-slug', 'acme');
    await fill(page, '#tenant-name', 'Acme');
    await page.locator('ui5-button[data-action="create-tenant"]').click();
    await page.locator('[data-tenant="acme"]').waitFor();
    await page.locator('[data-tenant="acme"] ui5-button[data-action="suspend"]').click();
    await page.locator('[data-tenant="acme"] ui5-button[data-action="resume"]').waitFor();
    await screenshot(page, 'console-tenants');
    expect(root.errors).toEqual([]);
  });

  it('shows an unexpected server error in the error log and resolves it', async () => {
    // un défaut simulé sur une entité du cœur : l'erreur remonte en 500 et rejoint le journal
    server.platform.hooks.on('beforeCreate', 'tag', ({ data }) => {
      if (data?.name === 'boom') throw new RangeError('Simulated fault while tagging');
    });
    const token = await server.adminToken();
    const failed = await server.app.inject({ method: 'POST', url: '/api/v1/data/tag', headers: { authorization: `Bearer ${token}` }, payload: { name: 'boom' } });
    expect(failed.statusCode).toBe(500);
    const admin = await consolePage();
    const { page } = admin;
    await page.goto(`${server.url}/server/admin/errors`);
    const group = page.locator('ui5-panel[data-error-group]', { hasText: 'Simulated fault while tagging' });
    await group.waitFor();
    await screenshot(page, 'console-errors');
    await group.locator('ui5-button[data-action="resolve"]').click();
    await expect.poll(() => group.count(), ON_SCREEN).toBe(0);
    const open = (await server.app.inject({ url: '/api/v1/errors', headers: { authorization: `Bearer ${token}` } })).json().data;
    expect(open.filter((g: { message: string }) => g.message.includes('Simulated fault'))).toEqual([]);
    expect(admin.errors).toEqual([]);
  });

  it('browses the audit log and verifies the hash chain', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await server.platform.chainer.drain();
    await page.goto(`${server.url}/server/admin/audit`);
    await page.locator(TABLE_ROWS).first().waitFor();
    await page.locator('ui5-button[data-action="verify"]').click();
    await expect.poll(() => page.locator('ui5-message-strip[data-verified]').getAttribute('data-verified'), ON_SCREEN).toBe('true');
    await screenshot(page, 'console-audit');
    expect(admin.errors).toEqual([]);
  });
});
