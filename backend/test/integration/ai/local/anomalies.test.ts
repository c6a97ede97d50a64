// Anomalies : précision et rappel sur des valeurs aberrantes injectées parmi des clients générés, chaîne complète
// (écriture → événement → travail de notation → signalement, notification, badge par l'API), droits de lecture,
// isolation des tenants (références jamais mélangées) et outil `find_anomalies` par MCP.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpAs } from '../../../support/mcp-call.js';
import { memberKit } from '../../../support/members.js';
import { client, newTenant, settleBackground, startServer, tenantSql, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

let server: TestServer;
let a: TestTenant;
let b: TestTenant;
let adminA: Client;
let adminB: Client;

/** Générateur déterministe : plafonds log-normaux autour de `typical`. */
function limits(seed: number, n: number, typical: number): number[] {
  let x = seed;
  const uniform = () => (x = (x * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => {
    const gauss = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.round(typical * Math.exp(0.35 * gauss));
  });
}

async function customer(api: Client, name: string, amount: number): Promise<string> {
  const res = await api.post('/api/v1/data/customer', { name, creditLimit: { amount: `${amount}.00`, currency: 'EUR' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function watch(api: Client): Promise<void> {
  expect((await api.put('/api/v1/settings/ai.local.anomaly.watch', { value: [{ entity: 'customer', field: 'creditLimit' }], level: 'tenant' })).statusCode).toBe(200);
}

beforeAll(async () => {
  // l'outbox distribue les événements d'écriture : la notation part de là
  server = await startServer({ dispatch: true });
  a = await newTenant(server);
  b = await newTenant(server);
  adminA = client(server, a.token);
  adminB = client(server, b.token);
  expect((await adminA.put('/api/v1/settings/ai.local.anomaly.notifyUsers', { value: [a.userId], level: 'tenant' })).statusCode).toBe(200);
});
afterAll(async () => server?.close());

describe('anomaly detection', () => {
  const outliers = new Set<string>();
  const ordinary = new Set<string>();
  /** enregistrements signalés par la première passe (vrais et faux positifs) */
  let flagged = 0;

  it('finds injected outliers: precision and recall above thresholds', { timeout: 240_000 }, async () => {
    const normal = limits(11, 150, 20_000);
    // valeurs injectées : 8 à 40 fois plus, ou 10 à 30 fois moins que d'habitude
    const injected = [8, 12, 15, 20, 25, 40, 1 / 10, 1 / 15, 1 / 20, 1 / 30].map((k) => Math.round(20_000 * k));
    for (const [i, amount] of normal.entries()) ordinary.add(await customer(adminA, `Ordinary ${i}`, amount));
    for (const [i, amount] of injected.entries()) outliers.add(await customer(adminA, `Outlier ${i}`, amount));
    // surveillé une fois les données en place : la passe de mesure note chaque client elle-même
    await watch(adminA);
    expect((await server.platform.anomalies.learn(a.tenantId)).fields).toEqual([{ entity: 'customer', field: 'creditLimit', n: 160 }]);

    let tp = 0;
    let fp = 0;
    for (const id of [...ordinary, ...outliers]) {
      const flag = await server.platform.anomalies.scoreRecord(a.tenantId, 'customer', id);
      if (flag && outliers.has(id)) tp++;
      if (flag && ordinary.has(id)) fp++;
    }
    flagged = tp + fp;
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / outliers.size;
    console.log(`[quality] anomaly detection precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (${outliers.size} outliers injected among ${ordinary.size + outliers.size} customers, robust z ≥ 3.5)`);
    // mesuré : précision 0,83 (deux clients ordinaires tirés dans la queue de la loi, à 0,24 et 3,7 fois la valeur habituelle), rappel 1,00
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('scores a new record from its write event, notifies and shows it to readers only', async () => {
    const id = await customer(adminA, 'Suspicious Ltd', 200_000);
    await settleBackground(server, 1);

    const res = await adminA.get(`/api/v1/ai/anomalies?entity=customer&recordId=${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const [flag] = res.json().data;
    expect(flag).toMatchObject({ entity: 'customer', recordId: id, fields: [{ field: 'creditLimit', value: 200_000, ratio: expect.closeTo(10, 0) }] });
    expect(flag.fields[0].z).toBeGreaterThan(3.5);

    const notes = (await adminA.get('/api/v1/notifications')).json().data as Array<{ title: string; link: string; category: string }>;
    expect(notes.find((n) => n.category === 'ai.anomaly')).toMatchObject({ title: expect.stringContaining('creditLimit'), link: `/app/data/customer/${id}` });

    // corrigé : le signalement disparaît à la notation suivante
    expect((await adminA.patch(`/api/v1/data/customer/${id}`, { creditLimit: { amount: '21000.00', currency: 'EUR' } })).statusCode).toBe(200);
    await settleBackground(server, 1);
    expect((await adminA.get(`/api/v1/ai/anomalies?entity=customer&recordId=${id}`)).json().data).toEqual([]);

    const kit = memberKit(server, a, adminA);
    const outsider = await kit.member('an-outsider', [await kit.role('an nothing', ['currency:read'])]);
    const someOutlier = [...outliers][0]!;
    expect([403, 404]).toContain((await outsider.api.get(`/api/v1/ai/anomalies?entity=customer&recordId=${someOutlier}`)).statusCode);
    expect((await outsider.api.get('/api/v1/ai/anomalies')).json().data).toEqual([]);
    const reader = await kit.member('an-reader', [await kit.role('an readers', ['customer:read'])]);
    expect((await reader.api.get('/api/v1/ai/anomalies?entity=customer')).json().data).toHaveLength(flagged);
  });

  it('keeps the baselines of two tenants apart', { timeout: 120_000 }, async () => {
    // tenant B : plafonds 25 fois plus élevés ; ses valeurs ordinaires seraient aberrantes chez A
    const bIds: string[] = [];
    for (const [i, amount] of limits(5, 40, 500_000).entries()) bIds.push(await customer(adminB, `B ${i}`, amount));
    await watch(adminB);
    await server.platform.anomalies.learn(b.tenantId);
    const baseline = async (tenantId: string) => (await tenantSql(server.platform, tenantId,
      sql<{ model: { typical: number; n: number } }>`SELECT model FROM ai_local_model WHERE kind = 'anomaly.baseline' AND scope = 'customer.creditLimit'`)).rows.map((r) => r.model);
    const [inA] = await baseline(a.tenantId);
    const [inB] = await baseline(b.tenantId);
    expect(inA!.n).toBe(160);
    expect(inA!.typical).toBeLessThan(30_000);
    expect(inB!.n).toBe(40);
    expect(inB!.typical).toBeGreaterThan(300_000);
    for (const id of bIds.slice(0, 5)) expect(await server.platform.anomalies.scoreRecord(b.tenantId, 'customer', id)).toBeNull();
    expect((await adminB.get('/api/v1/ai/anomalies')).json().data).toEqual([]);
    // une valeur ordinaire de B est aberrante chez A
    const high = await customer(adminA, 'Big in A', 500_000);
    expect(await server.platform.anomalies.scoreRecord(a.tenantId, 'customer', high)).toMatchObject({ fields: [{ field: 'creditLimit' }] });
  });

  it('find_anomalies through MCP lists what the user may see', async () => {
    const mcp = await mcpAs(server, adminA);
    try {
      expect(await mcp.tools()).toContain('find_anomalies');
      const result = await mcp.call('find_anomalies', { entity: 'customer', limit: 50 });
      expect(result.isError, result.text).toBe(false);
      const { anomalies } = result.json() as { anomalies: Array<{ id: string; fields: Array<{ field: string; ratio: number }> }> };
      // la passe de mesure, plus « Big in A » du test d'isolation
      expect(anomalies.length).toBe(flagged + 1);
      expect(anomalies[0]!.fields[0]).toMatchObject({ field: 'creditLimit', ratio: expect.any(Number) });
    } finally {
      await mcp.close();
    }
  });

  it('rejects bad input', async () => {
    expect((await adminA.get('/api/v1/ai/anomalies?recordId=0190f0f0-0000-7000-8000-000000000000')).statusCode).toBe(400);
    expect((await adminA.get('/api/v1/ai/anomalies?entity=customer&recordId=nope')).statusCode).toBe(400);
    expect((await adminA.put('/api/v1/settings/ai.local.anomaly.threshold', { value: 0, level: 'tenant' })).statusCode).toBe(400);
  });
});
