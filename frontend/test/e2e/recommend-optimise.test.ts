// Recommandations et optimisation locales dans Chromium : la section « Fiches semblables » d'une fiche client
// (liens vers des clients de la démonstration) ; l'onglet « Optimisation » de la page Analyses calcule le plan de
// réapprovisionnement du module des stocks pour un budget (colis entiers, budget respecté).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { fill, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import type { E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;
let account: { email: string; password: string };

const call = adminCall(() => server);
const first = async (entity: string, filter: object) =>
  (await call('GET', `/api/v1/data/${entity}?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=1`)).data[0];

beforeAll(async () => {
  ({ server, browser, user, account } = await signedInSession('Demo administrator', 'en', { prepare: async (demo) => { server = demo; await stockThreeProducts(); } }));
}, 240_000);

/** Module des stocks installé, trois articles (min, max, colis, coût) et leur stock disponible. */
async function stockThreeProducts(): Promise<void> {
  await call('POST', '/api/v1/modules/inventory/install');
  const unit = await first('uom', { eid: 'uom-u' });
  const [supplier, stock] = [await first('inv_location', { eid: 'inv-loc-supplier' }), await first('inv_location', { eid: 'inv-loc-stock' })];
  // [référence, min, max, colis, coût, disponible] : optimum connu pour 150 → A 3 colis, B 1, C 2
  for (const [sku, minStock, maxStock, packSize, cost, available] of [['A', '10', '20', 5, '4', '5'], ['B', '10', '30', 10, '3', '0'], ['C', '5', '12', 6, '5', '2']] as const) {
    const product = await call('POST', '/api/v1/data/inv_product', { name: `Part ${sku}`, sku: `PART-${sku}`, uom: unit.id, minStock, maxStock, packSize, cost: { amount: cost, currency: 'EUR' } });
    if (available !== '0') await call('POST', '/api/v1/data/inv_move', { product: product.id, quantity: available, source: supplier.id, destination: stock.id, state: 'done' });
  }
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('recommendations and optimisation in the browser', () => {
  it('shows similar customers on a customer page, linking to them', async () => {
    const customer = (await call('GET', '/api/v1/data/customer?limit=1&sort=name')).data[0];
    const { page } = user;
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    const tab = page.getByRole('tab', { name: 'Similar records' });
    await tab.waitFor();
    // la section ne doit ajouter aucune erreur à celles de la fiche (sections d'autres capacités comprises)
    await tab.click();
    const rows = page.locator('[data-insight="similar"] [data-proposed]');
    await expect.poll(() => rows.count(), ON_SCREEN).toBeGreaterThan(0);
    const link = rows.first().locator('a, ui5-link').first();
    expect(await link.innerText()).not.toBe(customer.name);
    await screenshot(page, 'similar-customers');
    expect(await seriousViolations(page)).toEqual([]);
    expect(user.errors).toEqual([]);
  });

  it('computes the replenishment plan for a budget in the Optimisation tab', async () => {
    const planner = await openPage(browser);
    const { page } = planner;
    await signIn(page, server.url, account.email, account.password);
    await page.goto(`${server.url}/app/insights?tab=optimisation`);
    await page.locator('#plan-budget').waitFor();
    await fill(page, '#plan-budget', '150');
    await page.locator('ui5-button[data-action="plan"]').click();
    const lines = page.locator('[data-insight="replenishment-plan"] [data-plan-line]');
    await expect.poll(() => lines.count(), ON_SCREEN).toBe(3);
    const packs = Object.fromEntries(await lines.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-plan-line'), Number(r.getAttribute('data-packs'))])));
    expect(packs).toEqual({ 'PART-A': 3, 'PART-B': 1, 'PART-C': 2 });
    expect(await page.locator('[data-plan-spent]').getAttribute('data-plan-spent')).toBe('150');
    await screenshot(page, 'replenishment-plan');
    expect(await seriousViolations(page)).toEqual([]);
    expect(planner.errors).toEqual([]);
  });
});
