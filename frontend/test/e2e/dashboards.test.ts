// Tableaux de bord dans Chromium : un utilisateur construit un tableau par glisser-déposer (widgets tirés de la
// palette sur la grille, puis choisis dans des listes — aucun JSON), le voit se mettre à jour en direct après une
// vente, en télécharge les données en Excel, le partage avec un rôle ; un utilisateur de ce rôle, restreint par une règle
// d'enregistrements, n'y voit que ses totaux.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { choose, fill, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { demoAccount, type E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;
let northRole: string;
const call = adminCall(() => server);

const SALES = Array.from({ length: 20 }, (_, i) => ({ region: i % 3 === 0 ? 'north' : 'south', amount: String(100 + i * 10), soldOn: `2026-0${1 + (i % 9)}-15` }));
const total = (region?: string) => SALES.filter((s) => !region || s.region === region).reduce((sum, s) => sum + Number(s.amount), 0);

beforeAll(async () => {
  ({ server, browser, user } = await signedInSession('Demo administrator', 'en', {
    server: { dispatch: true },
    prepare: async (demo) => {
      server = demo;
      await call('POST', '/api/v1/meta/entities', {
        name: 'e2e_sale', label: { en: 'Sale', fr: 'Vente' },
        fields: {
          region: { type: 'enum', options: { values: ['north', 'south'] }, label: { en: 'Region', fr: 'Région' } },
          amount: { type: 'decimal', options: { precision: 14, scale: 2 }, label: { en: 'Amount', fr: 'Montant' } },
          soldOn: { type: 'date', label: { en: 'Sold on', fr: 'Vendu le' } },
        },
      });
      await call('POST', '/api/v1/data/e2e_sale/bulk', { operations: SALES.map((data) => ({ op: 'create', data })) });
      const permissions = (await call('GET', `/api/v1/data/permission?filter=${encodeURIComponent(JSON.stringify({ code: { in: ['e2e_sale:read', 'dashboard:read'] } }))}`)).data as Array<{ id: string }>;
      northRole = (await call('POST', '/api/v1/data/role', { name: 'North sales', permissions: permissions.map((p) => p.id) })).id;
      await call('POST', '/api/v1/data/record_rule', { role: northRole, entity: 'e2e_sale', filter: { region: { eq: 'north' } } });
    },
  }));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const kpiValue = (page: WatchedPage['page']) => page.locator('[data-widget-kind="kpi"] [data-kpi-value]').getAttribute('data-kpi-value');

/** Tire un widget de la palette sur la grille, puis le décrit dans son panneau. */
async function addWidget(page: WatchedPage['page'], type: string, choices: Array<[string, string]>, at: { x: number; y: number }): Promise<void> {
  await page.locator(`[data-widget-type="${type}"]`).dragTo(page.locator('[data-grid] .react-grid-layout'), { targetPosition: at });
  const editor = page.locator('ui5-dialog[data-widget-editor]');
  await editor.waitFor(ON_SCREEN);
  for (const [select, value] of choices) await choose(page, select, value);
  await page.locator('ui5-button[data-action="apply-widget"]').click();
  await editor.waitFor({ state: 'detached', timeout: ON_SCREEN.timeout });
}

describe('Dashboards', () => {
  let dashboardId: string;

  it('builds a dashboard by drag and drop, without typing any JSON', async () => {
    const { page } = user;
    await page.goto(`${server.url}/app/dashboards`);
    await page.locator('ui5-button[data-action="new-dashboard"]').click();
    await fill(page, '#db-name', 'Sales board');
    await page.locator('ui5-button[data-action="create-dashboard"]').click();
    await page.locator('[data-dashboard]').waitFor(ON_SCREEN);
    dashboardId = (await page.locator('[data-dashboard]').getAttribute('data-dashboard'))!;
    await page.locator('ui5-button[data-action="edit-dashboard"]').click();
    await page.locator('[data-palette]').waitFor(ON_SCREEN);

    await addWidget(page, 'column', [['#we-entity', 'e2e_sale'], ['#we-fn', 'sum'], ['#we-field', 'amount'], ['#we-dimension', 'region']], { x: 40, y: 40 });
    const bars = page.locator('[data-widget-kind="column"] .recharts-bar-rectangle');
    await expect.poll(() => bars.count(), ON_SCREEN).toBe(2);
    await addWidget(page, 'kpi', [['#we-entity', 'e2e_sale'], ['#we-fn', 'sum'], ['#we-field', 'amount']], { x: 700, y: 40 });
    await expect.poll(() => kpiValue(page), ON_SCREEN).toBe(String(total()));

    // enregistré côté serveur : deux widgets et leurs requêtes d'analyse, placés où ils ont été déposés
    const saved = await call('GET', `/api/v1/data/dashboard/${dashboardId}`);
    expect(saved.widgets).toHaveLength(2);
    expect(saved.widgets.find((w: { type: string }) => w.type === 'column').query).toMatchObject({
      entity: 'e2e_sale', measures: [{ fn: 'sum', field: 'amount' }], dimensions: [{ field: 'region' }],
    });
    expect(saved.widgets.find((w: { type: string }) => w.type === 'kpi').x).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-builder');
  });

  it('updates live after a sale', async () => {
    const { page } = user;
    await page.locator('ui5-button[data-action="edit-dashboard"]').click();
    await call('POST', '/api/v1/data/e2e_sale', { region: 'north', amount: '1000', soldOn: '2026-10-01' });
    SALES.push({ region: 'north', amount: '1000', soldOn: '2026-10-01' });
    await expect.poll(() => kpiValue(page), ON_SCREEN).toBe(String(total()));
    // les données d'un widget se téléchargent en Excel
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: ON_SCREEN.timeout }),
      page.locator('[data-widget-kind="column"] ui5-button[data-action="widget-excel"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it('is shared with a role, whose restricted user sees only their own totals', async () => {
    const { page } = user;
    await page.locator('ui5-button[data-action="share-dashboard"]').click();
    const dialog = page.locator('ui5-dialog[data-share-dialog]');
    await dialog.waitFor(ON_SCREEN);
    await page.locator('#share-roles').locator('input').fill('North sales');
    await page.locator('#share-roles ui5-mcb-item[text="North sales"]').waitFor({ state: 'attached', timeout: ON_SCREEN.timeout });
    await page.keyboard.press('Enter');
    await page.locator('ui5-button[data-action="save-share"]').click();
    await dialog.waitFor({ state: 'detached', timeout: ON_SCREEN.timeout });
    await expect.poll(async () => (await call('GET', `/api/v1/data/dashboard/${dashboardId}`)).sharedWith, ON_SCREEN).toEqual([northRole]);

    const account = await demoAccount(server, 'North sales', 'en');
    const other = await openPage(browser);
    await signIn(other.page, server.url, account.email, account.password);
    await other.page.goto(`${server.url}/app/dashboards/${dashboardId}`);
    await expect.poll(() => kpiValue(other.page), ON_SCREEN).toBe(String(total('north')));
    const bars = other.page.locator('[data-widget-kind="column"] .recharts-bar-rectangle');
    await expect.poll(() => bars.count(), ON_SCREEN).toBe(1);
    // lecture seule : ni modification ni partage
    expect(await other.page.locator('ui5-button[data-action="edit-dashboard"]').count()).toBe(0);
    await screenshot(other.page, 'dashboard-shared-restricted');
    await other.page.context().close();
  });
});
