// Parcours de bout en bout dans Chromium : connexion, liste des clients (tri, filtre), création avec erreur de
// validation, modification, conflit de version, suppression et restauration, historique, langue, droits.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill, launchBrowser, TABLE_ROWS, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, startDemoServer, type E2EServer } from './support/server.js';

let server: E2EServer;
let browser: Browser;
let admin: WatchedPage;

const tableRows = (page: Page) => page.locator(TABLE_ROWS);
const firstCellTexts = async (page: Page, column: number) =>
  page.locator(`${TABLE_ROWS} [role="gridcell"][aria-colindex="${column}"]`).allInnerTexts();

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  admin = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('sign-in', () => {
  it('refuses a wrong password with a clear message, then signs in and shows the home page', async () => {
    const { page } = admin;
    admin.expect(/^POST .*\/api\/v1\/auth\/login$/);
    await page.goto(`${server.url}/app/`);
    await page.waitForURL(/\/app\/login/);
    await screenshot(page, 'login');
    await fill(page, '#login-tenant', 'demo');
    await fill(page, '#login-email', 'admin@demo.opsflux.local');
    await fill(page, '#login-password', 'wrong password');
    await page.locator('ui5-button[type="Submit"]').click();
    await expect.poll(() => page.locator('ui5-message-strip[design="Negative"]').innerText()).toMatch(/wrong email or password/i);

    await signIn(page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD);
    // la langue de l'utilisateur (français par défaut) s'applique à la connexion
    await expect.poll(() => page.locator('main ui5-title[level="H1"]').first().innerText()).toMatch(/Bienvenue/);
    await screenshot(page, 'home');
  });
});

describe('customers', () => {
  it('switches the interface to English from the profile menu', async () => {
    const { page } = admin;
    await page.locator('ui5-shellbar').locator('ui5-avatar, .ui5-shellbar-image-button').first().click();
    await page.locator('ui5-menu-item[text="Langue"]').click();
    await page.locator('ui5-menu-item[text="English"]').click();
    await expect.poll(() => page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').getAttribute('text')).toBe('Customers');
  });

  it('lists customers from the navigation, sorted and filtered on the server', async () => {
    const { page } = admin;
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').click();
    await page.waitForURL(/\/app\/data\/customer$/);
    await expect.poll(() => page.locator('[data-list-title]').innerText()).toBe('Customer (100)');
    await expect.poll(async () => (await firstCellTexts(page, 2)).length).toBeGreaterThan(5);
    await screenshot(page, 'customer-list');

    // tri décroissant sur le nom (menu de colonne du tableau)
    await page.locator('[role="columnheader"]', { hasText: 'Name' }).first().click();
    await page.locator('ui5-list-item-standard, [ui5-li]', { hasText: /Sort Descending/i }).first().click();
    const token = await server.adminToken();
    const expected = await server.app.inject({ method: 'GET', url: '/api/v1/data/customer?sort=-name&limit=3&fields=name', headers: { authorization: `Bearer ${token}` } });
    const names = expected.json().data.map((r: { name: string }) => r.name);
    await expect.poll(async () => (await firstCellTexts(page, 2)).slice(0, 3)).toEqual(names);

    // filtre sur le code client : une seule ligne
    await fill(page, 'ui5-input[data-filter="customerCode"]', 'C0042');
    await page.locator('ui5-button', { hasText: /^Go$/ }).click();
    await expect.poll(() => page.locator('[data-list-title]').innerText()).toBe('Customer (1)');
    await expect.poll(async () => (await firstCellTexts(page, 3))[0]).toBe('C0042');
  });

  it('saves the filtered list as the default view, which applies when the list opens again', async () => {
    const { page } = admin;
    await page.locator('ui5-button[icon="navigation-down-arrow"]').click();
    await page.locator('ui5-responsive-popover[open] ui5-bar ui5-button[design="Emphasized"]').click();
    await fill(page, 'ui5-dialog[open] ui5-input', 'Code 42');
    await page.locator('ui5-dialog[open] ui5-bar ui5-button[design="Emphasized"]').click();
    await page.locator('ui5-title[data-component-name="VariantManagementTitle"]', { hasText: 'Code 42' }).waitFor();
    const token = await server.adminToken();
    const saved = (await server.app.inject({ url: '/api/v1/data/bookmark?filter={"entity":"customer"}', headers: { authorization: `Bearer ${token}` } })).json().data;
    expect(saved).toMatchObject([{ label: 'Code 42', shared: false, view: { default: true, filters: { customerCode: { kind: 'text', text: 'C0042' } } } }]);

    await page.reload();
    await expect.poll(() => page.locator('[data-list-title]').innerText(), { timeout: 15_000 }).toBe('Customer (1)');
    // retour à la vue standard : toute la liste
    await page.locator('ui5-button[icon="navigation-down-arrow"]').click();
    await page.locator('ui5-responsive-popover[open] ui5-li[data-children="Standard"]').click();
    await expect.poll(() => page.locator('[data-list-title]').innerText()).toBe('Customer (100)');
  });

  it('creates a customer: a validation error shows on the field, then the record is saved', async () => {
    const { page } = admin;
    admin.expect(/^POST .*\/api\/v1\/data\/customer$/);
    await page.goto(`${server.url}/app/data/customer/new`);
    await page.locator('#field-name').waitFor();
    await fill(page, '#field-customerCode', 'E2E-001');
    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    // le nom est obligatoire : message du serveur sur le champ
    await expect.poll(() => page.locator('#field-name').getAttribute('value-state')).toBe('Negative');
    await screenshot(page, 'customer-validation');
    await fill(page, '#field-name', 'Atelier Éole E2E');
    await fill(page, '#field-email', 'e2e@example.com');
    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    await page.waitForURL(/\/data\/customer\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('ui5-title[level="H1"]').first().innerText()).toBe('Atelier Éole E2E');
    await screenshot(page, 'customer-record');
  });

  it('edits the customer and shows the change in the history', async () => {
    const { page } = admin;
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    await fill(page, '#field-phone', '+33 1 23 45 67 89');
    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    await expect.poll(() => page.locator('#field-phone').innerText()).toBe('+33 1 23 45 67 89');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('[data-history-field="phone"]').first().waitFor();
    expect(await page.locator('[data-history-field="phone"]').first().textContent()).toContain('+33 1 23 45 67 89');
    await screenshot(page, 'customer-history');
    await page.getByRole('tab', { name: 'Details' }).click();
  });

  it('detects a version conflict and lets the user overwrite with their changes', async () => {
    const { page } = admin;
    const id = page.url().split('/').pop()!;
    admin.expect(new RegExp(`^PATCH .*/api/v1/data/customer/${id}$`));
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    await fill(page, '#field-phone', '+33 9 99 99 99 99');
    // quelqu'un d'autre modifie la fiche entre-temps
    const token = await server.adminToken();
    const other = await server.app.inject({ method: 'PATCH', url: `/api/v1/data/customer/${id}`, headers: { authorization: `Bearer ${token}` }, payload: { website: 'https://other.example.com' } });
    expect(other.statusCode).toBe(200);
    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    await page.locator('ui5-dialog[open] ui5-button[data-choice="overwrite"]').waitFor();
    await screenshot(page, 'customer-conflict');
    await page.locator('ui5-dialog[open] ui5-button[data-choice="overwrite"]').click();
    await expect.poll(() => page.locator('#field-phone').innerText()).toBe('+33 9 99 99 99 99');
    const saved = await server.app.inject({ method: 'GET', url: `/api/v1/data/customer/${id}`, headers: { authorization: `Bearer ${token}` } });
    // mes changements et ceux de l'autre sont tous deux gardés
    expect(saved.json()).toMatchObject({ phone: '+33 9 99 99 99 99', website: 'https://other.example.com', version: 4 });
  });

  it('deletes the customer, then restores it', async () => {
    const { page } = admin;
    await page.locator('ui5-toolbar-button[icon="delete"]').click();
    await page.locator('ui5-dialog[open] ui5-button[data-choice="confirm"]').click();
    await page.locator('[data-component-name="ObjectStatus"]', { hasText: 'Deleted' }).waitFor();
    await page.locator('ui5-toolbar-button[icon="undo"]').click();
    await page.locator('ui5-toolbar-button[icon="edit"]').waitFor();
    expect(await page.locator('[data-component-name="ObjectStatus"]').count()).toBe(0);
    expect(admin.errors).toEqual([]);
  });
});

describe('rights', () => {
  it('hides what a read-only user may not do', async () => {
    const viewer = await openPage(browser);
    const { page } = viewer;
    await signIn(page, server.url, 'viewer@demo.opsflux.local', DEMO_PASSWORD);
    // ni modules ni réglages dans le menu, pas de création ni de suppression dans la liste
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.users"]').waitFor({ state: 'attached' });
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.modules"]').count()).toBe(0);
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.settings"]').count()).toBe(0);
    await page.goto(`${server.url}/app/data/customer`);
    // chargement complet de l'application (nouvelle session du navigateur) : plus d'une seconde sur une machine chargée
    await expect.poll(async () => (await firstCellTexts(page, 1)).length, { timeout: 15_000 }).toBeGreaterThan(5);
    expect(await page.locator('ui5-toolbar-button[icon="add"]').count()).toBe(0);
    expect(await page.locator('ui5-toolbar-button[icon="delete"]').count()).toBe(0);
    await tableRows(page).nth(1).click();
    await page.waitForURL(/\/data\/customer\/[0-9a-f-]{36}$/);
    await page.locator('#field-name').waitFor();
    expect(await page.locator('ui5-toolbar-button[icon="edit"]').count()).toBe(0);
    expect(viewer.errors).toEqual([]);
    await viewer.page.context().close();
  });
});
