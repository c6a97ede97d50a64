// Analyse de texte et prédiction de saisie dans Chromium : une fiche client dont la note, analysée après
// l'enregistrement, est négative montre le badge de sentiment et la section d'analyse (langue, entités) ; en édition,
// le prénom tapé propose la valeur que l'utilisateur saisit d'habitude (apprise de ses propres saisies).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant } from '../../../backend/src/tenancy/tenants.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { screenshot, type WatchedPage } from './support/browser.js';
import { tokenOf, type E2EServer } from './support/server.js';
import { signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;
let token: string;

const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await server.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
  return res.json();
};

beforeAll(async () => {
  let account: { email: string };
  ({ server, browser, user, account } = await signedInSession());
  token = await tokenOf(server, account.email);
  // événements d'écriture distribués : c'est par eux que les notes sont analysées
  server.platform.dispatcher.start(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('text analysis and typing predictions', () => {
  it('shows the negative sentiment of an analysed note on the record', async () => {
    const customer = await call('POST', '/api/v1/data/customer', {
      name: 'Initech Services', notes: 'The customer is furious: late delivery of 2 400 EUR and a defective product. Call back on 12 March 2026.',
    });
    await expect.poll(async () => (await call('GET', `/api/v1/ai/nlp/records/customer/${customer.id}`)).data.length, { timeout: 120_000, interval: 500 }).toBe(1);
    const { page } = user;
    await page.goto(`${server.url}/app/data/customer/${customer.id}`);
    const badge = page.locator('ui5-tag[data-sentiment="negative"]');
    await expect.poll(() => badge.count(), ON_SCREEN).toBeGreaterThan(0);
    expect(await badge.first().innerText()).toContain('Negative');
    const analysis = page.locator('[data-testid="nlp-analysis"]');
    await page.getByRole('tab', { name: 'Text analysis' }).click();
    await analysis.waitFor(ON_SCREEN);
    expect(await analysis.innerText()).toContain('English');
    expect(await page.locator('[data-nlp-entity="amount"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'nlp-sentiment-badge');
    expect(user.errors).toEqual([]);
  });

  it('suggests a value the user usually types while they type it', async () => {
    for (const name of ['Habit One', 'Habit Two', 'Habit Three']) await call('POST', '/api/v1/data/customer', { name, firstName: 'Camille' });
    const target = await call('POST', '/api/v1/data/customer', { name: 'Habit Target' });
    await server.platform.jobs.idle();
    const tenant = await findTenant(server.platform.db, 'demo');
    await server.platform.predictions.train(tenant!.id);

    const { page } = user;
    const asked: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/ai/predictions')) asked.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${server.url}/app/data/customer/${target.id}`);
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    const input = page.locator('#field-firstName input').first();
    await input.waitFor(ON_SCREEN);
    await input.click();
    await input.pressSequentially('Ca', { delay: 50 });
    const suggestion = page.locator('#field-firstName [data-suggestion="Camille"]');
    await expect.poll(() => suggestion.count(), ON_SCREEN).toBe(1).catch(async (error: unknown) => {
      await screenshot(page, 'typing-suggestion-failed');
      throw new Error(`${String(error)} — requests: ${asked.join(' | ')} — html: ${(await page.locator('#field-firstName').evaluate((el) => el.outerHTML)).slice(0, 800)}`);
    });
    await screenshot(page, 'typing-suggestion');
    await input.press('ArrowDown');
    await input.press('Enter');
    await expect.poll(() => page.locator('#field-firstName').evaluate((el) => (el as unknown as { value: string }).value), ON_SCREEN).toBe('Camille');
    expect(user.errors).toEqual([]);
  });
});
