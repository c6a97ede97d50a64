// Questions en langage naturel sans fournisseur d'IA, dans Chromium, sur les données de démonstration : « clients à
// Lyon » tapé dans la recherche de la liste des clients ne laisse que les clients de Lyon, avec l'interprétation dans
// un bandeau amovible ; l'assistant, sans aucun fournisseur configuré, répond localement avec des liens vers les fiches.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { fill, screenshot, type WatchedPage } from './support/browser.js';
import type { E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;

const call = adminCall(() => server);
const api = (url: string) => call('GET', url);
const query = (params: Record<string, unknown>) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

beforeAll(async () => {
  ({ server, browser, user } = await signedInSession('Sales', 'fr', { page: { locale: 'fr-FR' } }));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('natural-language queries without an AI provider', () => {
  it('filters the customer list from “clients à Lyon” typed in the search box and shows the interpretation', async () => {
    const addresses = (await api(`/api/v1/data/address?${query({ filter: { city: 'Lyon' }, fields: 'party', limit: 1000 })}`)).data as Array<{ party: string }>;
    const lyon = await api(`/api/v1/data/customer?${query({ filter: { id: { in: [...new Set(addresses.map((a) => a.party))] } }, count: 'true', limit: 1 })}`);
    const expected = lyon.meta.count as number;
    expect(expected).toBeGreaterThan(0);
    const all = (await api('/api/v1/data/customer?count=true&limit=1')).meta.count as number;

    const { page } = user;
    await page.goto(`${server.url}/app/data/customer`);
    const title = page.locator('[data-list-title]');
    await expect.poll(() => title.innerText(), ON_SCREEN).toContain(`(${all})`);
    await fill(page, 'ui5-input[data-list-search]', 'clients à Lyon');

    const strip = page.locator('[data-nl-query="interpreted"]');
    await expect.poll(async () => (await strip.count()) && strip.innerText(), ON_SCREEN).toContain('Ville (Adresse) = Lyon');
    expect(await strip.innerText()).toContain('Interprété comme');
    await expect.poll(() => title.innerText(), ON_SCREEN).toContain(`(${expected})`);
    // les lignes affichées sont des clients de Lyon
    const names = new Set(((await api(`/api/v1/data/customer?${query({ filter: { id: { in: [...new Set(addresses.map((a) => a.party))] } }, fields: 'name', limit: 1000 })}`)).data as Array<{ name: string }>).map((c) => c.name));
    const shown = await page.locator('[data-component-name="AnalyticalTableBodyScrollableContainer"] [role="row"]').allInnerTexts();
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown.filter((r) => r.trim())) expect([...names].some((n) => row.includes(n)), row).toBe(true);
    await screenshot(page, 'nl-query-list');
    expect(await seriousViolations(page)).toEqual([]);

    // le bandeau retiré, la liste entière revient
    await strip.locator('.ui5-message-strip-close-button').click();
    await expect.poll(() => title.innerText(), ON_SCREEN).toContain(`(${all})`);
    expect(user.errors).toEqual([]);
  });

  it('answers in the assistant panel locally, with links to the records', async () => {
    const { page } = user;
    await page.locator('ui5-shellbar').getByRole('button', { name: 'Assistant' }).first().click();
    const panel = page.getByTestId('assistant-panel');
    await panel.waitFor();
    await fill(page, '[data-role="question"]', 'clients à Lyon');
    await page.locator('ui5-button[data-action="ask"]').click();
    const turn = panel.locator('[data-turn="0"][data-done="true"]');
    await turn.waitFor(ON_SCREEN);
    const answer = await turn.locator('[data-role="answer"]').innerText();
    expect(answer).toContain('analyseur local');
    expect(answer).toContain('Lyon');
    const links = turn.locator('[data-role="citations"] ui5-link');
    expect(await links.count()).toBeGreaterThan(0);
    await screenshot(page, 'nl-query-assistant');
    await links.first().click();
    await expect.poll(() => new URL(page.url()).pathname, ON_SCREEN).toMatch(/^\/app\/data\/customer\/[0-9a-f-]{36}$/);
    expect(user.errors).toEqual([]);
  });
});
