// Page IA de la console dans Chromium, face à un pair local au protocole OpenAI : une règle d'automatisation classe
// chaque nouveau partenaire (action `ai` avec approbation). La consommation montre l'appel de la fonction
// automatisation, le journal le détail de l'appel (prompt et réponse gardés : ai.requestLog = content), la file de
// revue la suggestion, approuvée depuis la console puis constatée sur l'enregistrement ; une suggestion décidée
// entre-temps par un autre relecteur donne une erreur lisible (409) ; l'onglet des fournisseurs (par défaut) ajoute un
// fournisseur interne avec sa clé, le route pour l'assistant et coupe les fournisseurs externes, par les formulaires
// seuls ; les quatre onglets passent axe-core.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiPeers, type AiPeers } from '../../../backend/test/support/ai-peers.js';
import { BACKGROUND, ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { choose, fill, launchBrowser, pagesPerTest, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, startDemoServer, type E2EServer } from './support/server.js';
import { adminCall } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let peers: AiPeers;
const newPage = pagesPerTest(() => browser);

const RULE = 'AI partner type';
const gpt = () => ({ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt'), inputCostPerMillion: 150, outputCostPerMillion: 600 });

const call = adminCall(() => server);

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
    'ai.providers': [gpt()],
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
    // l'onglet par défaut est celui des fournisseurs
    await page.locator('ui5-table-row[data-provider="gpt"]').waitFor();
    await page.locator('[role="tab"]', { hasText: 'Consommation' }).click();
    await page.waitForURL(/tab=usage/);

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

  it('finds no serious accessibility violation on the four tabs', async () => {
    const admin = await consolePage();
    const { page } = admin;
    const screens = {
      '/server/admin/ai': 'ui5-table-row[data-provider="gpt"]',
      '/server/admin/ai?tab=usage': 'ui5-table-row[data-usage-key="automation"]',
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

  it('adds a provider with its key, routes the assistant to it and keeps the data on premises, through the forms', async () => {
    const admin = await consolePage();
    const { page } = admin;
    // refus de l'adresse de métadonnées par la politique sortante : 400 attendu
    admin.expect(/^PUT .*\/api\/v1\/settings\/ai\.providers$/);
    await page.goto(`${server.url}/server/admin/ai`);
    const section = page.locator('[data-section="providers"]');
    await section.locator('ui5-table-row[data-provider="gpt"]').waitFor();
    expect(await section.locator('ui5-table-row[data-provider="gpt"] [data-column="key"]').innerText()).toContain('Clé enregistrée');

    await section.locator('ui5-button[data-action="add-provider"]').click();
    const dialog = page.locator('ui5-dialog[data-dialog="ai-provider"]');
    await dialog.locator('#ai-provider-name').waitFor();
    const state = (field: string) => dialog.locator(`#ai-provider-${field}`).getAttribute('value-state');
    const fieldMessage = (field: string) => dialog.locator(`#ai-provider-${field} [slot="valueStateMessage"]`).innerText();
    // contrôles du schéma dans le navigateur, avant tout envoi : motif du nom, adresse exigée d'un serveur compatible
    await fill(page, '#ai-provider-name', 'Local LLM');
    await choose(page, '#ai-provider-kind', 'openai-compatible');
    await fill(page, '#ai-provider-chatModel', 'llama-3.1-8b-instruct');
    await dialog.locator('ui5-button[data-action="save-provider"]').click();
    await expect.poll(() => state('name'), ON_SCREEN).toBe('Negative');
    expect(await fieldMessage('name')).toContain('minuscules');
    expect(await state('baseUrl')).toBe('Negative');

    await fill(page, '#ai-provider-name', 'local');
    await fill(page, '#ai-provider-baseUrl', 'http://169.254.169.254/v1');
    await dialog.locator('#ai-provider-on-premises').click();
    await fill(page, '#ai-provider-timeoutSeconds', '30');
    // la clé de ce seul fournisseur : celle de gpt reste telle quelle, sans être retapée
    await fill(page, '#ai-provider-key', 'sk-local');
    await dialog.locator('ui5-button[data-action="save-provider"]').click();
    // refus du serveur (value.1.baseUrl) sur le champ de l'adresse ; rien n'est enregistré
    await expect.poll(() => state('baseUrl'), ON_SCREEN).toBe('Negative');
    expect(await fieldMessage('baseUrl')).toContain('169.254.169.254');
    expect(await state('name')).not.toBe('Negative');
    await screenshot(page, 'console-ai-provider-refused');
    expect((await call('GET', '/api/v1/settings/ai.providers')).value).toEqual([gpt()]);

    await fill(page, '#ai-provider-baseUrl', peers.baseUrl('local'));
    await dialog.locator('ui5-button[data-action="save-provider"]').click();
    await expect.poll(() => dialog.getAttribute('open'), ON_SCREEN).toBeNull();
    const local = section.locator('ui5-table-row[data-provider="local"]');
    await local.waitFor();
    expect(await local.locator('[data-column="location"]').innerText()).toContain('Interne');
    expect(await section.locator('ui5-message-strip[data-notice="providers"]').getAttribute('data-message')).toBe('Positive');

    // routage de l'assistant : le fournisseur interne d'abord, puis gpt
    const assistant = page.locator('ui5-table-row[data-routing="assistant"]');
    expect(await assistant.getAttribute('data-routing-state')).toBe('default');
    await choose(page, '#ai-routing-assistant', 'local');
    await expect.poll(() => assistant.getAttribute('data-routing-state'), ON_SCREEN).toBe('local');
    await choose(page, '#ai-routing-assistant', 'gpt');
    await expect.poll(() => assistant.getAttribute('data-routing-state'), ON_SCREEN).toBe('local,gpt');
    await page.locator('ui5-button[data-action="save-routing"]').click();
    await page.locator('ui5-message-strip[data-notice="routing"][data-message="Positive"]').waitFor();

    // résidence des données : plus de fournisseur externe
    await page.locator('ui5-switch[data-setting="ai.externalProviders"]').click();
    await page.locator('ui5-message-strip[data-notice="policy"][data-message="Positive"]').waitFor();
    await screenshot(page, 'console-ai-providers');

    // enregistré au niveau du tenant ; la clé est scellée : jamais rendue, ni dans la liste ni seule
    const settings = Object.fromEntries(((await call('GET', '/api/v1/settings')).data as Array<{ key: string }>).map((s) => [s.key, s]));
    expect(settings['ai.providers']).toMatchObject({ source: 'tenant', value: [gpt(), {
      name: 'local', kind: 'openai-compatible', baseUrl: peers.baseUrl('local'), chatModel: 'llama-3.1-8b-instruct', timeoutSeconds: 30, external: false,
    }] });
    expect(settings['ai.routing']).toMatchObject({ source: 'tenant', value: { assistant: ['local', 'gpt'] } });
    expect(settings['ai.externalProviders']).toMatchObject({ source: 'tenant', value: false });
    expect(settings['ai.providerKeys']).toMatchObject({ secret: true, isSet: true, setKeys: ['gpt', 'local'], source: 'tenant', default: null });
    expect(await local.locator('[data-column="key"]').innerText()).toContain('Clé enregistrée');
    expect(settings['ai.providerKeys']).not.toHaveProperty('value');
    const keys = await call('GET', '/api/v1/settings/ai.providerKeys');
    expect(keys).not.toHaveProperty('value');
    expect(keys.values).toEqual({});
    expect(JSON.stringify([settings, keys])).not.toMatch(/sk-(local|peer)/);

    // et appliqué : l'assistant appelle le serveur interne avec sa clé, jamais gpt (externe)
    const before = peers.requests.length;
    const chat = await server.app.inject({ method: 'POST', url: '/api/v1/ai/chat', headers: { authorization: `Bearer ${await server.adminToken()}` }, payload: { message: 'Bonjour' } });
    expect(chat.statusCode).toBe(200);
    const sent = peers.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.path.startsWith('/local/'))).toBe(true);
    expect(sent[0]!.headers.authorization).toBe('Bearer sk-local');
    expect(admin.errors).toEqual([]);
  });
});
