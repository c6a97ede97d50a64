// Passerelle d'IA face à des pairs qui parlent le vrai protocole de chaque fournisseur (boucle locale) : réponse en
// flux et usage pour OpenAI, Anthropic, Mistral, Ollama (API native, NDJSON) et un serveur compatible OpenAI (Llama) ; repli sur le fournisseur
// suivant quand l'un échoue ; fournisseurs externes refusés au tenant qui l'a choisi ; adresse de fournisseur
// interdite refusée à l'enregistrement ; clés scellées et jamais renvoyées.
import { jsonSchema, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AiUnavailableError } from '../../../src/ai/gateway.js';
import { startAiPeers, type AiPeers } from '../../support/ai-peers.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let peers: AiPeers;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  peers = await startAiPeers();
  // les pairs écoutent sur la boucle locale : l'exploitant l'ouvre explicitement (le défaut la refuse)
  server = await startServer({ outboundAllowList: () => ['127.0.0.1'] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});
beforeEach(() => {
  peers.requests.length = 0;
});

async function configure(key: string, value: unknown): Promise<void> {
  const res = await admin.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
  expect(res.statusCode, res.body).toBe(200);
}

const PROVIDERS = [
  { name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini' },
  { name: 'claude', kind: 'anthropic', chatModel: 'claude-sonnet-4-5' },
  { name: 'mixtral', kind: 'mistral', chatModel: 'open-mixtral-8x7b' },
  { name: 'llama', kind: 'openai-compatible', chatModel: 'llama-3.1-8b-instruct', external: false },
  { name: 'ollama', kind: 'ollama', chatModel: 'llama3.1:8b', external: false },
];

/** Préfixe du pair de chaque fournisseur : son protocole suit le nom du préfixe. */
const PEER_PREFIX: Record<string, string> = { gpt: 'gpt', claude: 'anthropic', mixtral: 'mistral', llama: 'llama', ollama: 'ollama' };

/** Liste des fournisseurs pointés sur leurs pairs ; `extra` complète la configuration de certains. */
const providersOnPeers = (extra: Record<string, object> = {}) =>
  PROVIDERS.map((p) => ({ ...p, baseUrl: peers.baseUrl(PEER_PREFIX[p.name]!), ...extra[p.name] }));

const ask = (feature: 'assistant' | 'automation', deltas: string[] = []) => server.platform.ai.chat({
  tenantId: tenant.tenantId, feature, system: 'Réponds en français.',
  messages: [{ role: 'user', content: 'Quels clients à Lyon ?' }], onText: (d) => deltas.push(d),
});

describe('AI gateway', () => {
  beforeAll(async () => {
    await configure('ai.providers', providersOnPeers());
    await configure('ai.providerKeys', { gpt: 'sk-peer-openai', claude: 'sk-ant-peer', mixtral: 'mistral-peer', llama: 'llama-peer' });
  });

  it.each([
    ['gpt', 'gpt', 'authorization', 'Bearer sk-peer-openai'],
    ['claude', 'anthropic', 'x-api-key', 'sk-ant-peer'],
    ['mixtral', 'mistral', 'authorization', 'Bearer mistral-peer'],
    ['llama', 'llama', 'authorization', 'Bearer llama-peer'],
    // Ollama n'a pas de clé
    ['ollama', 'ollama', 'authorization', undefined],
  ])('streams an answer from %s in its own wire format, with its key and the usage it reports', async (name, prefix, header, key) => {
    await configure('ai.routing', { assistant: [name] });
    peers.answer(prefix, ['Deux clients ', 'à Lyon.']);
    const deltas: string[] = [];
    const result = await ask('assistant', deltas);
    expect(result).toMatchObject({ text: 'Deux clients à Lyon.', provider: name, usage: { inputTokens: 12, outputTokens: 3 }, failures: [] });
    expect(deltas.join('')).toBe('Deux clients à Lyon.');
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    const [sent] = peers.requests;
    expect(sent!.headers[header]).toBe(key);
    expect(sent!.body.stream).toBe(true);
    expect(sent!.body.model).toBe(PROVIDERS.find((p) => p.name === name)!.chatModel);
    // le message système et la question arrivent au fournisseur
    expect(JSON.stringify(sent!.body)).toContain('Réponds en français.');
    expect(JSON.stringify(sent!.body)).toContain('Quels clients à Lyon ?');
  });

  /** Résultat d'outil tel que chaque protocole le renvoie au modèle : rôle `tool` (OpenAI, Mistral), bloc `tool_result` (Anthropic). */
  const toolResultSent = (body: Record<string, any>): string => {
    for (const message of [...body.messages].reverse()) {
      if (message.role === 'tool') return String(message.content);
      const block = Array.isArray(message.content) && message.content.find((c: any) => c.type === 'tool_result');
      if (block) return typeof block.content === 'string' ? block.content : JSON.stringify(block.content);
    }
    return '';
  };

  it.each(['gpt', 'claude', 'mixtral', 'llama', 'ollama'])('runs a tool loop with %s in its wire format: call, result sent back, final answer', async (name) => {
    await configure('ai.routing', { assistant: [name] });
    const prefix = PEER_PREFIX[name]!;
    peers.answer(prefix, (body, call) => (call === 0
      ? { toolCalls: [{ name: 'count_customers', input: { city: 'Lyon' } }] }
      : [`Il y a ${JSON.parse(toolResultSent(body)).count} clients.`]));
    const inputs: unknown[] = [];
    const result = await server.platform.ai.chat({
      tenantId: tenant.tenantId, feature: 'assistant', maxSteps: 3,
      messages: [{ role: 'user', content: 'Combien de clients à Lyon ?' }],
      tools: {
        count_customers: tool({
          description: 'Count customers in a city',
          inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
          execute: async (input) => {
            inputs.push(input);
            return { count: 2 };
          },
        }),
      },
    });
    expect(inputs).toEqual([{ city: 'Lyon' }]);
    expect(result).toMatchObject({ text: 'Il y a 2 clients.', provider: name, usage: { inputTokens: 24, outputTokens: 6 } });
    expect(peers.requests).toHaveLength(2);
    // l'outil est décrit au fournisseur à sa façon (OpenAI/Mistral : function, Anthropic : input_schema)
    expect(JSON.stringify(peers.requests[0]!.body.tools)).toContain('count_customers');
    expect(JSON.parse(toolResultSent(peers.requests[1]!.body))).toEqual({ count: 2 });
  });

  it('falls back when a provider sends a malformed stream before any text', async () => {
    await configure('ai.retries', 0);
    await configure('ai.routing', { assistant: ['mixtral', 'claude'] });
    peers.answer('mistral', 'malformed');
    peers.answer('anthropic', ['Réponse valide.']);
    const result = await ask('assistant');
    expect(result).toMatchObject({ provider: 'claude', text: 'Réponse valide.' });
    expect(result.failures.map((f) => f.provider)).toEqual(['mixtral']);
  });

  it('falls back to the next provider of the feature when one fails, and says which failed', async () => {
    await configure('ai.retries', 0);
    await configure('ai.routing', { automation: ['gpt', 'claude'] });
    peers.answer('gpt', { status: 500 });
    peers.answer('anthropic', ['Classé : prospect.']);
    const result = await ask('automation');
    expect(result).toMatchObject({ text: 'Classé : prospect.', provider: 'claude' });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ provider: 'gpt' });
    expect(peers.requests.map((r) => r.path)).toEqual(['/gpt/v1/chat/completions', '/anthropic/v1/messages']);
  });

  it('retries a rate-limited provider before falling back', async () => {
    await configure('ai.retries', 1);
    await configure('ai.routing', { automation: ['gpt', 'claude'] });
    peers.answer('gpt', { status: 429 });
    peers.answer('anthropic', ['Fait.']);
    const result = await ask('automation');
    expect(result.provider).toBe('claude');
    expect(peers.requests.filter((r) => r.path.startsWith('/gpt/')).length).toBe(2);
    await configure('ai.retries', 0);
  });

  it('gives up on a provider that does not answer within its timeout, and falls back', async () => {
    await configure('ai.providers', providersOnPeers({ gpt: { timeoutSeconds: 1 } }));
    await configure('ai.routing', { assistant: ['gpt', 'llama'] });
    peers.answer('gpt', 'hang');
    peers.answer('llama', ['Réponse de secours.']);
    const result = await ask('assistant');
    expect(result).toMatchObject({ provider: 'llama', text: 'Réponse de secours.' });
    expect(result.failures.map((f) => f.provider)).toEqual(['gpt']);
  });

  it('keeps a tenant that refuses external providers on its on-premises servers, and says when none is left', async () => {
    await configure('ai.externalProviders', false);
    await configure('ai.routing', { assistant: ['gpt', 'llama'] });
    peers.answer('llama', ['Réponse locale.']);
    const result = await ask('assistant');
    expect(result.provider).toBe('llama');
    expect(peers.requests.some((r) => r.path.startsWith('/gpt/'))).toBe(false);

    await configure('ai.routing', { assistant: ['gpt', 'claude'] });
    peers.requests.length = 0;
    const refused = await ask('assistant').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AiUnavailableError);
    expect(String((refused as Error).message)).toMatch(/No AI provider is configured or allowed for assistant/);
    expect(peers.requests).toEqual([]);
    await configure('ai.externalProviders', true);
  });

  it('refuses a provider address the outbound policy forbids, field by field, in the caller’s language', async () => {
    const res = await admin.put('/api/v1/settings/ai.providers', {
      value: [PROVIDERS[0], { name: 'meta', kind: 'openai-compatible', chatModel: 'x', baseUrl: 'http://169.254.169.254/latest' }], level: 'tenant',
    }, { 'accept-language': 'fr' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'value.1.baseUrl', code: 'target_not_allowed' })]);
    const bad = await admin.put('/api/v1/settings/ai.providers', { value: [{ name: 'x', kind: 'telepathy', chatModel: 'y' }], level: 'tenant' });
    expect(bad.statusCode).toBe(400);
  });

  it('never returns the provider keys', async () => {
    const res = await admin.get('/api/v1/settings/ai.providerKeys');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('sk-peer-openai');
  });
});
