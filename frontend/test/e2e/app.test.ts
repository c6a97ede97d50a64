// Parcours de bout en bout dans Chromium : connexion, liste des clients (tri, filtre), création avec erreur de
// validation, modification, conflit de version, suppression et restauration, historique, langue, droits.
// Un serveur pour le fichier ; chaque test a sa page, son compte (langue, vues enregistrées) et ses fiches.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill, launchBrowser, pagesPerTest, TABLE_ROWS, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, demoAccount, startDemoServer, tokenOf, type E2EServer } from './support/server.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';

let server: E2EServer;
let browser: Browser;
const newPage = pagesPerTest(() => browser);

const tableRows = (page: Page) => page.locator(TABLE_ROWS);
const firstCellTexts = async (page: Page, column: number) =>
  page.locator(`${TABLE_ROWS} [role="gridcell"][aria-colindex="${column}"]`).allInnerTexts();
const listTitle = (page: Page) => page.locator('[data-list-title]').innerText();
const saveButton = (page: Page) => page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]');

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Appel de l'API en administrateur de démonstration (préparation et contrôle des tests). */
async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return server.app.inject({ method, url, headers: { authorization: `Bearer ${await server.adminToken()}` }, ...(payload ? { payload } : {}) });
}

/** Nombre de clients que la liste doit annoncer, lu sur le serveur au moment du test. */
async function customerCount(): Promise<number> {
  return (await api('GET', '/api/v1/data/customer?limit=1&count=true')).json().meta.count as number;
}

/** Fiche client à ce test seul, créée par l'API. */
async function ownCustomer(name: string): Promise<{ id: string; version: number }> {
  const res = await api('POST', '/api/v1/data/customer', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Page neuve connectée avec un administrateur neuf qui lit l'anglais. */
async function englishAdmin(): Promise<WatchedPage & { userId: string; email: string }> {
  const account = await demoAccount(server, 'Demo administrator', 'en');
  const watched = await newPage();
  await signIn(watched.page, server.url, account.email, account.password);
  return { ...watched, userId: account.id, email: account.email };
}

describe('sign-in', () => {
  it('refuses a wrong password with a clear message, then signs in and shows the home page', async () => {
    const admin = await newPage();
    const { page } = admin;
    admin.expect(/^POST .*\/api\/v1\/auth\/login$/);
    await page.goto(`${server.url}/app/`);
    await page.waitForURL(/\/app\/login/);
    await screenshot(page, 'login');
    await fill(page, '#login-tenant', 'demo');
    await fill(page, '#login-email', 'admin@demo.opsflux.local');
    await fill(page, '#login-password', 'wrong password');
    await page.locator('ui5-button[type="Submit"]').click();
    await expect.poll(() => page.locator('ui5-message-strip[design="Negative"]').innerText(), ON_SCREEN).toMatch(/wrong email or password/i);

    await signIn(page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD);
    // la langue de l'utilisateur (français pour l'administrateur de démonstration) s'applique à la connexion
    await expect.poll(() => page.locator('main ui5-title[level="H1"]').first().innerText(), ON_SCREEN).toMatch(/Bienvenue/);
    await screenshot(page, 'home');
    expect(admin.errors).toEqual([]);
  });
});

describe('customers', () => {
  it('switches the interface to English from the profile menu', async () => {
    const account = await demoAccount(server, 'Demo administrator', 'fr');
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, server.url, account.email, account.password);
    await expect.poll(() => page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').getAttribute('text'), ON_SCREEN).toBe('Clients');
    await page.locator('ui5-shellbar').locator('ui5-avatar, .ui5-shellbar-image-button').first().click();
    await page.locator('ui5-menu-item[text="Langue"]').click();
    await page.locator('ui5-menu-item[text="English"]').click();
    await expect.poll(() => page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').getAttribute('text'), ON_SCREEN).toBe('Customers');
    expect(watched.errors).toEqual([]);
  });

  it('lists customers from the navigation, sorted and filtered on the server', async () => {
    const watched = await englishAdmin();
    const { page } = watched;
    const count = await customerCount();
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').click();
    await page.waitForURL(/\/app\/data\/customer$/);
    await expect.poll(() => listTitle(page), ON_SCREEN).toBe(`Customer (${count})`);
    await expect.poll(async () => (await firstCellTexts(page, 2)).length, ON_SCREEN).toBeGreaterThan(5);
    await screenshot(page, 'customer-list');

    // tri décroissant sur le nom (menu de colonne du tableau)
    await page.locator('[role="columnheader"]', { hasText: 'Name' }).first().click();
    await page.locator('ui5-list-item-standard, [ui5-li]', { hasText: /Sort Descending/i }).first().click();
    const names = (await api('GET', '/api/v1/data/customer?sort=-name&limit=3&fields=name')).json().data.map((r: { name: string }) => r.name);
    await expect.poll(async () => (await firstCellTexts(page, 2)).slice(0, 3), ON_SCREEN).toEqual(names);

    // filtre sur le code client : une seule ligne
    await fill(page, 'ui5-input[data-filter="customerCode"]', 'C0042');
    await page.locator('ui5-button', { hasText: /^Go$/ }).click();
    await expect.poll(() => listTitle(page), ON_SCREEN).toBe('Customer (1)');
    await expect.poll(async () => (await firstCellTexts(page, 3))[0], ON_SCREEN).toBe('C0042');
    expect(watched.errors).toEqual([]);
  });

  it('saves the filtered list as the default view, which applies when the list opens again', async () => {
    const watched = await englishAdmin();
    const { page } = watched;
    const mine = `/api/v1/data/bookmark?filter=${encodeURIComponent(JSON.stringify({ entity: 'customer', user: watched.userId }))}`;
    try {
      await page.goto(`${server.url}/app/data/customer`);
      await fill(page, 'ui5-input[data-filter="customerCode"]', 'C0042');
      await page.locator('ui5-button', { hasText: /^Go$/ }).click();
      await expect.poll(() => listTitle(page), ON_SCREEN).toBe('Customer (1)');

      await page.locator('ui5-button[icon="navigation-down-arrow"]').click();
      await page.locator('ui5-responsive-popover[open] ui5-bar ui5-button[design="Emphasized"]').click();
      await fill(page, 'ui5-dialog[open] ui5-input', 'Code 42');
      await page.locator('ui5-dialog[open] ui5-bar ui5-button[design="Emphasized"]').click();
      await page.locator('ui5-title[data-component-name="VariantManagementTitle"]', { hasText: 'Code 42' }).waitFor();
      // les vues de ce compte neuf : exactement celle-ci
      const saved = (await server.app.inject({ url: mine, headers: { authorization: `Bearer ${await tokenOf(server, watched.email)}` } })).json().data;
      expect(saved).toMatchObject([{ label: 'Code 42', shared: false, view: { default: true, filters: { customerCode: { kind: 'text', text: 'C0042' } } } }]);

      await page.reload();
      await expect.poll(() => listTitle(page), ON_SCREEN).toBe('Customer (1)');
      // un autre administrateur peut lire ce signet, mais la vue personnelle n'est pas la sienne : liste entière
      const count = await customerCount();
      const other = await englishAdmin();
      await other.page.goto(`${server.url}/app/data/customer`);
      await expect.poll(() => listTitle(other.page), ON_SCREEN).toBe(`Customer (${count})`);
      await other.page.locator('ui5-button[icon="navigation-down-arrow"]').click();
      await other.page.locator('ui5-responsive-popover[open] ui5-li[data-children="Standard"]').waitFor();
      expect(await other.page.locator('ui5-responsive-popover[open] ui5-li[data-children="Code 42"]').count()).toBe(0);
      expect(other.errors).toEqual([]);
      // retour à la vue standard : toute la liste
      await page.locator('ui5-button[icon="navigation-down-arrow"]').click();
      await page.locator('ui5-responsive-popover[open] ui5-li[data-children="Standard"]').click();
      await expect.poll(() => listTitle(page), ON_SCREEN).toBe(`Customer (${count})`);
      expect(watched.errors).toEqual([]);
    } finally {
      // la vue personnelle ne reste pas après le test (les autres tests partent d'une liste sans vue)
      for (const { id } of (await api('GET', mine)).json().data as Array<{ id: string }>) {
        expect((await api('DELETE', `/api/v1/data/bookmark/${id}`)).statusCode).toBe(204);
      }
    }
  });

  it('creates a customer: a validation error shows on the field, then the record is saved', async () => {
    const watched = await englishAdmin();
    const { page } = watched;
    watched.expect(/^POST .*\/api\/v1\/data\/customer$/);
    await page.goto(`${server.url}/app/data/customer/new`);
    await page.locator('#field-name').waitFor();
    await fill(page, '#field-customerCode', 'E2E-001');
    await saveButton(page).click();
    // le nom est obligatoire : message du serveur sur le champ
    await expect.poll(() => page.locator('#field-name').getAttribute('value-state'), ON_SCREEN).toBe('Negative');
    await screenshot(page, 'customer-validation');
    await fill(page, '#field-name', 'Atelier Éole E2E');
    await fill(page, '#field-email', 'e2e@example.com');
    await saveButton(page).click();
    await page.waitForURL(/\/data\/customer\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('ui5-title[level="H1"]').first().innerText(), ON_SCREEN).toBe('Atelier Éole E2E');
    await screenshot(page, 'customer-record');
    const id = page.url().split('/').pop()!;
    expect((await api('GET', `/api/v1/data/customer/${id}`)).json()).toMatchObject({ name: 'Atelier Éole E2E', customerCode: 'E2E-001', email: 'e2e@example.com' });
    expect(watched.errors).toEqual([]);
  });

  it('edits the customer and shows the change in the history', async () => {
    const customer = await ownCustomer('Atelier Historique E2E');
    const watched = await englishAdmin();
    const { page } = watched;
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    await fill(page, '#field-phone', '+33 1 23 45 67 89');
    await saveButton(page).click();
    await expect.poll(() => page.locator('#field-phone').innerText(), ON_SCREEN).toBe('+33 1 23 45 67 89');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('[data-history-field="phone"]').first().waitFor();
    expect(await page.locator('[data-history-field="phone"]').first().textContent()).toContain('+33 1 23 45 67 89');
    await screenshot(page, 'customer-history');
    expect(watched.errors).toEqual([]);
  });

  it('detects a version conflict and lets the user overwrite with their changes', async () => {
    const customer = await ownCustomer('Atelier Conflit E2E');
    expect(customer.version).toBe(1);
    const watched = await englishAdmin();
    const { page } = watched;
    watched.expect(new RegExp(`^PATCH .*/api/v1/data/customer/${customer.id}$`));
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    await fill(page, '#field-phone', '+33 9 99 99 99 99');
    // quelqu'un d'autre modifie la fiche entre-temps
    const other = await api('PATCH', `/api/v1/data/customer/${customer.id}`, { website: 'https://other.example.com' });
    expect(other.statusCode).toBe(200);
    await saveButton(page).click();
    await page.locator('ui5-dialog[open] ui5-button[data-choice="overwrite"]').waitFor();
    await screenshot(page, 'customer-conflict');
    await page.locator('ui5-dialog[open] ui5-button[data-choice="overwrite"]').click();
    await expect.poll(() => page.locator('#field-phone').innerText(), ON_SCREEN).toBe('+33 9 99 99 99 99');
    const saved = await api('GET', `/api/v1/data/customer/${customer.id}`);
    // mes changements et ceux de l'autre sont tous deux gardés : création, écriture de l'autre, la mienne
    expect(saved.json()).toMatchObject({ phone: '+33 9 99 99 99 99', website: 'https://other.example.com', version: 3 });
    expect(watched.errors).toEqual([]);
  });

  it('deletes the customer, then restores it', async () => {
    const customer = await ownCustomer('Atelier Corbeille E2E');
    const watched = await englishAdmin();
    const { page } = watched;
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    await page.locator('ui5-toolbar-button[icon="delete"]').click();
    await page.locator('ui5-dialog[open] ui5-button[data-choice="confirm"]').click();
    await page.locator('[data-component-name="ObjectStatus"]', { hasText: 'Deleted' }).waitFor();
    expect((await api('GET', `/api/v1/data/customer/${customer.id}`)).statusCode).toBe(404);
    await page.locator('ui5-toolbar-button[icon="undo"]').click();
    await page.locator('ui5-toolbar-button[icon="edit"]').waitFor();
    expect(await page.locator('[data-component-name="ObjectStatus"]').count()).toBe(0);
    expect((await api('GET', `/api/v1/data/customer/${customer.id}`)).json()).toMatchObject({ id: customer.id, name: 'Atelier Corbeille E2E' });
    expect(watched.errors).toEqual([]);
  });
});

describe('rights', () => {
  it('hides what a read-only user may not do', async () => {
    const viewer = await newPage();
    const { page } = viewer;
    await signIn(page, server.url, 'viewer@demo.opsflux.local', DEMO_PASSWORD);
    // ni modules ni réglages dans le menu, pas de création ni de suppression dans la liste
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.users"]').waitFor({ state: 'attached' });
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.modules"]').count()).toBe(0);
    expect(await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.settings"]').count()).toBe(0);
    await page.goto(`${server.url}/app/data/customer`);
    // chargement complet de l'application (nouvelle session du navigateur) : plus d'une seconde sur une machine chargée
    await expect.poll(async () => (await firstCellTexts(page, 1)).length, ON_SCREEN).toBeGreaterThan(5);
    expect(await page.locator('ui5-toolbar-button[icon="add"]').count()).toBe(0);
    expect(await page.locator('ui5-toolbar-button[icon="delete"]').count()).toBe(0);
    await tableRows(page).nth(1).click();
    await page.waitForURL(/\/data\/customer\/[0-9a-f-]{36}$/);
    await page.locator('#field-name').waitFor();
    expect(await page.locator('ui5-toolbar-button[icon="edit"]').count()).toBe(0);
    expect(viewer.errors).toEqual([]);
  });
});
