// Suggestions d'IA sur les champs des fiches face à un pair au protocole OpenAI (sortie structurée `json_schema`) :
// l'option dans les métadonnées (champ déclaré en code, champ personnalisé créé puis modifié) ; une liste de valeurs
// suggérée d'après l'enregistrement et les valeurs du formulaire, sans rien écrire ; un champ masqué par une règle de
// champ n'atteint jamais le fournisseur ; droits de l'entité et du champ, champ sans l'option, enregistrement d'un
// autre tenant ; réponse hors des contraintes du champ (502) ; aucun fournisseur (503).
import { defineEntity } from '@opsflux/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAiPeers, type AiPeers } from '../../support/ai-peers.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const ticket = defineEntity({
  name: 'support_ticket',
  label: { en: 'Support ticket', fr: 'Ticket' },
  display: 'subject',
  fields: {
    subject: { type: 'string', required: true },
    body: { type: 'text' },
    category: { type: 'enum', options: { values: ['billing', 'bug', 'other'] }, aiSuggest: { prompt: 'Classify the ticket by what the customer asks.' } },
    summary: { type: 'string', maxLength: 40, aiSuggest: true },
    internalNote: { type: 'text' },
    urgency: { type: 'integer', min: 1, max: 5 },
    customer: { type: 'ref', options: { to: 'customer' } },
  },
});

let peers: AiPeers;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let kit: ReturnType<typeof memberKit>;

beforeAll(async () => {
  peers = await startAiPeers();
  server = await startServer({ entities: [ticket], outboundAllowList: () => ['127.0.0.1'] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  kit = memberKit(server, tenant, admin);
  await configure(admin, 'ai.providers', [{ name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl('gpt') }]);
  await configure(admin, 'ai.providerKeys', { gpt: 'sk-peer' });
  await configure(admin, 'ai.retries', 0);
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});
beforeEach(() => {
  peers.requests.length = 0;
  peers.answer('gpt', ['{"values":{"category":"billing"},', '"confidence":0.9}']);
});

async function configure(api: Client, key: string, value: unknown): Promise<void> {
  const res = await api.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
  expect(res.statusCode, res.body).toBe(200);
}

async function newTicket(data: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await admin.post('/api/v1/data/support_ticket', data);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const suggest = (api: Client, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.post('/api/v1/ai/field-suggestions', { entity: 'support_ticket', ...body }, headers);

/** Tout ce que le fournisseur a reçu (consignes, messages, schéma), en texte. */
const sentToProvider = () => JSON.stringify(peers.requests.map((r) => r.body));

describe('AI suggestions on fields', () => {
  it('exposes the option in the metadata, for declared and custom fields, and lets administrators change it on custom ones', async () => {
    const meta = (await admin.get('/api/v1/meta/entities/support_ticket')).json();
    const byName = Object.fromEntries(meta.fields.map((f: { name: string }) => [f.name, f]));
    expect(byName.category.aiSuggest).toEqual({ prompt: 'Classify the ticket by what the customer asks.' });
    expect(byName.summary.aiSuggest).toEqual({});
    expect(byName.urgency.aiSuggest).toBeUndefined();
    expect((await admin.get('/api/v1/ai/capabilities')).json().suggestions).toBe(true);

    // un champ personnalisé : posée à la création, refusée sur un type que le modèle ne sait pas remplir
    const refused = await admin.post('/api/v1/meta/entities/support_ticket/fields', { name: 'linked', type: 'ref', options: { to: 'customer' }, aiSuggest: true }, { 'accept-language': 'fr' });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'aiSuggest', code: 'not_ai_fillable', message: expect.stringContaining('Les suggestions d’IA') })]);
    const added = await admin.post('/api/v1/meta/entities/support_ticket/fields', { name: 'mood', type: 'enum', options: { values: ['calm', 'angry'] }, aiSuggest: true });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().aiSuggest).toEqual({});
    // puis changée : une consigne, puis retirée ; un champ déclaré en code ne se change pas ainsi
    const changed = await admin.patch('/api/v1/meta/entities/support_ticket/fields/mood', { aiSuggest: { prompt: 'How does the customer feel?' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().aiSuggest).toEqual({ prompt: 'How does the customer feel?' });
    const mood = (await admin.get('/api/v1/meta/entities/support_ticket')).json().fields.find((f: { name: string }) => f.name === 'mood');
    expect(mood.aiSuggest).toEqual({ prompt: 'How does the customer feel?' });
    expect((await admin.patch('/api/v1/meta/entities/support_ticket/fields/mood', { aiSuggest: { prompt: 7 }, label: 'x' })).json().errors.map((e: any) => e.field).sort())
      .toEqual(['aiSuggest.prompt', 'label']);
    expect((await admin.patch('/api/v1/meta/entities/support_ticket/fields/category', { aiSuggest: false })).statusCode).toBe(409);

    peers.answer('gpt', ['{"values":{"mood":"angry"},"confidence":0.7}']);
    const created = await newTicket({ subject: 'Third time I write!' });
    const res = await suggest(admin, { field: 'mood', recordId: created.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ field: 'mood', value: 'angry' });
    expect(sentToProvider()).toContain('How does the customer feel?');

    expect((await admin.patch('/api/v1/meta/entities/support_ticket/fields/mood', { aiSuggest: false })).json().aiSuggest).toBeUndefined();
    expect((await suggest(admin, { field: 'mood', recordId: created.id })).json().errors[0].code).toBe('ai_not_suggested');
  });

  it('suggests one of the values of a list from the record under the unsaved form values, and writes nothing', async () => {
    const created = await newTicket({ subject: 'Invoice 42 charged twice', body: 'Stored body text.', internalNote: 'Agent note about VIP status' });
    const res = await suggest(admin, { field: 'category', recordId: created.id, values: { body: 'I paid twice, please refund me.', ghost: 'not a field' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'category', value: 'billing', confidence: 0.9, provider: 'gpt', model: 'gpt-4o-mini' });

    expect(peers.requests).toHaveLength(1);
    const [sent] = peers.requests;
    // le schéma de sortie : les valeurs de la liste et la confiance
    expect(JSON.stringify(sent!.body.response_format)).toContain('"enum":["billing","bug","other"]');
    const text = sentToProvider();
    // l'enregistrement de la base, sous les valeurs du formulaire ; la consigne du champ ; rien d'inconnu
    expect(text).toContain('Invoice 42 charged twice');
    expect(text).toContain('I paid twice, please refund me.');
    expect(text).not.toContain('Stored body text.');
    expect(text).toContain('Classify the ticket by what the customer asks.');
    expect(text).toContain('Agent note about VIP status');
    expect(text).not.toContain('not a field');

    // rien n'est écrit : ni la valeur, ni une version, ni une ligne d'historique
    const after = (await admin.get(`/api/v1/data/support_ticket/${created.id}`)).json();
    expect(after).toMatchObject({ category: null, version: created.version, body: 'Stored body text.' });
    expect((await admin.get(`/api/v1/data/support_ticket/${created.id}/history`)).json().data).toHaveLength(1);
    // l'appel est compté sous sa propre fonction
    const usage = (await admin.get('/api/v1/ai/usage?groupBy=feature')).json().data;
    expect(usage.find((u: { key: string }) => u.key === 'suggestions')?.calls).toBeGreaterThan(0);
  });

  it('suggests for a record being created (no recordId) from the form values alone', async () => {
    peers.answer('gpt', ['{"values":{"summary":"Printer on floor 2 jams"},"confidence":0.6}']);
    const res = await suggest(admin, { field: 'summary', values: { subject: 'Printer', body: 'The printer on the second floor keeps jamming.' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ field: 'summary', value: 'Printer on floor 2 jams', confidence: 0.6 });
    expect(JSON.stringify(peers.requests[0]!.body.response_format)).toContain('"maxLength":40');
  });

  it('never sends a field hidden from the user by a field rule, and refuses fields they may not write', async () => {
    const role = await kit.role('ticket agent', ['support_ticket:read', 'support_ticket:update', 'support_ticket:create']);
    expect((await admin.post('/api/v1/data/field_rule', { role, entity: 'support_ticket', field: 'internalNote', access: 'hidden' })).statusCode).toBe(201);
    expect((await admin.post('/api/v1/data/field_rule', { role, entity: 'support_ticket', field: 'summary', access: 'readonly' })).statusCode).toBe(201);
    const agent = await kit.member('agent', [role]);
    const created = await newTicket({ subject: 'Card declined', internalNote: 'HIDDEN-NOTE-7731' });

    const res = await suggest(agent.api, { field: 'category', recordId: created.id, values: { internalNote: 'HIDDEN-FORM-4410', body: 'My card was declined.' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().value).toBe('billing');
    const text = sentToProvider();
    expect(text).toContain('Card declined');
    expect(text).toContain('My card was declined.');
    for (const leak of ['HIDDEN-NOTE-7731', 'HIDDEN-FORM-4410', 'internalNote']) expect(text).not.toContain(leak);

    // le champ masqué n'existe pas pour lui ; celui en lecture seule ne se remplit pas
    const hidden = await suggest(agent.api, { field: 'internalNote', recordId: created.id });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().errors[0]).toMatchObject({ field: 'field', code: 'unknown_field' });
    const readOnly = await suggest(agent.api, { field: 'summary', recordId: created.id });
    expect(readOnly.statusCode).toBe(400);
    expect(readOnly.json().errors[0]).toMatchObject({ field: 'field', code: 'read_only' });
    expect(peers.requests).toHaveLength(1);
  });

  it('refuses a user who cannot update (or create) the entity, or read it', async () => {
    const created = await newTicket({ subject: 'Read only here' });
    const reader = await kit.member('reader', [await kit.role('ticket reader', ['support_ticket:read'])]);
    const update = await suggest(reader.api, { field: 'category', recordId: created.id });
    expect(update.statusCode, update.body).toBe(403);
    expect((await suggest(reader.api, { field: 'category' })).statusCode).toBe(403);
    const stranger = await kit.member('stranger', [await kit.role('customer reader', ['customer:read'])]);
    expect([403, 404]).toContain((await suggest(stranger.api, { field: 'category', recordId: created.id })).statusCode);
    expect((await suggest(admin, { entity: 'no_such_entity', field: 'category' })).statusCode).toBe(404);
    expect(peers.requests).toHaveLength(0);
  });

  it('answers 400 with a field message for a field without the option, in the caller’s language', async () => {
    const created = await newTicket({ subject: 'Urgent?' });
    for (const field of ['urgency', 'customer']) {
      const res = await suggest(admin, { field, recordId: created.id }, { 'accept-language': 'fr' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toEqual([{ field: 'field', code: 'ai_not_suggested', message: 'Les suggestions d’IA ne sont pas activées sur ce champ.' }]);
    }
    expect((await suggest(admin, { field: 'nothing', recordId: created.id })).json().errors[0].code).toBe('unknown_field');
    expect(peers.requests).toHaveLength(0);
  });

  it('does not find a record of another tenant', async () => {
    const other = await newTenant(server);
    const foreign = await client(server, other.token).post('/api/v1/data/support_ticket', { subject: 'Other tenant secret' });
    expect(foreign.statusCode, foreign.body).toBe(201);
    const res = await suggest(admin, { field: 'category', recordId: foreign.json().id });
    expect(res.statusCode, res.body).toBe(404);
    expect(peers.requests).toHaveLength(0);
    expect((await client(server, other.token).get(`/api/v1/data/support_ticket/${foreign.json().id}`)).json().category).toBeNull();
  });

  it('refuses an answer the field does not accept (502) and answers 503 when no provider serves suggestions', async () => {
    peers.answer('gpt', ['{"values":{"summary":"A summary far longer than the forty characters this field allows"},"confidence":0.8}']);
    const invalid = await suggest(admin, { field: 'summary', values: { subject: 'Long' } });
    expect(invalid.statusCode, invalid.body).toBe(502);
    expect(invalid.json()).toMatchObject({ code: 'ai_invalid_answer', errors: [expect.objectContaining({ field: 'value', code: 'too_long' })] });

    await configure(admin, 'ai.routing', { suggestions: ['nobody'] });
    try {
      const res = await suggest(admin, { field: 'category', values: { subject: 'x' } }, { 'accept-language': 'fr' });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ code: 'ai_unavailable', detail: expect.stringContaining('Aucun fournisseur') });
      expect((await admin.get('/api/v1/ai/capabilities')).json().suggestions).toBe(false);
    } finally {
      await configure(admin, 'ai.routing', {});
    }
  });
});
