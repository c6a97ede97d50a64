// Assistant dans Chromium : en français, « les clients de Lyon » part au fournisseur (pair local au protocole
// OpenAI), qui cherche les adresses de Lyon puis les clients correspondants par les outils ; la réponse arrive en
// flux avec des liens vers les fiches, et un lien mène à la fiche du client ; « Expliquer » sur une fiche pose la
// question à l'assistant, qui lit l'enregistrement par l'outil get_record ; la dictée enregistre le micro (simulé)
// et la question revient transcrite par le fournisseur du tenant (pair local au protocole de transcription d'OpenAI).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiModelPeer, type AiModelPeer } from '../../../backend/test/support/ai-model-peers.js';
import { startAiPeers, type AiPeers } from '../../../backend/test/support/ai-peers.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { fill, launchBrowser, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { demoAccount, startDemoServer, type E2EServer } from './support/server.js';

let server: E2EServer;
let browser: Browser;
let peers: AiPeers;
let speech: AiModelPeer;
let user: WatchedPage;

const toolOutput = (body: Record<string, any>) => JSON.parse(String([...body.messages].reverse().find((m: any) => m.role === 'tool').content));

beforeAll(async () => {
  [peers, speech] = await Promise.all([startAiPeers(), startAiModelPeer()]);
  [server, browser] = await Promise.all([startDemoServer({ outboundAllowList: () => ['127.0.0.1'] }), launchBrowser({ fakeMicrophone: true })]);
  const headers = { authorization: `Bearer ${await server.adminToken()}` };
  for (const [key, value] of Object.entries({
    'ai.providers': [
      { name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt') },
      { name: 'whisper', kind: 'openai-compatible', chatModel: 'none', transcriptionModel: 'whisper-1', baseUrl: speech.baseUrl('whisper'), external: false },
    ],
    'ai.providerKeys': { gpt: 'sk-peer' },
    'ai.routing': { assistant: ['gpt'], transcription: ['whisper'] },
    // la reconnaissance du navigateur joindrait le service de son éditeur : la dictée passe par le fournisseur du tenant
    'ai.browserSpeech': false,
  })) {
    const res = await server.app.inject({ method: 'PUT', url: `/api/v1/settings/${key}`, headers, payload: { value, level: 'tenant' } });
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  peers.answer('gpt', (body, call) => {
    if (call === 0) return { toolCalls: [{ name: 'search_records', input: { entity: 'address', filter: { city: 'Lyon' }, limit: 50 } }] };
    if (call === 1) {
      const parties = toolOutput(body).records.map((a: { party: string }) => a.party);
      return { toolCalls: [{ name: 'search_records', input: { entity: 'customer', filter: { id: { in: parties } }, limit: 5 } }] };
    }
    const customers = toolOutput(body).records as Array<{ id: string; name: string }>;
    return ['Voici les clients de Lyon : ', ...customers.map((c, i) => `${i ? ', ' : ''}[${c.name}](/data/customer/${c.id})`), '.'];
  });
  const account = await demoAccount(server, 'Demo administrator', 'fr');
  user = await openPage(browser, { locale: 'fr-FR' });
  await signIn(user.page, server.url, account.email, account.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.all([peers?.close(), speech?.close()]);
});

describe('assistant panel', () => {
  it('answers “les clients de Lyon” in French with links to the customers it found', async () => {
    const { page } = user;
    await page.locator('ui5-shellbar').getByRole('button', { name: 'Assistant' }).first().click();
    const panel = page.getByTestId('assistant-panel');
    await panel.waitFor();
    await fill(page, '[data-role="question"]', 'Quels sont les clients de Lyon ?');
    await page.locator('ui5-button[data-action="ask"]').click();

    const turn = panel.locator('[data-turn="0"][data-done="true"]');
    await turn.waitFor(ON_SCREEN);
    const answer = await turn.locator('[data-role="answer"]').innerText();
    expect(answer).toContain('Voici les clients de Lyon');
    const links = turn.locator('[data-role="answer"] ui5-link');
    expect(await links.count()).toBeGreaterThan(0);
    const target = await links.first().getAttribute('data-link');
    expect(target).toMatch(/^\/data\/customer\/[0-9a-f-]{36}$/);
    // les enregistrements lus sont aussi cités sous la réponse
    expect(await turn.locator('[data-role="citations"] ui5-link').count()).toBeGreaterThan(0);
    // trois appels au fournisseur : adresses, clients, réponse
    expect(peers.requests).toHaveLength(3);
    await screenshot(page, 'assistant-lyon');

    await links.first().click();
    await expect.poll(() => new URL(page.url()).pathname, ON_SCREEN).toBe(`/app${target}`);
    expect(user.errors).toEqual([]);
  });

  it('explains the open record from its page through the assistant', async () => {
    const { page } = user;
    const id = new URL(page.url()).pathname.split('/').pop()!;
    peers.requests.length = 0;
    peers.answer('gpt', (body, call) => {
      if (call === 0) {
        const asked = String(body.messages.at(-1).content);
        return { toolCalls: [{ name: 'get_record', input: { entity: 'customer', id: /[0-9a-f-]{36}/.exec(asked)![0] } }] };
      }
      return [`Résumé : ${toolOutput(body).name}, client.`];
    });
    // le panneau couvre le côté droit de la page : fermé, puis rouvert par la page elle-même
    await page.getByTestId('assistant-panel').locator('ui5-button[icon="decline"]').click();
    await page.getByTestId('assistant-panel').waitFor({ state: 'detached' });
    await page.locator('ui5-toolbar-button[data-action="explain"]').click();
    const turn = page.getByTestId('assistant-panel').locator('[data-done="true"]').last();
    await expect.poll(async () => (await turn.count()) && turn.locator('[data-role="answer"]').innerText(), ON_SCREEN).toContain('Résumé :');
    expect(JSON.stringify(peers.requests[0]!.body.messages)).toContain(id);
    expect(peers.requests[1]!.body.messages.find((m: any) => m.role === 'tool').content).toContain(id);
    expect(user.errors).toEqual([]);
  });

  it('dictates a question: the microphone is recorded and transcribed by the tenant’s provider', async () => {
    const { page } = user;
    speech.transcript('whisper', 'les clients de Lyon');
    const panel = page.getByTestId('assistant-panel');
    const dictate = panel.locator('ui5-button[data-action="dictate"]');
    await dictate.click();
    await panel.locator('ui5-button[data-action="dictate"][data-state="listening"]').waitFor();
    await page.waitForTimeout(800);
    await dictate.click();
    const question = panel.locator('[data-role="question"]');
    await expect.poll(() => question.evaluate((el) => (el as unknown as { value: string }).value), ON_SCREEN).toBe('les clients de Lyon');
    expect(speech.requests).toHaveLength(1);
    const sent = speech.requests[0]!;
    expect(sent.path).toBe('/whisper/v1/audio/transcriptions');
    expect(sent.body.model).toBe('whisper-1');
    // serveur interne sans clé : aucun en-tête d'autorisation
    expect(sent.authorization).toBeUndefined();
    // le son enregistré par le navigateur (WebM/Opus du micro simulé) est bien parti au fournisseur
    expect((sent.body.file as { bytes: number }).bytes).toBeGreaterThan(500);
    await screenshot(page, 'assistant-dictation');
    expect(user.errors).toEqual([]);
  });
});
