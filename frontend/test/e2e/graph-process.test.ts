// Graphe des enregistrements et fouille de processus dans Chromium, sur les données de démonstration : la fiche
// d'un client dessine ses relations (ses adresses, par la référence vers le tiers) et un voisin cliqué ouvre sa
// fiche ; l'onglet « Processus » des Analyses dessine la carte du type des adresses, changé par l'API.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { choose, screenshot, type WatchedPage } from './support/browser.js';
import type { E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;

const api = adminCall(() => server);

beforeAll(async () => {
  ({ server, browser, user } = await signedInSession());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('knowledge graph and process mining', () => {
  it('draws a customer’s relations and opens a neighbour’s record from the graph', async () => {
    const [customer] = (await api('GET', '/api/v1/data/customer?limit=1&sort=createdAt')).data;
    const { page } = user;
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    await page.getByRole('tab', { name: 'Relations' }).click();
    const graph = page.locator('svg[data-graph="relations"]');
    await graph.waitFor(ON_SCREEN);
    const center = graph.locator(`g[data-node="${customer.id}"]`);
    expect(await center.count()).toBe(1);
    const address = graph.locator('g[data-entity="address"]').first();
    await address.waitFor(ON_SCREEN);
    const addressId = await address.getAttribute('data-node');
    await screenshot(page, 'relations-graph');
    await address.click();
    await page.waitForURL(`**/app/data/address/${addressId}`, ON_SCREEN);
    // la fiche de l'adresse dessine à son tour le client auquel elle appartient
    await page.getByRole('tab', { name: 'Relations' }).click();
    await page.locator(`svg[data-graph="relations"] g[data-node="${customer.id}"]`).waitFor(ON_SCREEN);
    expect(user.errors).toEqual([]);
  });

  it('draws the process map of a state field in the Insights page', async () => {
    const addresses = (await api('GET', `/api/v1/data/address?limit=3&sort=createdAt&filter=${encodeURIComponent(JSON.stringify({ type: 'billing' }))}`)).data;
    for (const a of addresses) await api('PATCH', `/api/v1/data/address/${a.id}`, { type: 'shipping' });
    await api('PATCH', `/api/v1/data/address/${addresses[0].id}`, { type: 'office' });
    const { page } = user;
    await page.goto(`${server.url}/app/insights?tab=process`);
    await page.locator('#pm-entity').waitFor(ON_SCREEN);
    await choose(page, '#pm-entity', 'address');
    await choose(page, '#pm-field', 'type');
    const map = page.locator('svg[data-graph="process"]');
    await map.waitFor(ON_SCREEN);
    await expect.poll(() => map.locator('g[data-transition="billing>shipping"] text').textContent(), ON_SCREEN).toMatch(/^3 · /);
    expect(await map.locator('g[data-state="office"]').count()).toBe(1);
    expect(await map.locator('g[data-bottleneck="true"]').count()).toBe(1);
    expect(await page.locator('[data-insight="variants"] [data-variant="billing>shipping>office"]').count()).toBe(1);
    await screenshot(page, 'process-map');
    expect(user.errors).toEqual([]);
  });
});
