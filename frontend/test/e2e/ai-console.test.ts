// Page IA de la console dans Chromium, face à un pair local au protocole OpenAI : une règle d'automatisation classe
// chaque nouveau partenaire (action `ai` avec approbation). La consommation montre l'appel de la fonction
// automatisation, le journal le détail de l'appel (prompt et réponse gardés : ai.requestLog = content), la file de
// revue la suggestion, approuvée depuis la console puis constatée sur l'enregistrement ; une suggestion décidée
// entre-temps par un autre relecteur donne une erreur lisible (409) ; les trois onglets passent axe-core.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiPeers, type AiPeers } from '../../../backend/test/support/ai-peers.js';
import { BACKGROUND, ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { choose, launchBrowser, pagesPerTest, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, startDemoServer, type E2EServer } from './support/server.js';

let server: E2EServer;
let browser: Browser;
let peers: AiPeers;
const newPage = pagesPerTest(() => browser);

const RULE = 'AI partner type';

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  const res = await server.app.inject({ method, url, headers: { authorization: `Bearer ${await server.adminToken()}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

/** Nouveau partenaire (la règle part à sa création) et sa suggestion, attendue en file de revue. */
async function partnerWithSuggestion(name: string): Promise<{ partner: { id: string }; suggestion: { id: string } }> {
  const partner = await call('POST', '/api/v1/data/partner', { name, notes: 'Installs and configures our ERP for its customers.' });
  const pending = async () => (await call('GET', `/api/v1/ai/suggestions?status=pending&recordId=${partner.id}`)).data as Array<{ id: string }>;
  await expect.poll(async () => (await pending()).length, BACKGROUND).toBe(1);
  return { partner, suggestion: (await pending())[0]! };
}

beforeAll(async () => {
  peers = await startAiPeers();
  [server, browser] = await Promise.all([startDemoServer({ outboundAllowList: () => ['127.0.0.1'] }), launchBrowser()]);
  for (const [key, value] of Object.entries({
    'ai.providers': [{ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt'), inputCostPerMillion: 150, outputCostPerMillion: 600 }],
    'ai.providerKeys': { gpt: 'sk-peer' },
    'ai.requestLog': 'content',
  })) await call('PUT', `/api/v1/settings/${key}`, { value, level: 'tenant' });
  await call('POST', '/api/v1/data/hook_rule', {
    name: RULE, entity: 'partner', events: ['created'],
    actions: [{ type: 'ai', task: 'classify', prompt: 'Partner: {{name}}\n{{notes}}', fields: ['partnerType'], approval: true }],
  });
  peers.answer('gpt', ['{"values":{"partnerType":"integrator"},', '"confidence":0.87}']);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await peers?.close();
});

/** Page neuve de la console, à ce test seul, connectée avec l'administrateur de démonstration. */
async function consolePage(): Promise<WatchedPage> {
  const watched = await newPage();
  await signIn(watched.page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD, 'server');
  return watched;
}

describe('AI page of the console', () => {
  it('shows the usage and the request log, then approves the suggestion of the rule', async () => {
    const { partner, suggestion } = await partnerWithSuggestion('Nordic Integrators');
    const admin = await consolePage();
    const { page } = admin;
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.ai"]').click();
    await page.waitForURL(/\/server\/admin\/ai$/);

    // consommation du mois, par fonction : l'appel de l'automatisation et la ligne des totaux
    const automation = page.locator('ui5-table-row[data-usage-key="automation"]');
    await automation.waitFor();
    expect(Number(await automation.locator('[data-column="calls"]').innerText())).toBeGreaterThanOrEqual(1);
    expect(Number(await automation.locator('[data-column="inputTokens"]').innerText())).toBeGreaterThan(0);
    expect(await page.locator('ui5-table-row[data-usage-total] [data-column="calls"]').innerText()).toBe(await automation.locator('[data-column="calls"]').innerText());
    await screenshot(page, 'console-ai-usage');
    // regroupement gardé dans l'adresse
    await choose(page, '#ai-usage-group', 'provider');
    await page.waitForURL(/groupBy=provider/);
    await page.locator('ui5-table-row[data-usage-key="gpt"]').waitFor();

    // journal des appels : détail avec le prompt rempli et la réponse du modèle
    await page.locator('[role="tab"]', { hasText: 'Journal des appels' }).click();
    await page.waitForURL(/tab=requests/);
    const logged = page.locator('ui5-table-row[data-feature="automation"][data-request-status="ok"]');
    await logged.first().waitFor();
    await logged.first().locator('ui5-table-cell').first().click();
    const detail = page.locator('ui5-dialog[data-dialog="ai-request"]');
    await expect.poll(() => detail.locator('pre[data-block="prompt"]').innerText(), ON_SCREEN).toContain('Nordic Integrators');
    expect(await detail.locator('pre[data-block="response"]').innerText()).toContain('integrator');
    expect(await detail.locator('[data-role="not-kept"]').count()).toBe(0);
    await screenshot(page, 'console-ai-request');
    await detail.locator('ui5-button').last().click();

    // file de revue : provenance, valeur suggérée, confiance, lien vers la fiche ; approbation
    await page.locator('[role="tab"]', { hasText: 'File de revue' }).click();
    await page.waitForURL(/tab=review/);
    const row = page.locator(`ui5-table-row[data-suggestion="${suggestion.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-suggestion-status')).toBe('pending');
    const text = await row.innerText();
    expect(text).toContain(RULE);
    expect(text).toContain('integrator');
    expect(text).toMatch(/87\s%/);
    expect(text).toContain('gpt · gpt-4o-mini');
    await expect.poll(() => row.locator('ui5-link[data-link="record"]').innerText(), ON_SCREEN).toBe('Nordic Integrators');
    expect(await row.locator('ui5-link[data-link="record"]').getAttribute('href')).toBe(`/server/data/partner/${partner.id}`);
    await screenshot(page, 'console-ai-review');
    await row.locator('ui5-button[data-action="approve"]').click();
    await expect.poll(() => row.getAttribute('data-suggestion-status'), ON_SCREEN).toBe('applied');
    expect(await page.locator('ui5-message-strip[design="Positive"]').innerText()).toContain('Nordic Integrators');
    expect(await row.locator('ui5-button[data-action="approve"]').count()).toBe(0);

    // écrit sur l'enregistrement, avec la décision tracée sur la suggestion
    expect((await call('GET', `/api/v1/data/partner/${partner.id}`)).partnerType).toBe('integrator');
    const [applied] = (await call('GET', `/api/v1/ai/suggestions?recordId=${partner.id}`)).data;
    expect(applied).toMatchObject({ status: 'applied', decidedBy: expect.any(String) });
    expect(admin.errors).toEqual([]);
  });

  it('shows a readable error when the suggestion was decided meanwhile by someone else', async () => {
    const { partner, suggestion } = await partnerWithSuggestion('Southern Resellers');
    const admin = await consolePage();
    const { page } = admin;
    admin.expect(/^POST .*\/api\/v1\/ai\/suggestions\/[0-9a-f-]+\/approve$/);
    await page.goto(`${server.url}/server/admin/ai?tab=review`);
    const row = page.locator(`ui5-table-row[data-suggestion="${suggestion.id}"]`);
    await row.waitFor();
    // un autre relecteur la rejette pendant que la page est ouverte
    await call('POST', `/api/v1/ai/suggestions/${suggestion.id}/reject`);
    await row.locator('ui5-button[data-action="approve"]').click();
    const strip = page.locator('ui5-message-strip[design="Negative"]');
    await expect.poll(() => strip.innerText(), ON_SCREEN).toMatch(/n’a pas pu être appliquée.*already rejected/);
    // la file relue : la suggestion rejetée n'y est plus ; l'enregistrement n'a pas changé
    await expect.poll(() => row.count(), ON_SCREEN).toBe(0);
    expect((await call('GET', `/api/v1/data/partner/${partner.id}`)).partnerType).toBe('reseller');
    await choose(page, '#ai-review-status', 'rejected');
    await page.waitForURL(/status=rejected/);
    await page.locator(`ui5-table-row[data-suggestion="${suggestion.id}"][data-suggestion-status="rejected"]`).waitFor();
    expect(admin.errors).toEqual([]);
  });

  it('finds no serious accessibility violation on the three tabs', async () => {
    const admin = await consolePage();
    const { page } = admin;
    const screens = {
      '/server/admin/ai': 'ui5-table-row[data-usage-key="automation"]',
      '/server/admin/ai?tab=requests': 'ui5-table-row[data-feature="automation"]',
      '/server/admin/ai?tab=review&status=applied': 'ui5-table-row[data-suggestion-status="applied"]',
    };
    const found: Record<string, unknown> = {};
    for (const [path, filled] of Object.entries(screens)) {
      await page.goto(`${server.url}${path}`);
      await page.locator(filled).first().waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      if (violations.length) found[path] = violations;
    }
    expect(found).toEqual({});
    expect(admin.errors).toEqual([]);
  });
});
