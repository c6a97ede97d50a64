// Action `ai` des règles d'automatisation face à un pair au protocole OpenAI (sortie structurée `json_schema`) :
// validation de la règle champ par champ ; classement mis en file d'approbation puis approuvé ; résumé appliqué
// aussitôt avec sa provenance, sans se redéclencher ; valeur refusée par la validation de l'entité → échec gardé.
import { defineEntity } from '@opsflux/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAiPeers, type AiPeers } from '../../support/ai-peers.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { ON_SCREEN } from '../../support/timeouts.js';

const ticket = defineEntity({
  name: 'support_ticket',
  label: { en: 'Support ticket', fr: 'Ticket' },
  display: 'subject',
  fields: {
    subject: { type: 'string', required: true },
    body: { type: 'text' },
    category: { type: 'enum', options: { values: ['billing', 'bug', 'other'] } },
    summary: { type: 'string', maxLength: 200 },
    urgency: { type: 'integer', min: 1, max: 5 },
    stamp: { type: 'string', readOnly: true },
  },
});

let peers: AiPeers;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  peers = await startAiPeers();
  server = await startServer({ entities: [ticket], outboundAllowList: () => ['127.0.0.1'] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  for (const [key, value] of Object.entries({
    'ai.providers': [{ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt') }],
    'ai.providerKeys': { gpt: 'sk-peer' },
  })) expect((await admin.put(`/api/v1/settings/${key}`, { value, level: 'tenant' })).statusCode).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});
beforeEach(async () => {
  peers.requests.length = 0;
  // une règle par test : les précédentes sont désactivées
  for (const r of (await admin.get('/api/v1/data/hook_rule')).json().data) await admin.patch(`/api/v1/data/hook_rule/${r.id}`, { active: false });
});

const rule = (action: Record<string, unknown>, events = ['created']) =>
  admin.post('/api/v1/data/hook_rule', { name: `ai ${String(action.task)}`, entity: 'support_ticket', events, actions: [{ type: 'ai', ...action }] });

const suggestionsOf = async (recordId: string) => (await admin.get(`/api/v1/ai/suggestions?${qs({ recordId })}`)).json().data as Array<Record<string, any>>;
const settled = async (recordId: string) => {
  await expect.poll(async () => (await suggestionsOf(recordId)).length, ON_SCREEN).toBe(1);
  return (await suggestionsOf(recordId))[0]!;
};

describe('AI actions in automation rules', () => {
  it('validates the action field by field', async () => {
    const res = await rule({ task: 'divine', prompt: '', fields: ['ghost', 'stamp'], approval: 'yes' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'actions[0].approval', 'actions[0].fields[0]', 'actions[0].fields[1]', 'actions[0].prompt', 'actions[0].task',
    ]);
  });

  it('classifies through the job queue and holds the result for approval', async () => {
    expect((await rule({ task: 'classify', prompt: 'Ticket: {{subject}}\n{{body}}', fields: ['category'], approval: true })).statusCode).toBe(201);
    peers.answer('gpt', ['{"values":{"category":"billing"},', '"confidence":0.92}']);
    const created = (await admin.post('/api/v1/data/support_ticket', { subject: 'Invoice 42 charged twice', body: 'Please refund.' })).json();
    const suggestion = await settled(created.id);
    expect(suggestion).toMatchObject({ status: 'pending', task: 'classify', values: { category: 'billing' }, provider: 'gpt', model: 'gpt-4o-mini', ruleName: 'ai classify' });
    expect(suggestion.confidence).toBeCloseTo(0.92);
    // le prompt rempli et le schéma de sortie (valeurs de l'énumération) sont partis au fournisseur
    const [sent] = peers.requests;
    expect(JSON.stringify(sent!.body.messages)).toContain('Invoice 42 charged twice');
    expect(JSON.stringify(sent!.body.response_format)).toContain('"billing","bug","other"');
    // rien n'est écrit avant l'approbation
    expect((await admin.get(`/api/v1/data/support_ticket/${created.id}`)).json().category).toBeNull();
    expect((await admin.get(`/api/v1/ai/suggestions?${qs({ status: 'pending' })}`)).json().data.map((s: any) => s.id)).toContain(suggestion.id);

    const approved = await admin.post(`/api/v1/ai/suggestions/${suggestion.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'applied', decidedBy: expect.any(String) });
    expect((await admin.get(`/api/v1/data/support_ticket/${created.id}`)).json().category).toBe('billing');
    expect((await admin.post(`/api/v1/ai/suggestions/${suggestion.id}/reject`)).statusCode).toBe(409);
  });

  it('applies a summary at once, with its provenance, without triggering itself again', async () => {
    expect((await rule({ task: 'summarise', prompt: 'Summarise: {{body}}', fields: ['summary'] }, ['created', 'updated'])).statusCode).toBe(201);
    peers.answer('gpt', ['{"values":{"summary":"Customer asks for a refund."},"confidence":0.8}']);
    const created = (await admin.post('/api/v1/data/support_ticket', { subject: 'Refund', body: 'I was charged twice, please refund me.' })).json();
    const suggestion = await settled(created.id);
    expect(suggestion).toMatchObject({ status: 'applied', values: { summary: 'Customer asks for a refund.' }, decidedBy: null });
    const record = (await admin.get(`/api/v1/data/support_ticket/${created.id}`)).json();
    expect(record.summary).toBe('Customer asks for a refund.');
    // l'écriture de l'action ne relance pas l'action (un seul appel au fournisseur)
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(peers.requests).toHaveLength(1);
    // la provenance se lit aussi dans l'historique de l'enregistrement : l'écriture porte l'id de la suggestion
    const history = (await admin.get(`/api/v1/data/support_ticket/${created.id}/history`)).json().data;
    expect(history.some((h: any) => h.requestId === `ai:${suggestion.id}`)).toBe(true);
  });

  it('extracts from the images attached to the record, sent with the prompt', async () => {
    expect((await rule({ task: 'extract', prompt: 'Invoice number in the photo of ticket {{subject}}', fields: ['summary'], files: true }, ['updated'])).statusCode).toBe(201);
    peers.answer('gpt', ['{"values":{"summary":"INV-2026-117"},"confidence":0.7}']);
    const created = (await admin.post('/api/v1/data/support_ticket', { subject: 'Scanned invoice' })).json();
    const png = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#2050a0' } }).png().toBuffer();
    const upload = multipart(png, 'invoice.png');
    expect((await admin.post(`/api/v1/files?${qs({ entity: 'support_ticket', recordId: created.id })}`, upload.payload, { 'content-type': upload.contentType })).statusCode).toBe(201);
    const notes = multipart(Buffer.from('not an image\n'), 'notes.txt');
    expect((await admin.post(`/api/v1/files?${qs({ entity: 'support_ticket', recordId: created.id })}`, notes.payload, { 'content-type': notes.contentType })).statusCode).toBe(201);
    await admin.patch(`/api/v1/data/support_ticket/${created.id}`, { body: 'see attachment' });
    const suggestion = await settled(created.id);
    expect(suggestion).toMatchObject({ status: 'applied', values: { summary: 'INV-2026-117' } });
    // l'image (et elle seule) est partie avec le prompt, au format du fournisseur
    const user = peers.requests[0]!.body.messages.find((m: any) => m.role === 'user');
    expect(user.content).toEqual([
      { type: 'text', text: 'Invoice number in the photo of ticket Scanned invoice' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
    ]);
    expect((await rule({ task: 'extract', prompt: 'x', fields: ['summary'], files: 'yes' })).json().errors[0].field).toBe('actions[0].files');
  });

  it('keeps a value the entity refuses as a failed suggestion instead of writing it', async () => {
    expect((await rule({ task: 'score', prompt: 'Urgency 1 to 5 of: {{subject}}', fields: ['urgency'] })).statusCode).toBe(201);
    peers.answer('gpt', ['{"values":{"urgency":9},"confidence":0.5}']);
    const created = (await admin.post('/api/v1/data/support_ticket', { subject: 'Server down' })).json();
    const suggestion = await settled(created.id);
    expect(suggestion.status).toBe('failed');
    expect(suggestion.error).toContain('urgency');
    expect((await admin.get(`/api/v1/data/support_ticket/${created.id}`)).json().urgency).toBeNull();
  });
});
