// Analyse par l'API : chaque résultat est recalculé indépendamment en JavaScript (décimaux exacts) sur des ventes
// générées — mesures, chemins pointés, périodes dans le fuseau (bascule d'heure d'été), exercice de la société,
// top N et « autres », tableau croisé, comparaison avec l'année précédente, montants convertis au taux d'une date
// ou de chaque vente, droits d'un utilisateur restreint (ses totaux = ceux des enregistrements qu'il peut lister),
// entrées invalides.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../src/engine/context.js';
import { importRates } from '../../../src/services/reference/exchange-rates.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

const REGIONS = ['north', 'south', 'east', 'west'] as const;
interface Sale {
  region: string;
  customer: string;
  amount: string;
  qty: number;
  margin: string;
  price: { amount: string; currency: string };
  soldAt: string;
  day: string;
}
const sales: Sale[] = [];
const customers: Array<{ id: string; name: string }> = [];

/** Taux EUR→USD : 1,10 jusqu'au 30 juin 2025, puis 1,20 (une devise cotée par rapport à l'euro). */
const usdRate = (day: string) => (day <= '2025-06-30' ? '1.10' : '1.20');

function generate(): void {
  // 2024-01 à 2026-06, une vente tous les 3 jours environ, à heure variable
  const start = Date.UTC(2024, 0, 1, 9);
  for (let i = 0; i < 300; i++) {
    const t = new Date(start + i * 3 * 86_400_000 + (i % 7) * 3_600_000);
    const soldAt = t.toISOString();
    sales.push({
      region: REGIONS[(i * 7) % 4]!,
      customer: customers[(i * 3) % customers.length]!.id,
      amount: new Decimal(100 + ((i * 37) % 900)).plus(new Decimal(i % 100).div(100)).toFixed(2),
      qty: 1 + (i % 9),
      margin: new Decimal((i * 13) % 50).plus('0.25').toFixed(2),
      price: { amount: new Decimal(10 + (i % 40)).plus('0.99').toFixed(2), currency: i % 3 === 0 ? 'USD' : 'EUR' },
      soldAt,
      day: soldAt.slice(0, 10),
    });
  }
  // bords de fuseau : 31 mars 2025 22:30 UTC = 1er avril 00:30 à Paris (heure d'été depuis le 30 mars)
  const edge = (soldAt: string): Sale => ({ ...sales[0]!, region: 'north', soldAt, day: soldAt.slice(0, 10), amount: '1.00', qty: 1 });
  sales.push(edge('2025-03-31T22:30:00.000Z'), edge('2025-03-29T23:30:00.000Z'));
}

const sum = (values: string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0));
const query = (body: Record<string, unknown>, api = admin, headers?: Record<string, string>) => api.post('/api/v1/analytics/query', { entity: 'an_sale', ...body }, headers);

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  const entity = await admin.post('/api/v1/meta/entities', {
    name: 'an_sale', label: { en: 'Sale', fr: 'Vente' },
    fields: {
      region: { type: 'enum', options: { values: [...REGIONS] }, label: { en: 'Region', fr: 'Région' } },
      customer: { type: 'ref', options: { to: 'customer' }, label: { en: 'Customer', fr: 'Client' } },
      amount: { type: 'decimal', options: { precision: 14, scale: 2 }, label: { en: 'Amount', fr: 'Montant' } },
      qty: { type: 'integer', label: { en: 'Quantity', fr: 'Quantité' } },
      margin: { type: 'decimal', options: { precision: 14, scale: 2 }, label: { en: 'Margin', fr: 'Marge' } },
      price: { type: 'money', label: { en: 'Price', fr: 'Prix' } },
      soldAt: { type: 'datetime', label: { en: 'Sold at', fr: 'Vendu le' } },
      day: { type: 'date', label: { en: 'Day', fr: 'Jour' } },
    },
  });
  expect(entity.statusCode, entity.body).toBe(201);
  for (const name of ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli']) {
    const res = await admin.post('/api/v1/data/customer', { name });
    expect(res.statusCode, res.body).toBe(201);
    customers.push({ id: res.json().id, name });
  }
  generate();
  for (let i = 0; i < sales.length; i += 100) {
    const res = await admin.post('/api/v1/data/an_sale/bulk', { operations: sales.slice(i, i + 100).map((data) => ({ op: 'create', data })) });
    expect(res.statusCode, res.body).toBe(200);
  }
  const ctx = systemContext(tenant.tenantId, 'analytics-test');
  const rates: Array<{ base: string; quote: string; date: string; rate: string; source: string }> = [];
  for (let t = Date.UTC(2023, 11, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    rates.push({ base: 'EUR', quote: 'USD', date, rate: usdRate(date), source: 'test' });
  }
  await server.platform.tenantTx(ctx, (trx) => importRates(trx, ctx, rates));
}, 120_000);
afterAll(async () => server?.close());

describe('POST /api/v1/analytics/query', () => {
  it('computes every measure by a dimension, with totals, exactly', async () => {
    const res = await query({
      measures: [{ fn: 'count' }, { fn: 'sum', field: 'amount' }, { fn: 'avg', field: 'qty' }, { fn: 'min', field: 'amount' },
        { fn: 'max', field: 'day' }, { fn: 'countDistinct', field: 'customer' }, { fn: 'percentile', field: 'qty', p: 0.5 }],
      dimensions: [{ field: 'region' }],
      sort: [{ by: 'region' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.rows.map((r: { keys: { region: string } }) => r.keys.region)).toEqual(['east', 'north', 'south', 'west']);
    for (const row of body.rows) {
      const mine = sales.filter((s) => s.region === row.keys.region);
      const qtys = mine.map((s) => s.qty).sort((a, b) => a - b);
      const mid = (qtys.length - 1) / 2;
      expect(row.values).toEqual({
        count: mine.length,
        'sum:amount': sum(mine.map((s) => s.amount)).toString(),
        'avg:qty': new Decimal(qtys.reduce((a, b) => a + b, 0)).div(qtys.length).toDecimalPlaces(6).toString(),
        'min:amount': Decimal.min(...mine.map((s) => s.amount)).toString(),
        'max:day': mine.map((s) => s.day).sort().at(-1),
        'countDistinct:customer': new Set(mine.map((s) => s.customer)).size,
        'p50:qty': (qtys[Math.floor(mid)]! + qtys[Math.ceil(mid)]!) / 2,
      });
    }
    expect(body.totals.count).toBe(sales.length);
    expect(body.totals['sum:amount']).toBe(sum(sales.map((s) => s.amount)).toString());
    expect(body.columns.find((c: { name: string }) => c.name === 'sum:amount')).toMatchObject({ role: 'measure', type: 'decimal', label: { en: 'Sum of Amount', fr: 'Somme de Montant' } });
    expect(body.meta.engine).toBe('postgres');
  });

  it('answers the contract’s shape: op, dimensions as names, sort as text, limit, flat rows of numbers', async () => {
    const res = await query({ measures: [{ op: 'count' }, { op: 'sum', field: 'qty' }], dimensions: ['region'], sort: '-count,region', limit: 2 });
    expect(res.statusCode, res.body).toBe(200);
    const counts = REGIONS.map((region) => ({ region, count: sales.filter((s) => s.region === region).length, qty: sales.filter((s) => s.region === region).reduce((a, s) => a + s.qty, 0) }))
      .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region)).slice(0, 2);
    expect(res.json().rows.map((r: Record<string, unknown>) => ({ region: r.region, count: r.count, qty: r.sum_qty }))).toEqual(counts);
    expect(typeof res.json().rows[0].sum_qty).toBe('number');
    // une mesure sans fonction : 400 sur le champ
    const missing = await query({ measures: [{ field: 'qty' }] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('measures[0].fn');
  });

  it('groups through references (dotted paths) and filters with the list filter language', async () => {
    const res = await query({
      measures: [{ fn: 'sum', field: 'amount', as: 'revenue' }],
      dimensions: [{ field: 'customer.name' }],
      filter: { qty: { gte: 5 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const expected = new Map(customers.map((c) => [c.name, sum(sales.filter((s) => s.customer === c.id && s.qty >= 5).map((s) => s.amount)).toString()]));
    expect(Object.fromEntries(body.rows.map((r: { keys: Record<string, string>; values: { revenue: string } }) => [r.keys['customer.name'], r.values.revenue]))).toEqual(Object.fromEntries(expected));
    // plus gros d'abord par défaut
    const revenues = body.rows.map((r: { values: { revenue: string } }) => Number(r.values.revenue));
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    expect(body.columns[0].label).toEqual({ en: 'Customer › Name', fr: 'Client › Nom' });
  });

  it('cuts periods in the time zone asked, across a daylight saving change', async () => {
    const months = async (timeZone: string) => {
      const res = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'soldAt', bucket: 'month' }], filter: { amount: { eq: '1.00' } }, timeZone });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().rows.map((r: { keys: Record<string, string>; values: { count: number } }) => [r.keys['soldAt:month'], r.values.count]);
    };
    expect(await months('UTC')).toEqual([['2025-03-01', 2]]);
    expect(await months('Europe/Paris')).toEqual([['2025-03-01', 1], ['2025-04-01', 1]]);
    const days = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'soldAt', bucket: 'day' }], filter: { amount: { eq: '1.00' } }, timeZone: 'Europe/Paris' });
    expect(days.json().rows.map((r: { keys: Record<string, string> }) => r.keys['soldAt:day'])).toEqual(['2025-03-30', '2025-04-01']);
    // la période analysée suit aussi le fuseau : le 1er avril à Paris contient la vente de 22:30 UTC la veille
    const april = await query({ measures: [{ fn: 'count' }], filter: { amount: { eq: '1.00' } }, timeZone: 'Europe/Paris', period: { field: 'soldAt', from: '2025-04-01', to: '2025-04-30' } });
    expect(april.json().totals.count).toBe(1);
  });

  it('cuts fiscal years and quarters from the company’s fiscal year start', async () => {
    const company = (await admin.post('/api/v1/data/company', { name: 'April Co', fiscalYearStartMonth: 4 })).json();
    const res = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'day', bucket: 'fiscalYear' }], company: company.id });
    expect(res.statusCode, res.body).toBe(200);
    const fy = (day: string) => (Number(day.slice(5, 7)) >= 4 ? `${day.slice(0, 4)}-04-01` : `${Number(day.slice(0, 4)) - 1}-04-01`);
    const expected = new Map<string, number>();
    for (const s of sales) expected.set(fy(s.day), (expected.get(fy(s.day)) ?? 0) + 1);
    expect(res.json().rows.map((r: { keys: Record<string, string>; values: { count: number } }) => [r.keys['day:fiscalYear'], r.values.count]))
      .toEqual([...expected.entries()].sort());
    const quarters = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'day', bucket: 'fiscalQuarter' }], company: company.id, filter: { day: { between: ['2025-01-01', '2025-12-31'] } } });
    expect(quarters.json().rows.map((r: { keys: Record<string, string> }) => r.keys['day:fiscalQuarter'])).toEqual(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
    // sans société : l'exercice est l'année civile
    const calendar = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'day', bucket: 'fiscalYear' }] });
    expect(calendar.json().rows.map((r: { keys: Record<string, string> }) => r.keys['day:fiscalYear'])).toEqual(['2024-01-01', '2025-01-01', '2026-01-01']);
  });

  it('keeps the top N of the first dimension and groups the rest in “others”, exactly for every measure', async () => {
    const res = await query({
      measures: [{ fn: 'sum', field: 'amount' }, { fn: 'countDistinct', field: 'customer' }],
      dimensions: [{ field: 'customer.name' }], top: 2, others: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const byCustomer = customers.map((c) => ({ name: c.name, id: c.id, total: sum(sales.filter((s) => s.customer === c.id).map((s) => s.amount)) }))
      .sort((a, b) => b.total.comparedTo(a.total));
    expect(body.rows).toHaveLength(3);
    expect(body.rows.slice(0, 2).map((r: { keys: Record<string, string> }) => r.keys['customer.name'])).toEqual(byCustomer.slice(0, 2).map((c) => c.name));
    const others = body.rows[2];
    expect(others).toMatchObject({ others: true, keys: { 'customer.name': null } });
    const rest = byCustomer.slice(2);
    expect(others.values['sum:amount']).toBe(sum(rest.map((c) => c.total.toString())).toString());
    expect(others.values['countDistinct:customer']).toBe(3);
    expect(body.totals['countDistinct:customer']).toBe(5);
    // sans « autres » : les N premiers seulement, totaux inchangés
    const plain = (await query({ measures: [{ fn: 'sum', field: 'amount' }], dimensions: [{ field: 'customer.name' }], top: 2 })).json();
    expect(plain.rows).toHaveLength(2);
    expect(plain.totals['sum:amount']).toBe(body.totals['sum:amount']);
  });

  it('pivots a dimension into columns', async () => {
    const res = await query({
      measures: [{ fn: 'count' }], dimensions: [{ field: 'region' }, { field: 'day', bucket: 'year' }],
      pivot: { columns: ['day:year'] }, sort: [{ by: 'region' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { pivot } = res.json();
    expect(pivot.rows).toEqual(['region']);
    expect(pivot.columnKeys).toEqual([{ 'day:year': '2024-01-01' }, { 'day:year': '2025-01-01' }, { 'day:year': '2026-01-01' }]);
    expect(pivot.data).toHaveLength(4);
    for (const line of pivot.data) {
      pivot.columnKeys.forEach((col: Record<string, string>, i: number) => {
        const n = sales.filter((s) => s.region === line.keys.region && s.day.slice(0, 4) === col['day:year']!.slice(0, 4)).length;
        expect(line.cells[i]?.count ?? 0).toBe(n);
      });
    }
  });

  it('compares with the same period of last year, month by month, without dividing by zero', async () => {
    const res = await query({
      measures: [{ fn: 'sum', field: 'amount' }, { fn: 'count' }], dimensions: [{ field: 'day', bucket: 'month' }],
      period: { field: 'day', from: '2025-01-01', to: '2025-03-31' }, compare: 'previousYear',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.meta.comparedWith).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(body.rows).toHaveLength(3);
    for (const row of body.rows) {
      const month = row.keys['day:month'].slice(0, 7);
      const last = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
      const now = sum(sales.filter((s) => s.day.startsWith(month)).map((s) => s.amount));
      const before = sum(sales.filter((s) => s.day.startsWith(last)).map((s) => s.amount));
      expect(row.values['sum:amount']).toBe(now.toString());
      expect(row.previous['sum:amount']).toBe(before.toString());
      expect(row.change['sum:amount']).toBeCloseTo(now.minus(before).div(before).toNumber(), 5);
    }
    expect(body.previousTotals.count).toBe(sales.filter((s) => s.day >= '2024-01-01' && s.day <= '2024-03-31').length);
    // période précédente de même longueur : le trimestre d'avant ; une période sans vente donne une variation nulle
    const previous = (await query({ measures: [{ fn: 'count' }], period: { field: 'day', from: '2024-01-01', to: '2024-03-31' }, compare: 'previousPeriod' })).json();
    expect(previous.meta.comparedWith).toEqual({ from: '2023-10-01', to: '2023-12-31' });
    expect(previous.rows[0].previous.count).toBe(0);
    expect(previous.rows[0].change.count).toBeNull();
  });

  it('converts money into one currency at a fixed date or at each record’s date, in exact decimals', async () => {
    const fixed = await query({ measures: [{ fn: 'sum', field: 'price' }], currency: { code: 'EUR', date: '2025-01-15' } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const toEur = (s: Sale, rate: string) => (s.price.currency === 'EUR' ? new Decimal(s.price.amount) : new Decimal(s.price.amount).div(rate));
    const expectedFixed = sales.reduce((a, s) => a.plus(toEur(s, '1.10')), new Decimal(0));
    expect(fixed.json().totals['sum:price']).toBe(expectedFixed.toFixed(2));
    expect(fixed.json().meta.currency).toBe('EUR');
    expect(fixed.json().columns[0].type).toBe('money');

    const atRecord = await query({ measures: [{ fn: 'sum', field: 'price' }], currency: { code: 'USD', date: 'record', dateField: 'day' } });
    expect(atRecord.statusCode, atRecord.body).toBe(200);
    const expectedUsd = sales.reduce((a, s) => a.plus(s.price.currency === 'USD' ? s.price.amount : new Decimal(s.price.amount).times(usdRate(s.day))), new Decimal(0));
    expect(atRecord.json().totals['sum:price']).toBe(expectedUsd.toFixed(2));
    // par défaut : la devise de référence du tenant (EUR) au taux du jour
    expect((await query({ measures: [{ fn: 'sum', field: 'price' }] })).json().meta.currency).toBe('EUR');
    // une devise sans taux : 422 qui la nomme
    const noRate = await query({ measures: [{ fn: 'sum', field: 'price' }], currency: { code: 'JPY' } });
    expect(noRate.statusCode).toBe(422);
    expect(noRate.json().detail).toMatch(/(EUR|USD) to JPY/);
  });

  it('applies permissions, record rules and field rules: a restricted user’s totals are those of the records they can list', async () => {
    const kit = memberKit(server, tenant, admin);
    const role = await kit.role('an analyst', ['an_sale:read', 'customer:read']);
    expect((await admin.post('/api/v1/data/record_rule', { role, entity: 'an_sale', filter: { region: { in: ['north', 'east'] } } })).statusCode).toBe(201);
    expect((await admin.post('/api/v1/data/field_rule', { role, entity: 'an_sale', field: 'margin', access: 'hidden' })).statusCode).toBe(201);
    const analyst = await kit.member('an-analyst', [role]);
    const listed: Array<{ amount: string; qty: number }> = [];
    let cursor: string | undefined;
    do {
      const page = (await analyst.api.get(`/api/v1/data/an_sale?${qs({ limit: 100, fields: 'amount,qty', ...(cursor ? { cursor } : {}) })}`)).json();
      listed.push(...page.data);
      cursor = page.meta.nextCursor ?? undefined;
    } while (cursor);
    const res = await query({ measures: [{ fn: 'count' }, { fn: 'sum', field: 'amount' }, { fn: 'sum', field: 'qty' }], dimensions: [{ field: 'region' }] }, analyst.api);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.rows.map((r: { keys: { region: string } }) => r.keys.region).sort()).toEqual(['east', 'north']);
    expect(body.totals).toEqual({ count: listed.length, 'sum:amount': sum(listed.map((s) => s.amount)).toString(), 'sum:qty': listed.reduce((a, s) => a + s.qty, 0) });
    expect(listed.length).toBeLessThan(sales.length);
    // le champ masqué ne se mesure, ne se regroupe ni ne se filtre
    for (const body of [
      { measures: [{ fn: 'sum', field: 'margin' }] },
      { measures: [{ fn: 'count' }], dimensions: [{ field: 'margin' }] },
      { measures: [{ fn: 'count' }], filter: { margin: { gt: 1 } } },
    ]) {
      const refused = await query(body, analyst.api);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ code: 'unknown_field', field: 'margin' });
    }
    // sans droit de lecture : refus
    const outsider = await kit.member('an-outsider', [await kit.role('an nothing', ['customer:read'])]);
    expect((await query({ measures: [{ fn: 'count' }] }, outsider.api)).statusCode).toBe(403);
  });

  it('gives each row the list filter of its records (drill-down), periods in the time zone included', async () => {
    const res = await query({
      measures: [{ fn: 'count' }], dimensions: [{ field: 'customer.name' }, { field: 'soldAt', bucket: 'month' }],
      timeZone: 'Europe/Paris', period: { field: 'day', from: '2025-01-01', to: '2025-06-30' }, filter: { qty: { gte: 3 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as Array<{ values: { count: number }; drill: unknown }>;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows.slice(0, 8)) {
      const listed = (await admin.get(`/api/v1/data/an_sale?${qs({ filter: row.drill, count: true, limit: 1 })}`)).json();
      expect(listed.meta.count, JSON.stringify(row.drill)).toBe(row.values.count);
    }
    // le mois d'avril à Paris commence le 31 mars à 22:00 UTC (heure d'été)
    const edge = (await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'soldAt', bucket: 'month' }], filter: { amount: { eq: '1.00' } }, timeZone: 'Europe/Paris' })).json();
    expect(edge.rows[1].drill).toEqual({ and: [{ amount: { eq: '1.00' } }, { soldAt: { gte: '2025-03-31T22:00:00.000Z', lt: '2025-04-30T22:00:00.000Z' } }] });
  });

  it('refuses bad input with clear, field-level messages in French and English', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ measures: [{ fn: 'sum', field: 'nope' }] }, 400, 'unknown_field'],
      [{ measures: [{ fn: 'sum', field: 'region' }] }, 400, 'not_aggregatable'],
      [{ measures: [{ fn: 'count' }], dimensions: [{ field: 'amount', bucket: 'month' }] }, 400, 'not_temporal'],
      [{ measures: [{ fn: 'avg' }] }, 400, 'field_required'],
      [{ measures: [{ fn: 'count' }, { fn: 'count' }] }, 400, 'duplicate_name'],
      [{ measures: [{ fn: 'count' }], sort: [{ by: 'nope' }] }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], compare: 'previousYear' }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], top: 3 }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], timeZone: 'Mars/Olympus' }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], period: { field: 'day', from: '2025-02-30', to: '2025-03-01' } }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], period: { field: 'day', from: '2025-03-01', to: '2025-02-01' } }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], period: { field: 'region', from: '2025-01-01', to: '2025-02-01' } }, 400, 'not_temporal'],
      [{ measures: [{ fn: 'count' }], dimensions: [{ field: 'price' }, { field: 'region' }, { field: 'qty' }, { field: 'day' }, { field: 'amount' }] }, 400, 'validation_failed'],
      [{ measures: [{ fn: 'count' }], filter: { region: { like: 1 } } }, 400, 'invalid_value'],
      [{ entity: 'nothing_here', measures: [{ fn: 'count' }] }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await query(body);
      expect(res.statusCode, JSON.stringify(body) + res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (code !== 'validation_failed') expect(res.json().code, JSON.stringify(body)).toBe(code);
    }
    const fr = await query({ measures: [{ fn: 'sum', field: 'region' }] }, admin, { 'accept-language': 'fr' });
    expect(fr.json().errors[0].message).toContain('somme, moyenne et centile demandent un nombre');
  });

  it('refuses a cardinality explosion with a clear 422 (setting analytics.maxGroups)', async () => {
    expect((await admin.put('/api/v1/settings/analytics.maxGroups', { value: 50, level: 'tenant' })).statusCode).toBe(200);
    try {
      const res = await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'id' }] });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'too_many_groups', detail: expect.stringContaining('more than 50 groups') });
      // le top N garde l'analyse sous la limite
      expect((await query({ measures: [{ fn: 'count' }], dimensions: [{ field: 'id' }], top: 10, others: true })).json().rows).toHaveLength(11);
    } finally {
      await admin.delete('/api/v1/settings/analytics.maxGroups?level=tenant');
    }
  });
});
