// Prévisions et anomalies dans Chromium, sur les données de démonstration : l'onglet « Prévisions » de la page
// Analyses trace l'historique et la prévision du cours EUR/USD avec son erreur rétrospective (MAPE) ; un client au
// plafond de crédit injecté, très au-dessus de l'habitude, porte le badge « Valeur inhabituelle » sur sa fiche.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { screenshot, type WatchedPage } from './support/browser.js';
import type { E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;

const call = adminCall(() => server);

beforeAll(async () => {
  ({ server, browser, user } = await signedInSession());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Forecasts and anomalies', () => {
  it('draws the forecast of the EUR/USD rate with its backtested error', async () => {
    const { page } = user;
    await page.goto(`${server.url}/app/insights?tab=forecasts`);
    const run = page.locator('ui5-button[data-action="forecast"]');
    await run.waitFor(ON_SCREEN);
    await expect.poll(() => run.evaluate((el) => (el as unknown as { disabled: boolean }).disabled), ON_SCREEN).toBe(false);
    // réglages par défaut : le champ date du cours, sa moyenne par semaine
    expect(await page.locator('#fc-date').evaluate((el) => (el as unknown as { value: string }).value)).toBe('date');
    await run.click();
    const mape = page.locator('[data-mape]');
    await expect.poll(async () => (await mape.count()) && mape.getAttribute('data-mape'), ON_SCREEN).toMatch(/^\d/);
    expect(Number(await mape.getAttribute('data-mape'))).toBeLessThan(5);
    await expect.poll(() => mape.innerText(), ON_SCREEN).toContain('MAPE');
    // deux courbes au moins (historique, prévision) dans le graphique
    const lines = page.locator('[data-insight="forecast-chart"] .recharts-line');
    await expect.poll(() => lines.count(), ON_SCREEN).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'forecasts-tab');
  });

  it('shows the unusual-value badge on a record with an injected outlier', async () => {
    await call('PUT', '/api/v1/settings/ai.local.anomaly.watch', { value: [{ entity: 'customer', field: 'creditLimit' }], level: 'tenant' });
    const created = await call('POST', '/api/v1/data/customer', { name: 'Outlier Holdings', creditLimit: { amount: '900000.00', currency: 'EUR' } });
    const tenantId = (await call('GET', '/api/v1/auth/me')).tenant.id as string;
    // la notation que le travail déclenché par l'écriture ferait, lancée ici directement
    expect(await server.platform.anomalies.scoreRecord(tenantId, 'customer', created.id)).toMatchObject({ fields: [{ field: 'creditLimit' }] });

    const { page } = user;
    await page.goto(`${server.url}/app/data/customer/${created.id}`);
    const badge = page.locator('ui5-tag[data-anomaly="creditLimit"]');
    await expect.poll(async () => (await badge.count()) && badge.innerText(), ON_SCREEN).toMatch(/Unusual value: Credit limit [\d.,]+× typical/);
    await screenshot(page, 'anomaly-badge');
  });
});
