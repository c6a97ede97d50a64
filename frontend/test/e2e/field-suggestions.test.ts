// Suggestion d'IA sur un champ d'une fiche dans Chromium, face à un pair local au protocole OpenAI : le type d'un
// partenaire (champ du cœur configuré pour les suggestions) ; en édition, le bouton IA du champ envoie le formulaire,
// la valeur proposée remplit la liste avec la confiance dessous (formulaire conforme à axe-core) ; rien n'est écrit
// avant l'enregistrement, qui la garde (constaté par l'API). Dans la console, le concepteur d'entités pose l'option
// sur un nouveau champ personnalisé, avec sa consigne, puis la change.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiPeers, type AiPeers } from '../../../backend/test/support/ai-peers.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { choose, fill, launchBrowser, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, demoAccount, startDemoServer, type E2EServer } from './support/server.js';
import { adminCall } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let peers: AiPeers;
let user: WatchedPage;

const call = adminCall(() => server);
const api = (url: string) => call('GET', url);

beforeAll(async () => {
  peers = await startAiPeers();
  [server, browser] = await Promise.all([startDemoServer({ outboundAllowList: () => ['127.0.0.1'] }), launchBrowser()]);
  const headers = { authorization: `Bearer ${await server.adminToken()}` };
  for (const [key, value] of Object.entries({
    'ai.providers': [{ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt') }],
    'ai.providerKeys': { gpt: 'sk-peer' },
  })) {
    const res = await server.app.inject({ method: 'PUT', url: `/api/v1/settings/${key}`, headers, payload: { value, level: 'tenant' } });
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  peers.answer('gpt', ['{"values":{"partnerType":"integrator"},', '"confidence":0.85}']);
  const account = await demoAccount(server, 'Demo administrator', 'en');
  user = await openPage(browser);
  await signIn(user.page, server.url, account.email, account.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await peers?.close();
});

describe('AI suggestions on fields', () => {
  it('fills the partner type from the AI button of the form, which the user then saves', async () => {
    const [partner] = (await api(`/api/v1/data/partner?filter=${encodeURIComponent(JSON.stringify({ partnerType: 'reseller' }))}&limit=1`)).data;
    const { page } = user;
    await page.goto(`${server.url}/app/data/partner/${partner.id}`);
    await page.locator('ui5-toolbar-button[icon="edit"]').click();
    // le nom, changé dans le formulaire et pas encore enregistré, part avec la question
    await page.locator('#field-name').waitFor();
    await fill(page, '#field-name', 'Systems Integration Partners');
    await page.locator('ui5-button[data-suggest="partnerType"]').click();

    const note = page.locator('[data-suggestion-note="partnerType"]');
    await expect.poll(async () => (await note.count()) && note.innerText(), ON_SCREEN).toContain('85%');
    expect(await page.locator('#field-partnerType').evaluate((el) => (el as unknown as { value: string }).value)).toBe('integrator');
    expect(peers.requests).toHaveLength(1);
    const sent = JSON.stringify(peers.requests[0]!.body.messages);
    expect(sent).toContain('Systems Integration Partners');
    expect(sent).toContain('resell our products');
    // rien n'est écrit avant l'enregistrement
    expect((await api(`/api/v1/data/partner/${partner.id}`)).partnerType).toBe('reseller');
    await screenshot(page, 'field-suggestion');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('ui5-bar[design="FloatingFooter"] ui5-button[design="Emphasized"]').click();
    await expect.poll(() => page.locator('#field-partnerType').innerText(), ON_SCREEN).toBe('integrator');
    expect((await api(`/api/v1/data/partner/${partner.id}`))).toMatchObject({ partnerType: 'integrator', name: 'Systems Integration Partners' });
    expect(user.errors).toEqual([]);
  });

  it('offers AI suggestions on a custom field from the entity designer, and changes its instruction afterwards', async () => {
    const admin = await openPage(browser);
    const { page } = admin;
    await signIn(page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD, 'server');
    await page.goto(`${server.url}/server/admin/entities`);
    await fill(page, '#designer-entity', 'Client');
    await page.locator('ui5-cb-item[text="Client"]').click();
    await page.locator('[data-field-row="customerCode"]').waitFor();
    await fill(page, '#new-field-name', 'sector');
    await choose(page, '#new-field-type', 'enum');
    await fill(page, '#new-field-values', 'retail, industry, services');
    await page.locator('#new-field-ai-enabled').getByRole('checkbox').click();
    await fill(page, '#new-field-ai-prompt', 'Guess the sector from the name');
    await page.locator('ui5-button[data-action="add-field"]').click();
    const row = page.locator('[data-field-row="sector"]');
    await row.waitFor();
    const sector = async () => (await api('/api/v1/meta/entities/customer')).fields.find((f: { name: string }) => f.name === 'sector');
    expect((await sector()).aiSuggest).toEqual({ prompt: 'Guess the sector from the name' });

    await row.locator('ui5-button[data-action="edit-ai-suggest"]').click();
    await fill(page, '#edit-field-ai-prompt', 'Guess the business sector from the name and the notes');
    await page.locator('ui5-button[data-action="save-ai-suggest"]').click();
    await expect.poll(async () => (await sector()).aiSuggest, ON_SCREEN).toEqual({ prompt: 'Guess the business sector from the name and the notes' });
    await page.locator('[data-dialog="ai-suggest"]').waitFor({ state: 'hidden' });
    await screenshot(page, 'console-designer-ai-suggest');
    expect(admin.errors).toEqual([]);
  });
});
