// Plongements, transcription de la voix et vision, face à des pairs qui parlent le vrai protocole : repli sur le
// fournisseur suivant capable, comptabilité avec le bon modèle, formulaire multipart d'OpenAI, images envoyées au
// format de chaque fournisseur (OpenAI `image_url`, Anthropic bloc `image`) mais jamais gardées dans l'historique ni
// dans le journal ; entrées refusées avec un message par champ ; ce que le tenant offre (capacités).
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAiModelPeer, vectorOf, type AiModelPeer } from '../../support/ai-model-peers.js';
import { startAiPeers, type AiPeers } from '../../support/ai-peers.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, startServer, type Client, type TestServer } from '../../support/platform.js';
import { parseSse } from '../../support/sse.js';

let models: AiModelPeer;
let chat: AiPeers;
let server: TestServer;
let admin: Client;
let customerId: string;
let png: Buffer;

const PROVIDERS = () => [
  { name: 'claude', kind: 'anthropic', chatModel: 'claude-sonnet-4-5', baseUrl: chat.baseUrl('anthropic') },
  { name: 'broken', kind: 'openai', chatModel: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small', baseUrl: models.baseUrl('broken') },
  { name: 'mistral', kind: 'mistral', chatModel: 'mistral-small-latest', embeddingModel: 'mistral-embed', baseUrl: models.baseUrl('mistral') },
  { name: 'whisper', kind: 'openai-compatible', chatModel: 'llama-3.1-8b', transcriptionModel: 'whisper-1', baseUrl: models.baseUrl('whisper'), external: false },
  { name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: chat.baseUrl('gpt') },
];

beforeAll(async () => {
  [models, chat] = await Promise.all([startAiModelPeer(), startAiPeers()]);
  server = await startServer({ outboundAllowList: () => ['127.0.0.1'] });
  admin = client(server, (await newTenant(server)).token);
  await configure('ai.providers', PROVIDERS());
  await configure('ai.providerKeys', { broken: 'sk-broken', mistral: 'sk-mistral', whisper: 'sk-whisper', gpt: 'sk-gpt', claude: 'sk-ant' });
  await configure('ai.routing', { assistant: ['gpt'], embeddings: ['claude', 'broken', 'mistral'], transcription: ['whisper'] });
  await configure('ai.requestLog', 'content');
  // un essai par fournisseur : le repli se voit sans attendre les délais des nouvelles tentatives
  await configure('ai.retries', 0);
  models.fail('broken');
  const customer = await admin.post('/api/v1/data/customer', { name: 'Verrerie Lumière' });
  customerId = customer.json().id;
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c03030' } }).png().toBuffer();
});
afterAll(async () => {
  await server?.close();
  await Promise.all([models?.close(), chat?.close()]);
});
beforeEach(() => {
  models.requests.length = 0;
  chat.requests.length = 0;
});

async function configure(key: string, value: unknown): Promise<void> {
  const res = await admin.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
  expect(res.statusCode, res.body).toBe(200);
}

async function attach(api: Client, recordId: string, content: Buffer, filename: string): Promise<string> {
  const { payload, contentType } = multipart(content, filename);
  const res = await api.post(`/api/v1/files?entity=customer&recordId=${recordId}`, payload, { 'content-type': contentType });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const lastLog = async () => (await admin.get('/api/v1/ai/requests?limit=1')).json().data[0];

describe('AI models: embeddings, speech-to-text, vision', () => {
  it('tells what the tenant offers, following routing, models and the external-provider switch', async () => {
    expect((await admin.get('/api/v1/ai/capabilities')).json()).toEqual({ assistant: true, suggestions: true, vision: true, embeddings: true, transcription: true, browserSpeech: true });
    await configure('ai.externalProviders', false);
    await configure('ai.browserSpeech', false);
    // seul le serveur interne (whisper, external: false) reste : il transcrit mais n'a pas de modèle de plongements ;
    // sans routage pour les suggestions, son modèle de conversation les sert
    expect((await admin.get('/api/v1/ai/capabilities')).json())
      .toEqual({ assistant: false, suggestions: true, vision: true, embeddings: false, transcription: true, browserSpeech: false });
    await configure('ai.externalProviders', true);
    await configure('ai.browserSpeech', true);
  });

  it('embeds texts with the first able provider, falls back after a failure and accounts the embedding model', async () => {
    const res = await admin.post('/api/v1/ai/embeddings', { input: ['facture fournisseur', 'bon de commande'] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // Anthropic n'offre pas de plongements : sauté sans appel ; « broken » échoue (500) ; Mistral répond
    expect(body).toMatchObject({ provider: 'mistral', model: 'mistral-embed' });
    expect(body.data).toEqual([{ index: 0, embedding: vectorOf('facture fournisseur') }, { index: 1, embedding: vectorOf('bon de commande') }]);
    expect(body.usage.inputTokens).toBe(Math.ceil('facture fournisseur'.length / 4) + Math.ceil('bon de commande'.length / 4));
    const paths = models.requests.map((r) => r.path);
    expect(paths).toEqual(['/broken/v1/embeddings', '/mistral/v1/embeddings']);
    expect(paths.at(-1)).toBe('/mistral/v1/embeddings');
    expect(models.requests.at(-1)).toMatchObject({ authorization: 'Bearer sk-mistral', body: { model: 'mistral-embed', input: ['facture fournisseur', 'bon de commande'] } });
    expect(await lastLog()).toMatchObject({ feature: 'embeddings', provider: 'mistral', model: 'mistral-embed', status: 'ok', inputTokens: body.usage.inputTokens });

    const single = await admin.post('/api/v1/ai/embeddings', { input: 'devis' });
    expect(single.json().data).toEqual([{ index: 0, embedding: vectorOf('devis') }]);
  });

  it('embeds with Ollama through its native /api/embed', async () => {
    await configure('ai.providers', [...PROVIDERS(), { name: 'ollama', kind: 'ollama', chatModel: 'llama3.1', embeddingModel: 'nomic-embed-text', baseUrl: models.baseUrl('ollama'), external: false }]);
    await configure('ai.routing', { embeddings: ['ollama'] });
    const res = await admin.post('/api/v1/ai/embeddings', { input: ['bon de livraison'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ provider: 'ollama', model: 'nomic-embed-text', data: [{ index: 0, embedding: vectorOf('bon de livraison') }] });
    expect(models.requests).toEqual([expect.objectContaining({ path: '/ollama/api/embed', body: expect.objectContaining({ model: 'nomic-embed-text', input: ['bon de livraison'] }) })]);
    await configure('ai.providers', PROVIDERS());
    await configure('ai.routing', { assistant: ['gpt'], embeddings: ['claude', 'broken', 'mistral'], transcription: ['whisper'] });
  });

  it('refuses bad embedding input with field messages', async () => {
    for (const input of ['', [], Array.from({ length: 101 }, () => 'x'), 'x'.repeat(8001), [42]]) {
      const res = await admin.post('/api/v1/ai/embeddings', { input });
      expect(res.statusCode, JSON.stringify(input).slice(0, 40)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(models.requests).toHaveLength(0);
  });

  it('transcribes a voice recording through the OpenAI transcription API and logs its size, never the sound', async () => {
    models.transcript('whisper', 'les clients de Lyon');
    const audio = Buffer.from('OggS fake opus payload for the peer');
    const { payload, contentType } = multipart(audio, 'dictation.webm', 'audio/webm;codecs=opus');
    const res = await admin.post('/api/v1/ai/transcriptions', payload, { 'content-type': contentType });
    expect(res.statusCode, JSON.stringify(await lastLog())).toBe(200);
    expect(res.json()).toEqual({ text: 'les clients de Lyon', language: 'fr', durationSeconds: 2.5, provider: 'whisper', model: 'whisper-1' });
    expect(models.requests).toHaveLength(1);
    expect(models.requests[0]).toMatchObject({
      path: '/whisper/v1/audio/transcriptions', authorization: 'Bearer sk-whisper',
      // le SDK reconnaît le format au contenu (« OggS ») plutôt qu'au type annoncé
      body: { model: 'whisper-1', file: { type: 'audio/ogg', bytes: audio.length } },
    });
    const log = await lastLog();
    expect(log).toMatchObject({ feature: 'transcription', provider: 'whisper', model: 'whisper-1', response: 'les clients de Lyon' });
    expect(log.prompt).toEqual({ audio: { mediaType: 'audio/webm', bytes: audio.length } });
  });

  it('refuses a recording that is not audio, an empty one, or one sent without multipart', async () => {
    const text = multipart(Buffer.from('hello'), 'notes.txt', 'text/plain');
    expect((await admin.post('/api/v1/ai/transcriptions', text.payload, { 'content-type': text.contentType })).statusCode).toBe(415);
    const empty = multipart(Buffer.alloc(0), 'empty.webm', 'audio/webm');
    const res = await admin.post('/api/v1/ai/transcriptions', empty.payload, { 'content-type': empty.contentType });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('file');
    expect((await admin.post('/api/v1/ai/transcriptions', { audio: 'base64' })).statusCode).toBe(415);
    expect(models.requests).toHaveLength(0);
  });

  it('answers 503 in the caller’s language when no provider can transcribe', async () => {
    await configure('ai.routing', { transcription: ['gpt'] });
    const { payload, contentType } = multipart(Buffer.from('sound'), 'a.webm', 'audio/webm');
    const res = await admin.post('/api/v1/ai/transcriptions', payload, { 'content-type': contentType, 'accept-language': 'fr' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'ai_unavailable', detail: expect.stringContaining('Aucun fournisseur') });
    await configure('ai.routing', { assistant: ['gpt'], embeddings: ['claude', 'broken', 'mistral'], transcription: ['whisper'] });
  });

  it('shows attached images to the model in each provider’s format, keeping only their names in the history and log', async () => {
    const imageId = await attach(admin, customerId, png, 'vitrine.png');
    chat.answer('gpt', ['Une vitrine rouge.']);
    const res = await admin.post('/api/v1/ai/chat', { message: 'Que montre cette photo ?', attachments: [imageId] });
    expect(res.statusCode, res.body).toBe(200);
    const done = parseSse(res.body);
    const conversationId = done.find((e) => e.event === 'conversation')!.data.id;
    const user = chat.requests[0]!.body.messages.find((m: any) => m.role === 'user');
    expect(user.content).toEqual([
      { type: 'text', text: 'Que montre cette photo ?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
    ]);
    const conversation = (await admin.get(`/api/v1/ai/conversations/${conversationId}`)).json();
    expect(JSON.stringify(conversation.messages)).not.toContain(png.toString('base64').slice(0, 40));
    expect(conversation.messages[0]).toMatchObject({ role: 'user', content: 'Que montre cette photo ?\n[vitrine.png]' });
    const log = await lastLog();
    expect(JSON.stringify(log.prompt)).not.toContain(png.toString('base64').slice(0, 40));
    expect(JSON.stringify(log.prompt)).toContain(`"bytes":${png.length}`);

    await configure('ai.routing', { assistant: ['claude'] });
    chat.answer('anthropic', ['A red shop window.']);
    expect((await admin.post('/api/v1/ai/chat', { message: 'Describe it', attachments: [imageId] })).statusCode).toBe(200);
    const claudeUser = chat.requests.at(-1)!.body.messages.at(-1);
    expect(claudeUser.content).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } }),
    ]));
    await configure('ai.routing', { assistant: ['gpt'], embeddings: ['claude', 'broken', 'mistral'], transcription: ['whisper'] });
  });

  it('refuses attachments that are not images, and images of another tenant', async () => {
    const textId = await attach(admin, customerId, Buffer.from('just some notes\n'), 'notes.txt');
    const res = await admin.post('/api/v1/ai/chat', { message: 'Lis ceci', attachments: [textId] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'attachments.0', code: 'unsupported_type' });

    const other = client(server, (await newTenant(server)).token);
    const otherCustomer = (await other.post('/api/v1/data/customer', { name: 'Ailleurs' })).json().id;
    const foreign = await attach(other, otherCustomer, png, 'secret.png');
    expect((await admin.post('/api/v1/ai/chat', { message: 'Et celle-ci ?', attachments: [foreign] })).statusCode).toBe(404);
    expect(chat.requests).toHaveLength(0);
  });
});
