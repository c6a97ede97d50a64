// Recommandations et optimisation locales par l'API, sur des ventes générées avec des habitudes plantées : articles
// achetés ensemble, prochains articles d'un client, clients semblables, droits de l'appelant, isolement des tenants,
// outils de l'assistant par MCP ; solveur (optimal, entier, infaisable, non borné, trop grand).
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../../support/members.js';
import { client, newTenant, ownerSql, startServer, tenantSql, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const products: string[] = [];
const customers: string[] = [];
let newcomer: string;

const created = async (api: Client, entity: string, body: Record<string, unknown>) => {
  const response = await api.post(`/api/v1/data/${entity}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};

/** Trois lots d'articles (0-1-2, 3-4-5, 6-7-8) ; les clients 2k et 2k+1 achètent le lot k, avec la même étiquette. */
async function seedSales(api: Client): Promise<void> {
  for (const m of ['inventory', 'crm', 'sales']) expect((await api.post(`/api/v1/modules/${m}/install`)).statusCode).toBeLessThan(300);
  const unit = (await api.get('/api/v1/data/uom?filter=' + encodeURIComponent(JSON.stringify({ eid: 'uom-u' })))).json().data[0].id as string;
  for (let i = 0; i < 9; i++) products.push(await created(api, 'inv_product', { name: `Item ${i}`, sku: `IT-${i}`, uom: unit }));
  const segments = ['bakery', 'garage', 'florist'];
  for (let c = 0; c < 6; c++) customers.push(await created(api, 'customer', { name: `Customer ${c}`, tags: [segments[Math.floor(c / 2)]] }));
  for (let c = 0; c < 6; c++) {
    const bundle = Math.floor(c / 2) * 3;
    for (let o = 0; o < 4; o++) {
      const order = await created(api, 'sales_order', { customer: customers[c] });
      // chaque commande prend deux ou trois articles du lot
      const items = [0, 1, 2].filter((i) => (o + i) % 4 !== 3).map((i) => products[bundle + i]!);
      for (const product of items) await created(api, 'sales_order_line', { order, product, quantity: '1', unitPrice: '10' });
    }
  }
  newcomer = await created(api, 'customer', { name: 'Newcomer', tags: ['garage'] });
  const order = await created(api, 'sales_order', { customer: newcomer });
  await created(api, 'sales_order_line', { order, product: products[3], quantity: '1', unitPrice: '10' });
}

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  await seedSales(admin);
}, 240_000);
afterAll(() => server?.close());

const ids = (response: { json(): { data: { id: string }[] } }) => response.json().data.map((r) => r.id);

describe('recommendations', () => {
  it('learns the items bought together and recommends the planted partners', async () => {
    const trained = await admin.post('/api/v1/ai/recommendations/train');
    expect(trained.statusCode, trained.body).toBe(200);
    expect(trained.json().data).toEqual([{ scope: 'sales_order_line:product', baskets: 25, items: 9 }]);
    const together = await admin.get(`/api/v1/ai/recommendations?entity=inv_product&id=${products[0]}&limit=3`);
    expect(together.statusCode, together.body).toBe(200);
    expect(ids(together).slice(0, 2).sort()).toEqual([products[1], products[2]].sort());
    expect(together.json().data[0]).toMatchObject({ entity: 'inv_product', display: expect.stringMatching(/^Item [12]$/), reason: 'together', lift: expect.any(Number) });
    expect(ids(together)).not.toContain(products[3]);
  });

  it('is retrained by its job: declared nightly, and run by a tenant administrator for their tenant only', async () => {
    // planification de la plateforme (chaque tenant actif, chaque nuit), enregistrée au démarrage
    const nightly = await ownerSql(server.platform, sql<{ job: string; cron: string }>`
      SELECT job, cron FROM job_schedule WHERE tenant_id IS NULL AND key = 'ai.local.recommend.train' AND deleted_at IS NULL`);
    expect(nightly.rows).toEqual([{ job: 'ai.local.recommend.train', cron: '41 2 * * *' }]);
    const trainedAt = async () => (await tenantSql(server.platform, tenant.tenantId, sql<{ at: Date }>`
      SELECT trained_at AS at FROM ai_local_model WHERE kind = 'recommend.cooccurrence'`)).rows.map((r) => new Date(r.at).getTime());
    const before = await trainedAt();
    expect(before).toHaveLength(1);
    const started = await admin.post('/api/v1/jobs', { name: 'ai.local.recommend.train' });
    expect(started.statusCode, started.body).toBe(201);
    server.platform.jobs.kick();
    await server.platform.jobs.idle();
    const job = (await admin.get(`/api/v1/jobs/${started.json().id}`)).json();
    expect(job).toMatchObject({ state: 'succeeded', result: { tenants: 1, models: 1, failed: [] } });
    expect((await trainedAt())[0]).toBeGreaterThan(before[0]!);
  });

  it('recommends the next products of a customer from what they bought, best sellers for a new one', async () => {
    const next = await admin.get(`/api/v1/ai/recommendations/next?customer=${newcomer}&limit=2`);
    expect(next.statusCode, next.body).toBe(200);
    expect(ids(next).sort()).toEqual([products[4], products[5]].sort());
    const blank = await created(admin, 'customer', { name: 'Blank' });
    const popular = (await admin.get(`/api/v1/ai/recommendations/next?customer=${blank}`)).json().data;
    expect(popular.length).toBeGreaterThan(0);
    expect(popular[0].reason).toBe('popular');
  });

  it('finds customers like this one by attributes and purchases', async () => {
    const similar = await admin.get(`/api/v1/ai/similar?entity=customer&id=${customers[2]}&limit=3`);
    expect(similar.statusCode, similar.body).toBe(200);
    const data = similar.json().data as { id: string; reasons: string[] }[];
    expect(data[0]!.id).toBe(customers[3]);
    expect(data[0]!.reasons).toEqual(expect.arrayContaining(['tags', 'purchases']));
    // le nouveau client de la même étiquette, qui a acheté un article du lot, vient avant ceux des autres lots
    expect(data[1]!.id).toBe(newcomer);
  });

  it('answers only with the caller’s rights', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('rec-reader', [await kit.role('customer readers', ['customer:read'])]);
    expect((await reader.api.get(`/api/v1/ai/recommendations?entity=inv_product&id=${products[0]}`)).statusCode).toBe(403);
    expect((await reader.api.get(`/api/v1/ai/recommendations/next?customer=${newcomer}`)).statusCode).toBe(403);
    expect((await reader.api.post('/api/v1/ai/recommendations/train')).statusCode).toBe(403);
    // clients semblables sans le droit de lire les commandes : attributs seulement (pas de profil d'achat)
    const similar = await reader.api.get(`/api/v1/ai/similar?entity=customer&id=${customers[2]}`);
    expect(similar.statusCode, similar.body).toBe(200);
    expect(similar.json().data.flatMap((r: { reasons: string[] }) => r.reasons)).not.toContain('purchases');
    expect((await admin.get(`/api/v1/ai/similar?entity=customer&id=${products[0]}`)).statusCode).toBe(404);
  });

  it('never mixes tenants: another tenant learns only its own orders', async () => {
    const other = await newTenant(server);
    const api = client(server, other.token);
    for (const m of ['inventory', 'crm', 'sales']) await api.post(`/api/v1/modules/${m}/install`);
    expect((await api.post('/api/v1/ai/recommendations/train')).json().data).toEqual([{ scope: 'sales_order_line:product', baskets: 0, items: 0 }]);
    expect((await api.get(`/api/v1/ai/recommendations?entity=inv_product&id=${products[0]}`)).statusCode).toBe(404);
    const unit = (await api.get('/api/v1/data/uom?filter=' + encodeURIComponent(JSON.stringify({ eid: 'uom-u' })))).json().data[0].id as string;
    const own = await created(api, 'inv_product', { name: 'Own', sku: 'OWN', uom: unit });
    expect(ids(await api.get(`/api/v1/ai/recommendations?entity=inv_product&id=${own}`))).toEqual([]);
  });

  it('serves recommend_products and similar_records to the assistant over MCP', async () => {
    const pat = (await admin.post('/api/v1/auth/tokens', { name: 'recommend agent' })).json().token as string;
    const port = (server.app.server.address() as AddressInfo).port;
    const mcp = new McpClient({ name: 'recommend-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/api/v1/ai/mcp`), { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
    try {
      const text = (result: Awaited<ReturnType<McpClient['callTool']>>) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
      const together = await mcp.callTool({ name: 'recommend_products', arguments: { product: products[6], limit: 2 } });
      expect(together.isError, JSON.stringify(together.content)).toBeFalsy();
      expect(text(together).recommendations.map((r: { id: string }) => r.id).sort()).toEqual([products[7], products[8]].sort());
      const similar = await mcp.callTool({ name: 'similar_records', arguments: { entity: 'customer', id: customers[4], limit: 1 } });
      expect(text(similar).similar[0].id).toBe(customers[5]);
    } finally {
      await mcp.close();
    }
  });
});

describe('optimisation API', () => {
  const model = {
    objective: { sense: 'max', terms: { chairs: 30, tables: 50 } },
    variables: { chairs: { integer: true }, tables: { integer: true } },
    constraints: [{ terms: { chairs: 2, tables: 5 }, op: '<=', rhs: 40 }, { terms: { chairs: 3, tables: 2 }, op: '<=', rhs: 30 }],
  };

  it('solves a mixed-integer model', async () => {
    const solved = await admin.post('/api/v1/ai/optimise', model);
    expect(solved.statusCode, solved.body).toBe(200);
    // 5 chaises et 6 tables : bois 40, heures 27 → 450
    expect(solved.json()).toMatchObject({ status: 'optimal', objective: 450, values: { chairs: 5, tables: 6 } });
  });

  it('answers 422 with the reason for an infeasible or unbounded model', async () => {
    const infeasible = await admin.post('/api/v1/ai/optimise', { ...model, constraints: [...model.constraints, { terms: { chairs: 1 }, op: '>=', rhs: 50 }] });
    expect(infeasible.statusCode).toBe(422);
    expect(infeasible.json()).toMatchObject({ code: 'optimise_infeasible' });
    const unbounded = await admin.post('/api/v1/ai/optimise', { ...model, constraints: [] }, { 'accept-language': 'fr' });
    expect(unbounded.statusCode).toBe(422);
    expect(unbounded.json()).toMatchObject({ code: 'optimise_unbounded', detail: expect.stringContaining('non borné') });
  });

  it('refuses unknown variables (400) and models above the tenant’s limits (413)', async () => {
    const unknown = await admin.post('/api/v1/ai/optimise', { ...model, objective: { sense: 'max', terms: { stools: 1 } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'objective.terms.stools', code: 'optimise_unknown_variable' });
    expect((await admin.post('/api/v1/ai/optimise', { ...model, variables: {} })).statusCode).toBe(400);
    expect((await admin.put('/api/v1/settings/ai.local.optimise.maxVariables', { value: 1 })).statusCode).toBeLessThan(300);
    const tooLarge = await admin.post('/api/v1/ai/optimise', model);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ code: 'optimise_too_large' });
  });
});
