// Tableaux de bord et indicateurs : widgets contrôlés à l'écriture, partage avec tous ou avec des rôles (lecture
// seule pour les autres), indicateur recalculé après une écriture avec les droits de son propriétaire, alerte
// notifiée au franchissement d'un seuil, indicateur devenu invalide après la suppression d'un champ, signal
// `changes` du flux SSE limité aux entités lisibles.
import ExcelJS from 'exceljs';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, settleBackground, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { openStream, type SseStream } from '../../support/sse.js';
import { waitFor } from '../../support/webhook-receiver.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let baseUrl: string;
const streams: SseStream[] = [];

const widget = (over: Record<string, unknown> = {}) => ({
  id: 'w1', type: 'bar', x: 0, y: 0, w: 6, h: 4, title: { en: 'Revenue', fr: 'Chiffre d’affaires' },
  query: { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'amount' }], dimensions: [{ field: 'region' }] }, ...over,
});

beforeAll(async () => {
  server = await startServer({ dispatch: true });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  for (const name of ['dk_sale', 'dk_secret']) {
    const res = await admin.post('/api/v1/meta/entities', {
      name, label: { en: name, fr: name },
      fields: { region: { type: 'string' }, amount: { type: 'decimal', options: { precision: 14, scale: 2 } }, bonus: { type: 'decimal', options: { precision: 14, scale: 2 } } },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await server?.close();
});

describe('dashboards', () => {
  it('checks widgets and global filters when written, with the fields at fault', async () => {
    const ok = await admin.post('/api/v1/data/dashboard', { name: 'Sales', widgets: [widget()], filters: { period: { preset: 'thisYear' } } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().owner).toBe(tenant.userId);
    for (const [body, field] of [
      [{ name: 'x', widgets: [widget({ type: 'radar' })] }, 'widgets.0.type'],
      [{ name: 'x', widgets: [widget({ w: 20 })] }, 'widgets.0.w'],
      [{ name: 'x', widgets: [widget({ query: { entity: 'dk_sale', measures: [] } })] }, 'widgets.0.query.measures'],
      [{ name: 'x', filters: { period: { preset: 'someday' } } }, 'filters.period.preset'],
      [{ name: 'x', widgets: [widget({ script: 'alert(1)' })] }, 'widgets.0.script'],
    ] as const) {
      const res = await admin.post('/api/v1/data/dashboard', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('answers every widget in one call, global filters merged, a broken widget with its problem', async () => {
    await admin.post('/api/v1/data/dk_sale/bulk', { operations: [['centre', '10'], ['centre', '20'], ['coast', '5']].map(([region, amount]) => ({ op: 'create', data: { region, amount } })) });
    const board = (await admin.post('/api/v1/data/dashboard', {
      name: 'Data', filters: { period: { preset: 'thisYear' } },
      widgets: [
        widget(),
        widget({ id: 'w2', type: 'kpi', dateField: 'createdAt', query: { entity: 'dk_sale', measures: [{ fn: 'count' }] } }),
        widget({ id: 'w3', type: 'kpi', query: { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'nothing' }] } }),
      ],
    })).json();
    const res = await admin.post(`/api/v1/analytics/dashboards/${board.id}/data`, {});
    expect(res.statusCode, res.body).toBe(200);
    const { widgets, filters } = res.json();
    expect(filters).toEqual({ period: { preset: 'thisYear' } });
    expect(widgets.w1.result.rows.map((r: { keys: { region: string }; values: Record<string, string> }) => [r.keys.region, r.values['sum:amount']])).toEqual([['centre', '30'], ['coast', '5']]);
    // la période globale s'applique au champ date du widget
    expect(widgets.w2.result.meta.period.from).toMatch(/-01-01$/);
    expect(widgets.w2.result.totals.count).toBe(3);
    expect(widgets.w3.problem).toMatchObject({ status: 400, code: 'unknown_field' });
    // filtres donnés à l'appel : une période passée ne contient aucune vente
    const past = (await admin.post(`/api/v1/analytics/dashboards/${board.id}/data`, { filters: { period: { from: '2020-01-01', to: '2020-12-31' } } })).json();
    expect(past.widgets.w2.result.totals.count).toBe(0);
    expect((await admin.post(`/api/v1/analytics/dashboards/${board.id}/data`, { filters: { period: { preset: 'never' } } })).statusCode).toBe(400);
  });

  it('extends a series widget with its forecast and confidence bounds', async () => {
    const monthly = Array.from({ length: 30 }, (_, i) => ({ region: 'trend', amount: String(100 + 5 * i + (i % 12 === 11 ? 40 : 0)), soldOn: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-10` }));
    expect((await admin.post('/api/v1/meta/entities/dk_sale/fields', { name: 'soldOn', type: 'date' })).statusCode).toBe(201);
    await admin.post('/api/v1/data/dk_sale/bulk', { operations: monthly.map((data) => ({ op: 'create', data })) });
    const series = { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'amount' }], dimensions: [{ field: 'soldOn', bucket: 'month' }], filter: { region: { eq: 'trend' } } };
    const board = (await admin.post('/api/v1/data/dashboard', {
      name: 'Forecast', widgets: [widget({ id: 'f1', type: 'line', query: series, forecast: 3 }), widget({ id: 'f2', type: 'line', query: { ...series, filter: { region: { eq: 'centre' } } }, forecast: 3 })],
    })).json();
    const { widgets } = (await admin.post(`/api/v1/analytics/dashboards/${board.id}/data`, {})).json();
    expect(widgets.f1.forecast.points.map((p: { t: string }) => p.t)).toEqual(['2025-07-01', '2025-08-01', '2025-09-01']);
    for (const p of widgets.f1.forecast.points) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
    expect(widgets.f1.forecast.model).toMatch(/holt-winters/);
    // une série trop courte : le problème, les données restent
    expect(widgets.f2.forecastProblem).toMatchObject({ code: 'series_too_short' });
    expect(widgets.f2.result.rows.length).toBeGreaterThan(0);
  });

  it('exports a widget’s data to Excel and a whole dashboard to PDF', async () => {
    const query = { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'amount' }], dimensions: [{ field: 'region' }], filter: { region: { in: ['centre', 'coast'] } }, sort: [{ by: 'region' }] };
    const xlsx = await server.app.inject({ method: 'POST', url: '/api/v1/analytics/export', headers: { authorization: `Bearer ${tenant.token}` }, payload: { query, title: 'By region' } });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="By region.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1))).toEqual([['region', 'Sum of amount'], ['centre', 30], ['coast', 5], ['Total', 35]]);
    const board = (await admin.post('/api/v1/data/dashboard', { name: 'Printable', widgets: [widget({ query, title: { en: 'Revenue by region', fr: 'CA par région' } })] })).json();
    const pdf = await server.app.inject({ method: 'GET', url: `/api/v1/analytics/dashboards/${board.id}/export`, headers: { authorization: `Bearer ${tenant.token}`, 'accept-language': 'en' } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
    expect(text).toContain('Printable');
    expect(text).toContain('Revenue by region');
    expect(text).toContain('centre');
  });

  it('is personal until shared with everyone or with roles; others only read it', async () => {
    const kit = memberKit(server, tenant, admin);
    const viewers = await kit.role('dk viewers', ['dashboard:read', 'dashboard:create', 'dashboard:update']);
    const others = await kit.role('dk others', ['dashboard:read']);
    const alice = await kit.member('dk-alice', [viewers]);
    const bob = await kit.member('dk-bob', [viewers]);
    const carol = await kit.member('dk-carol', [others]);
    const mine = (await alice.api.post('/api/v1/data/dashboard', { name: 'Alice board', widgets: [widget()] })).json();
    const sees = async (api: Client) => (await api.get(`/api/v1/data/dashboard/${mine.id}`)).statusCode;
    expect(await sees(bob.api)).toBe(404);
    expect(await sees(carol.api)).toBe(404);
    expect((await alice.api.patch(`/api/v1/data/dashboard/${mine.id}`, { sharedWith: [others] })).statusCode).toBe(200);
    expect(await sees(carol.api)).toBe(200);
    expect(await sees(bob.api)).toBe(404);
    // lire n'est pas modifier
    expect([403, 404]).toContain((await bob.api.patch(`/api/v1/data/dashboard/${mine.id}`, { name: 'taken' })).statusCode);
    expect((await alice.api.patch(`/api/v1/data/dashboard/${mine.id}`, { shared: true })).statusCode).toBe(200);
    expect(await sees(bob.api)).toBe(200);
    expect([403, 404]).toContain((await bob.api.patch(`/api/v1/data/dashboard/${mine.id}`, { name: 'taken' })).statusCode);
  });
});

describe('key indicators', () => {
  const kpi = async (id: string) => (await admin.get(`/api/v1/data/kpi/${id}`)).json();
  const settled = async (check: () => Promise<boolean>) => waitFor(async () => {
    await settleBackground(server);
    return check();
  }, 15_000, 'indicator recomputed');

  it('recomputes after a write, with its owner’s rights, and notifies when a threshold is crossed', async () => {
    const created = await admin.post('/api/v1/data/kpi', {
      name: 'North revenue', query: { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'amount' }], filter: { region: { eq: 'north' } } },
      alertAbove: '1000',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json().status).toBe('unknown');
    await admin.post('/api/v1/data/dk_sale', { region: 'north', amount: '400.50' });
    await admin.post('/api/v1/data/dk_sale', { region: 'south', amount: '9999' });
    await settled(async () => (await kpi(id)).value === '400.5');
    expect((await kpi(id)).status).toBe('ok');

    await admin.post('/api/v1/data/dk_sale', { region: 'north', amount: '700' });
    await settled(async () => (await kpi(id)).status === 'alert');
    expect((await kpi(id)).value).toBe('1100.5');
    const inbox = (await admin.get('/api/v1/notifications')).json();
    expect(inbox.data.find((n: { category: string }) => n.category === 'analytics.kpi')).toMatchObject({ title: 'Key indicator in alert: North revenue' });
  });

  it('becomes invalid, with the reason, when its query no longer holds (a field removed)', async () => {
    const created = await admin.post('/api/v1/data/kpi', { name: 'Bonus', query: { entity: 'dk_sale', measures: [{ fn: 'sum', field: 'bonus' }] } });
    const id = created.json().id;
    await admin.post('/api/v1/data/dk_sale', { region: 'east', amount: '1', bonus: '5' });
    await settled(async () => (await kpi(id)).value === '5');
    expect((await admin.delete('/api/v1/meta/entities/dk_sale/fields/bonus')).statusCode).toBe(204);
    await admin.post('/api/v1/data/dk_sale', { region: 'east', amount: '2' });
    await settled(async () => (await kpi(id)).status === 'invalid');
    expect((await kpi(id)).problem).toContain('bonus');
    // les autres indicateurs de l'entité continuent
    expect((await admin.get('/api/v1/data/kpi?filter={"name":{"eq":"North revenue"}}')).json().data[0].status).toBe('alert');
  });
});

describe('live changes', () => {
  it('tells open streams which readable entities were written', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('dk-reader', [await kit.role('dk sales reader', ['dk_sale:read'])]);
    const s = await openStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${reader.token}` });
    streams.push(s);
    await admin.post('/api/v1/data/dk_secret', { region: 'x', amount: '1' });
    await admin.post('/api/v1/data/dk_sale', { region: 'west', amount: '3' });
    const changes = () => s.events.filter((e) => e.event === 'changes').flatMap((e) => e.data.entities as string[]);
    await waitFor(async () => {
      await settleBackground(server, 1);
      return changes().includes('dk_sale');
    }, 10_000, 'changes event');
    expect(changes()).not.toContain('dk_secret');
  });
});
