// Prévisions par l'API : série d'une entité agrégée par période avec les droits de l'appelant (une entité non lue est
// refusée, une règle d'enregistrements change la série), série fournie, série trop courte (422 en français et en
// anglais), agrégat du moteur par période (mois, semaine ISO, trimestre) et outil `forecast_series` par MCP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../../src/engine/context.js';
import { importRates } from '../../../../src/services/reference/exchange-rates.js';
import { mcpAs } from '../../../support/mcp-call.js';
import { memberKit } from '../../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const DAYS = 120;

/** Taux quotidiens connus : EUR/USD autour de 1,08 avec un cycle hebdomadaire, EUR/GBP autour de 0,86. */
function rates(): Array<{ base: string; quote: string; date: string; rate: string; source: string }> {
  const start = Date.UTC(2025, 0, 6); // un lundi
  return Array.from({ length: DAYS }, (_, i) => {
    const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const weekly = 0.01 * Math.sin((2 * Math.PI * i) / 7);
    // bruit pseudo-aléatoire déterministe (± 0,002)
    const jitter = 0.002 * Math.sin(i * 12.9898) * Math.cos(i * 78.233);
    return [
      { base: 'EUR', quote: 'USD', date, rate: (1.08 + 0.0002 * i + weekly + jitter).toFixed(6), source: 'test' },
      { base: 'EUR', quote: 'GBP', date, rate: (0.86 + weekly / 2).toFixed(6), source: 'test' },
    ];
  }).flat();
}

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  const ctx = systemContext(tenant.tenantId, 'forecast-test');
  await server.platform.tenantTx(ctx, (trx) => importRates(trx, ctx, rates()));
});
afterAll(async () => server?.close());

const usdDaily = { entity: 'exchange_rate', dateField: 'date', measure: { fn: 'avg', field: 'rate' }, filter: { rate: { gt: 1 } }, bucket: 'day', horizon: 14 };

describe('POST /api/v1/ai/forecasts', () => {
  it('forecasts an entity series with bounds, model and backtest MAPE', async () => {
    const res = await admin.post('/api/v1/ai/forecasts', usdDaily);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.history).toHaveLength(DAYS);
    expect(body.history[0]).toEqual({ t: '2025-01-06', value: expect.closeTo(1.08, 4) });
    expect(body.forecast).toHaveLength(14);
    expect(body.forecast[0].t).toBe('2025-05-06');
    for (const p of body.forecast) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
    expect(body.model.name).toMatch(/holt-winters/);
    expect(body.model.params.season).toBe(7);
    console.log(`[quality] forecast EUR/USD daily (weekly cycle): backtest MAPE ${body.backtest.mape.toFixed(3)} % over ${body.backtest.origins} origins`);
    expect(body.backtest.mape).toBeLessThan(0.5);
  });

  it('applies the caller’s rights: no read → 403/404, a record rule changes the series', async () => {
    const kit = memberKit(server, tenant, admin);
    const outsider = await kit.member('fc-outsider', [await kit.role('fc nothing', ['customer:read'])]);
    expect([403, 404]).toContain((await outsider.api.post('/api/v1/ai/forecasts', usdDaily)).statusCode);

    const gbpOnly = await kit.role('fc gbp only', ['exchange_rate:read']);
    expect((await admin.post('/api/v1/data/record_rule', { role: gbpOnly, entity: 'exchange_rate', filter: { rate: { lt: 1 } } })).statusCode).toBe(201);
    const analyst = await kit.member('fc-analyst', [gbpOnly]);
    const all = { ...usdDaily, filter: undefined, bucket: 'week', horizon: 4 };
    const mine = (await analyst.api.post('/api/v1/ai/forecasts', all)).json();
    const everything = (await admin.post('/api/v1/ai/forecasts', all)).json();
    // l'administrateur voit la moyenne des deux devises, l'analyste les seuls taux GBP
    expect(mine.history[0].value).toBeCloseTo(0.86, 1);
    expect(everything.history[0].value).toBeCloseTo(0.97, 1);
  });

  it('forecasts a given series and refuses one too short with a clear 422 in both languages', async () => {
    const series = Array.from({ length: 30 }, (_, i) => ({ t: `20${20 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, value: 100 + 2 * i + (i % 12 === 11 ? 30 : 0) }));
    const ok = await admin.post('/api/v1/ai/forecasts', { series, bucket: 'month', horizon: 6, confidence: 0.8 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ entity: null, confidence: 0.8, forecast: [{ t: '2022-07-01' }, {}, {}, {}, {}, {}] });

    const short = await admin.post('/api/v1/ai/forecasts', { series: series.slice(0, 5), bucket: 'month', horizon: 3 });
    expect(short.statusCode).toBe(422);
    expect(short.json()).toMatchObject({ code: 'series_too_short', detail: expect.stringContaining('5 periods, at least 8') });
    const fr = await admin.post('/api/v1/ai/forecasts', { series: series.slice(0, 5), bucket: 'month', horizon: 3 }, { 'accept-language': 'fr' });
    expect(fr.json().detail).toContain('trop courte');
    // minimum réglable par le tenant
    expect((await admin.put('/api/v1/settings/ai.local.forecast.minPoints', { value: 40, level: 'tenant' })).statusCode).toBe(200);
    expect((await admin.post('/api/v1/ai/forecasts', { series, bucket: 'month', horizon: 3 })).statusCode).toBe(422);
    await admin.delete('/api/v1/settings/ai.local.forecast.minPoints?level=tenant');
  });

  it('rejects bad input with 400', async () => {
    for (const body of [
      { bucket: 'month', horizon: 3 },
      { ...usdDaily, bucket: 'hour' },
      { ...usdDaily, horizon: 0 },
      { ...usdDaily, dateField: 'rate' },
      { ...usdDaily, measure: { fn: 'sum', field: 'source' } },
      { ...usdDaily, confidence: 0.5 },
    ]) {
      const res = await admin.post('/api/v1/ai/forecasts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('engine aggregate by period', () => {
  it('groups by month, ISO week and quarter in time order, under record rules', async () => {
    const ctx = systemContext(tenant.tenantId, 'bucket-test');
    const catalog = await server.platform.catalog(tenant.tenantId);
    const model = catalog.get('exchange_rate')!;
    const run = (unit: 'month' | 'week' | 'quarter', filter?: unknown) => server.platform.tenantTx(ctx, (trx) =>
      server.platform.records.aggregate(trx, ctx, catalog, model, { measures: [{ fn: 'count' }], filter, bucket: { path: 'date', unit } }));
    const months = await run('month');
    expect(months.map((g) => g.keys.date)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01']);
    expect(months.map((g) => g.values.count)).toEqual([52, 56, 62, 60, 10]);
    const weeks = await run('week', { rate: { gt: 1 } });
    expect(weeks).toHaveLength(18);
    expect(weeks[0]).toEqual({ keys: { date: '2025-01-06' }, values: { count: 7 } });
    expect((await run('quarter')).map((g) => [g.keys.date, g.values.count])).toEqual([['2025-01-01', 170], ['2025-04-01', 70]]);
  });
});

describe('forecast_series through MCP', () => {
  it('is offered to a reader and runs with their rights', async () => {
    const mcp = await mcpAs(server, admin);
    try {
      expect(await mcp.tools()).toContain('forecast_series');
      const result = await mcp.call('forecast_series', { ...usdDaily, horizon: 3 });
      expect(result.isError, result.text).toBe(false);
      expect(result.json()).toMatchObject({ historyLength: DAYS, forecast: [{ t: '2025-05-06' }, {}, {}], backtest: { mape: expect.any(Number) } });
      expect((await mcp.call('forecast_series', { ...usdDaily, entity: 'nothing_here' })).isError).toBe(true);
    } finally {
      await mcp.close();
    }
  });
});
