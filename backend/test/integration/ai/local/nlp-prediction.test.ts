// Analyse de texte et prédiction de saisie par l'API : entités retrouvées comme l'appelant (un autre utilisateur sans
// droit ne voit aucune correspondance), analyse stockée après écriture et règle « note négative → prévenir le
// commercial » de bout en bout, outil `analyse_text` par MCP, habitudes propres à chaque utilisateur, mots suivants
// appris du tenant, apprentissage coupé par l'utilisateur, champs non inscriptibles refusés.
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../../support/members.js';
import { client, newTenant, qs, settleBackground, startServer, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let acme: { id: string; eid: string };

beforeAll(async () => {
  // répartiteur de l'outbox en marche : les événements d'analyse atteignent les règles d'automatisation
  server = await startServer({ dispatch: true });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  const res = await admin.post('/api/v1/data/customer', { name: 'Acme Industries' });
  expect(res.statusCode, res.body).toBe(201);
  acme = res.json();
});
afterAll(async () => server?.close());

/** Écriture → événement (outbox) → travail d'analyse → événement de sentiment → règle. */
const settle = () => settleBackground(server);

describe('POST /api/v1/ai/nlp/analyse', () => {
  it('finds the language, the sentiment, keywords and entities matched as the caller', async () => {
    const text = `Le client Acme Industries est très mécontent : facture ${acme.eid} erronée de 12 500,50 € envoyée le 12 mars 2026. `
      + 'Rappeler Paul Martin au 01 23 45 67 89 ou paul.martin@acme.test.';
    const res = await admin.post('/api/v1/ai/nlp/analyse', { text });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.language).toBe('fr');
    expect(body.sentiment.label).toBe('negative');
    expect(body.keywords.length).toBeGreaterThan(0);
    const byType = (type: string) => body.entities.filter((e: { type: string }) => e.type === type);
    expect(byType('organisation')).toEqual([expect.objectContaining({ text: 'Acme Industries', match: { entity: 'customer', id: acme.id, label: 'Acme Industries' } })]);
    expect(byType('record')).toEqual([expect.objectContaining({ text: acme.eid, match: expect.objectContaining({ entity: 'customer', id: acme.id }) })]);
    expect(byType('amount')[0].value).toEqual({ amount: 12500.5, currency: 'EUR' });
    expect(byType('date')[0].value).toBe('2026-03-12');
    expect(byType('email')[0].value).toBe('paul.martin@acme.test');
    expect(byType('phone')[0].value).toBe('0123456789');
    expect(byType('person')[0].text).toBe('Paul Martin');
    for (const e of body.entities) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('matches nothing the caller cannot read, and refuses bad input', async () => {
    const kit = memberKit(server, tenant, admin);
    const outsider = await kit.member('nlp-outsider', [await kit.role('nlp suppliers only', ['supplier:read'])]);
    const res = await outsider.api.post('/api/v1/ai/nlp/analyse', { text: `Great call with Acme Industries about ${acme.eid}, they are delighted.` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sentiment.label).toBe('positive');
    expect(res.json().language).toBe('en');
    expect(res.json().entities.filter((e: { match?: unknown }) => e.match)).toEqual([]);

    expect((await admin.post('/api/v1/ai/nlp/analyse', {})).statusCode).toBe(400);
    const empty = await admin.post('/api/v1/ai/nlp/analyse', { text: '   ' }, { 'accept-language': 'fr' });
    expect([400, 422]).toContain(empty.statusCode);
    expect(empty.json().errors[0].message).toContain('caractères');
  });
});

describe('stored analyses and rules', () => {
  it('analyses a note after the write and notifies the sales rep when it is negative', async () => {
    const kit = memberKit(server, tenant, admin);
    const rep = await kit.member('nlp-rep');
    const rule = await admin.post('/api/v1/data/hook_rule', {
      name: 'Negative customer note', entity: 'customer', events: ['customer.text_negative'],
      actions: [{ type: 'notify', users: ['{{salesRep}}'], title: 'Note négative sur {{name}}', priority: 'high' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const customer = (await admin.post('/api/v1/data/customer', { name: 'Globex', salesRep: rep.id, notes: 'Très bon contact, client satisfait.' })).json();
    await settle();
    let analysis = (await admin.get(`/api/v1/ai/nlp/records/customer/${customer.id}`)).json().data;
    expect(analysis).toEqual([expect.objectContaining({ field: 'notes', language: 'fr', sentiment: expect.objectContaining({ label: 'positive' }) })]);
    expect((await rep.api.get('/api/v1/notifications')).json().data).toEqual([]);

    expect((await admin.patch(`/api/v1/data/customer/${customer.id}`, { notes: 'Client furieux : livraison en retard et produit défectueux.' })).statusCode).toBe(200);
    await settle();
    analysis = (await admin.get(`/api/v1/ai/nlp/records/customer/${customer.id}`)).json().data;
    expect(analysis[0].sentiment.label).toBe('negative');
    const notes = (await rep.api.get('/api/v1/notifications')).json().data;
    expect(notes).toEqual([expect.objectContaining({ title: 'Note négative sur Globex' })]);

    // lecteur sans droit sur l'enregistrement : 403 ou 404
    const stranger = await kit.member('nlp-stranger', [await kit.role('nlp nothing', ['supplier:read'])]);
    expect([403, 404]).toContain((await stranger.api.get(`/api/v1/ai/nlp/records/customer/${customer.id}`)).statusCode);
  });
});

describe('analyse_text over MCP', () => {
  it('runs the tool with the rights of the token’s user', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = new URL(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1/ai/mcp`);
    const pat = (await admin.post('/api/v1/auth/tokens', { name: 'nlp agent' })).json().token as string;
    const mcp = new McpClient({ name: 'opsflux-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
    try {
      const result = await mcp.callTool({ name: 'analyse_text', arguments: { text: 'Acme Industries a payé 300 EUR, merci !' } });
      const body = JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
      expect(body.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'organisation', match: expect.objectContaining({ id: acme.id }) })]));
      expect(body.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'amount', value: { amount: 300, currency: 'EUR' } })]));
    } finally {
      await mcp.close();
    }
  });
});

describe('text prediction', () => {
  it('suggests the caller’s own habits and the tenant’s next words; learning can be turned off', async () => {
    const kit = memberKit(server, tenant, admin);
    const writer = await kit.member('predict-writer', [await kit.role('predict writers', ['customer:read', 'customer:create', 'customer:update'])]);
    const other = await kit.member('predict-other', [await kit.role('predict others', ['customer:read', 'customer:create'])]);
    const notes = 'Merci de relancer le service achats avant la fin du mois.';
    for (const [i, firstName] of ['Camille', 'Camille', 'Camille', 'Claude', 'Céline'].entries()) {
      expect((await writer.api.post('/api/v1/data/customer', { name: `Predict ${i}`, firstName, notes })).statusCode).toBe(201);
    }
    expect((await other.api.post('/api/v1/data/customer', { name: 'Predict other', firstName: 'Charles' })).statusCode).toBe(201);
    await settle();
    await server.platform.predictions.train(tenant.tenantId);

    const ask = (api: Client, prefix: string) => api.get(`/api/v1/ai/predictions?${qs({ entity: 'customer', field: 'firstName', prefix, limit: '5' })}`);
    const mine = await ask(writer.api, 'C');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().learning).toBe(true);
    expect(mine.json().suggestions.map((s: { value: string }) => s.value)).toEqual(['Camille', 'Céline', 'Claude']);
    // jamais les valeurs d'un autre utilisateur
    expect((await ask(other.api, 'C')).json().suggestions.map((s: { value: string }) => s.value)).toEqual(['Charles']);

    const next = await writer.api.post('/api/v1/ai/predictions/next-words', { entity: 'customer', field: 'notes', text: 'Merci de relancer le ' });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().completions[0].text).toMatch(/^service/);
    const partial = await writer.api.post('/api/v1/ai/predictions/next-words', { entity: 'customer', field: 'notes', text: 'Merci de rel' });
    expect(partial.json().completions[0].text).toMatch(/^ancer/);

    // champ non inscriptible, champ qui n'est pas du texte
    const reader = await kit.member('predict-reader', [await kit.role('predict readers', ['customer:read'])]);
    const refused = await ask(reader.api, 'C');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'field', code: 'not_writable' });
    expect((await writer.api.get(`/api/v1/ai/predictions?${qs({ entity: 'customer', field: 'creditLimit' })}`)).json().errors[0].code).toBe('not_text');
    expect((await writer.api.get('/api/v1/ai/predictions?entity=customer')).statusCode).toBe(400);

    // l'utilisateur coupe l'apprentissage : ses habitudes sont effacées et plus rien n'est suggéré ni appris
    expect((await writer.api.put('/api/v1/auth/me/preferences/ai.learning', { value: false })).statusCode).toBe(200);
    const off = (await ask(writer.api, 'C')).json();
    expect(off).toEqual({ suggestions: [], learning: false });
    const { rows } = await server.platform.tenantTx({ tenantId: tenant.tenantId, userId: null, requestId: 't', ip: null, locale: 'en', system: true },
      (trx) => import('kysely').then(({ sql }) => sql<{ n: number }>`SELECT count(*)::int AS n FROM ai_local_model WHERE kind = 'habits' AND scope LIKE ${`${writer.id}:%`}`.execute(trx)));
    expect(rows[0]!.n).toBe(0);
    await server.platform.predictions.train(tenant.tenantId);
    expect((await writer.api.put('/api/v1/auth/me/preferences/ai.learning', { value: true })).statusCode).toBe(200);
    expect((await ask(writer.api, 'C')).json().suggestions).toEqual([]);

    // désactivé pour tout le tenant
    expect((await admin.put('/api/v1/settings/ai.local.predict.enabled', { value: false, level: 'tenant' })).statusCode).toBe(200);
    expect((await ask(other.api, 'C')).json()).toEqual({ suggestions: [], learning: false });
    await admin.delete('/api/v1/settings/ai.local.predict.enabled?level=tenant');
  });
});
