// Modèles de base : données de référence, tiers à plusieurs rôles, arbres, suppression d'un enregistrement encore
// référencé, conversions de devises (triangulation, arrondis, taux manquants ou anciens) et d'unités, séquences.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryMailer } from '../../../src/services/email/transport/memory.js';
import { nextNumber } from '../../../src/services/reference/sequences.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let api: Client;
/** serveurs locaux permis par la politique des connexions sortantes (le fournisseur de taux de ce fichier) */
const allowed: string[] = [];

beforeAll(async () => {
  server = await startServer({ outboundAllowList: () => allowed });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
});
afterAll(() => server.close());

const one = async (entity: string, filter: object) => (await api.get(`/api/v1/data/${entity}?${qs({ filter })}`)).json().data[0];
const csv = (text: string) => api.post('/api/v1/currencies/rates/import', text, { 'content-type': 'text/csv' });

describe('reference data', () => {
  it('seeds countries, currencies with their minor units and common units of measure', async () => {
    expect(await one('currency', { code: 'EUR' })).toMatchObject({ eid: 'EUR', minorUnits: 2, symbol: '€', nameFr: 'euro' });
    expect(await one('currency', { code: 'JPY' })).toMatchObject({ minorUnits: 0 });
    expect(await one('currency', { code: 'BHD' })).toMatchObject({ minorUnits: 3 });
    expect(await one('country', { code: 'DE' })).toMatchObject({ nameEn: 'Germany', nameFr: 'Allemagne' });
    expect((await api.get('/api/v1/data/country?count=true&limit=1')).json().meta.count).toBe(249);
    expect(await one('uom', { symbol: 'kg' })).toMatchObject({ eid: 'uom-kg', ratio: '1.000000000000', reference: true });
  });
});

describe('parties', () => {
  it('lets one party be customer and supplier at once, with addresses, and refuses to delete it while referenced', async () => {
    const fr = await one('country', { code: 'FR' });
    const customer = await api.post('/api/v1/data/customer', { name: 'Dupont SA', kind: 'organisation', customerCode: 'C-001', paymentTermDays: 45, creditLimit: { amount: '50000.00', currency: 'EUR' } });
    expect(customer.statusCode, customer.body).toBe(201);
    const id = customer.json().id;
    const supplier = await api.post('/api/v1/data/supplier', { id, name: 'Dupont SA', supplierCode: 'S-001' });
    expect(supplier.statusCode, supplier.body).toBe(201);
    expect(supplier.json()).toMatchObject({ id, name: 'Dupont SA', supplierCode: 'S-001' });
    const parties = (await api.get(`/api/v1/data/party?${qs({ filter: { name: 'Dupont SA' } })}`)).json().data;
    expect(parties).toHaveLength(1);
    const address = await api.post('/api/v1/data/address', { party: id, type: 'billing', line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: fr.id });
    expect(address.statusCode, address.body).toBe(201);
    const refused = await api.delete(`/api/v1/data/party/${id}`, { 'accept-language': 'fr' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'still_referenced', errors: [{ field: 'address.party', message: 'Encore utilisé par address.party.' }] });
    expect((await api.delete(`/api/v1/data/address/${address.json().id}`)).statusCode).toBe(204);
    expect((await api.delete(`/api/v1/data/party/${id}`)).statusCode).toBe(204);
  });
});

describe('trees', () => {
  it('keeps materialised paths, filters subtrees, moves branches and refuses cycles', async () => {
    const make = async (name: string, parent?: string) => (await api.post('/api/v1/data/category', { name, ...(parent ? { parent } : {}) })).json();
    const tools = await make('Tools');
    const power = await make('Power tools', tools.id);
    const drills = await make('Drills', power.id);
    const garden = await make('Garden');
    expect(drills.path).toBe(`/${tools.id}/${power.id}/${drills.id}/`);
    const under = (id: string) => api.get(`/api/v1/data/category?${qs({ filter: { path: { like: `%/${id}/%` } }, sort: 'name' })}`);
    expect((await under(tools.id)).json().data.map((c: { name: string }) => c.name)).toEqual(['Drills', 'Power tools', 'Tools']);
    const cycle = await api.patch(`/api/v1/data/category/${tools.id}`, { parent: drills.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json()).toMatchObject({ code: 'tree_cycle', errors: [{ field: 'parent' }] });
    expect((await api.patch(`/api/v1/data/category/${tools.id}`, { parent: tools.id })).statusCode).toBe(422);
    const moved = await api.patch(`/api/v1/data/category/${power.id}`, { parent: garden.id });
    expect(moved.json().path).toBe(`/${garden.id}/${power.id}/`);
    expect((await api.get(`/api/v1/data/category/${drills.id}`)).json().path).toBe(`/${garden.id}/${power.id}/${drills.id}/`);
    // une entité qui référence l'arbre filtre par sous-arbre au travers de la référence
    await api.post('/api/v1/data/customer', { name: 'Green Fingers', category: drills.id });
    const inGarden = await api.get(`/api/v1/data/customer?${qs({ filter: { 'category.path': { like: `%/${garden.id}/%` } } })}`);
    expect(inGarden.json().data.map((c: { name: string }) => c.name)).toEqual(['Green Fingers']);
    expect((await api.delete(`/api/v1/data/category/${garden.id}`)).json().code).toBe('still_referenced');
  });
});

describe('currencies', () => {
  it('imports rates from CSV and converts directly, inversely and through the reference currency', async () => {
    const imported = await csv('date,base,quote,rate\n2024-01-02,EUR,USD,1.1\n2024-01-02,EUR,JPY,160\n2024-01-02,EUR,BHD,0.41\n2024-01-03,EUR,USD,1.25\n');
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ imported: 4, from: '2024-01-02', to: '2024-01-03' });
    const convert = (params: Record<string, string>) => api.get(`/api/v1/currencies/convert?${new URLSearchParams(params)}`);
    expect((await convert({ amount: '100', from: 'EUR', to: 'USD', date: '2024-01-02' })).json()).toMatchObject({ amount: '110.00', rate: '1.1', via: null });
    expect((await convert({ amount: '110', from: 'USD', to: 'EUR', date: '2024-01-02' })).json()).toMatchObject({ amount: '100.00' });
    // 100 USD → EUR au 2024-01-03 (1,25) → JPY au dernier taux connu (160) = 12 800 ; le yen n'a pas de décimales
    const triangulated = (await convert({ amount: '100', from: 'USD', to: 'JPY', date: '2024-01-05' })).json();
    expect(triangulated).toMatchObject({ amount: '12800', via: 'EUR', rates: [{ base: 'EUR', quote: 'USD', date: '2024-01-03', inverted: true }, { base: 'EUR', quote: 'JPY', date: '2024-01-02' }] });
    // 1 USD → BHD = 0,41 / 1,1 = 0,372727… arrondi à 3 décimales
    expect((await convert({ amount: '1', from: 'USD', to: 'BHD', date: '2024-01-02' })).json().amount).toBe('0.373');
    expect((await convert({ amount: '0.1', from: 'EUR', to: 'EUR' })).json()).toMatchObject({ amount: '0.10', rate: '1' });
  });

  it('rounds half up by default and half to even when configured, without floating-point drift', async () => {
    await csv('date,base,quote,rate\n2024-02-01,EUR,GBP,0.5\n');
    const convert = async (amount: string) => (await api.get(`/api/v1/currencies/convert?${new URLSearchParams({ amount, from: 'EUR', to: 'GBP', date: '2024-02-01' })}`)).json().amount;
    expect(await convert('0.05')).toBe('0.03');
    expect(await convert('0.07')).toBe('0.04');
    expect((await api.put('/api/v1/settings/currency.rounding', { value: 'halfEven' })).statusCode).toBe(200);
    expect(await convert('0.05')).toBe('0.02');
    expect(await convert('0.07')).toBe('0.04');
    expect(await convert('1234567890123.45')).toBe('617283945061.72');
  });

  it('names the gap when no rate exists, refuses stale rates, unknown currencies and bad input', async () => {
    const convert = (params: Record<string, string>) => api.get(`/api/v1/currencies/convert?${new URLSearchParams(params)}`);
    const none = await convert({ amount: '1', from: 'USD', to: 'JPY', date: '2023-12-31' });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'no_rate', detail: 'No exchange rate from USD to JPY on or before 2023-12-31 (directly or through EUR)' });
    const stale = await convert({ amount: '1', from: 'EUR', to: 'JPY', date: '2024-03-01' });
    expect(stale.json()).toMatchObject({ code: 'stale_rate', detail: expect.stringContaining('2024-01-02, more than 7 days before 2024-03-01') });
    const unknown = await convert({ amount: '1', from: 'EUR', to: 'ABC' });
    expect(unknown.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'to', code: 'unknown_currency' }] });
    const bad = await convert({ amount: '1e5', from: 'eur', to: 'USD', date: '2024-02-30' });
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['amount', 'from', 'date']);
    const badCsv = await csv('date,base,quote,rate\n2024-01-02,EUR,USD,1.1\nyesterday,EUR,EUR,-1\n');
    expect(badCsv.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'line 3', message: expect.stringContaining('date') }] });
    expect((await csv('date,base,rate\n')).json().errors[0]).toMatchObject({ field: 'header', message: 'Column "quote" is missing' });
  });

  it('fetches rates from the configured provider (ECB daily format)', async () => {
    const feed = `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope><Cube><Cube time='2024-06-03'>
      <Cube currency='USD' rate='1.0849'/><Cube currency='CHF' rate='0.9764'/></Cube></Cube></gesmes:Envelope>`;
    const provider = createServer((_request, response) => response.setHeader('content-type', 'text/xml').end(feed));
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    try {
      expect((await api.post('/api/v1/currencies/rates/fetch')).json().code).toBe('no_provider');
      const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/eurofxref-daily.xml`;
      allowed.push(new URL(url).host);
      expect((await api.put('/api/v1/settings/currency.rates.providerUrl', { value: url })).statusCode).toBe(200);
      const fetched = await api.post('/api/v1/currencies/rates/fetch');
      expect(fetched.json()).toMatchObject({ imported: 2, from: '2024-06-03', to: '2024-06-03' });
      expect(await one('exchange_rate', { eid: 'EUR-CHF-2024-06-03' })).toMatchObject({ rate: '0.9764000000', source: expect.stringContaining('127.0.0.1') });
      expect((await api.post('/api/v1/currencies/rates/fetch')).json().imported).toBe(0);
    } finally {
      await new Promise((resolve) => provider.close(resolve));
    }
  });
});

describe('units of measure', () => {
  it('converts within a category with the target rounding and refuses across categories', async () => {
    const convert = (params: Record<string, string>) => api.get(`/api/v1/uom/convert?${new URLSearchParams(params)}`);
    expect((await convert({ quantity: '1500', from: 'uom-g', to: 'uom-kg' })).json()).toEqual({ quantity: '1.500', from: 'g', to: 'kg', factor: '0.001' });
    expect((await convert({ quantity: '2', from: 'uom-lb', to: 'uom-g' })).json().quantity).toBe('907');
    const kg = await one('uom', { symbol: 'kg' });
    expect((await convert({ quantity: '3', from: kg.id, to: 'uom-t' })).json().quantity).toBe('0.003');
    const across = await convert({ quantity: '1', from: 'uom-kg', to: 'uom-m' });
    expect(across.statusCode).toBe(422);
    expect(across.json()).toMatchObject({ code: 'uom_category_mismatch', detail: 'Cannot convert kg (Mass) to m (Length): different categories' });
    expect((await convert({ quantity: 'lots', from: 'uom-nope', to: 'uom-kg' })).json().errors.map((e: { field: string }) => e.field)).toEqual(['quantity', 'from']);
  });
});

describe('sequences', () => {
  it('formats numbers with date parts and restarts each year', async () => {
    expect((await api.post('/api/v1/data/sequence', { code: 'invoice', name: 'Invoices', prefix: 'INV-{YYYY}-', padding: 4, reset: 'yearly' })).statusCode).toBe(201);
    const draw = async (date: string) => (await api.post('/api/v1/sequences/invoice/next', { date })).json().value;
    expect(await draw('2024-05-01')).toBe('INV-2024-0001');
    expect(await draw('2024-12-31')).toBe('INV-2024-0002');
    expect(await draw('2025-01-01')).toBe('INV-2025-0001');
    expect((await api.post('/api/v1/sequences/nothing/next', {})).json().code).toBe('unknown_sequence');
  });

  it('draws 1,000 numbers concurrently without duplicates, and without gaps in gap-free mode even after a rollback', async () => {
    await api.post('/api/v1/data/sequence', { code: 'order', name: 'Orders', padding: 0, mode: 'gapless' });
    const ctx = { tenantId: tenant.tenantId, userId: tenant.userId, requestId: 'rollback', ip: null, locale: 'en' as const };
    await expect(server.platform.tenantTx(ctx, async (trx) => {
      expect(await nextNumber(trx, 'order')).toBe('1');
      throw new Error('rolled back');
    }, { write: true })).rejects.toThrow('rolled back');
    const values = await Promise.all(Array.from({ length: 1000 }, async () => (await api.post('/api/v1/sequences/order/next', {})).json().value as string));
    expect(values.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    await api.post('/api/v1/data/sequence', { code: 'ticket', name: 'Tickets', mode: 'fast', padding: 0 });
    const fast = await Promise.all(Array.from({ length: 200 }, async () => (await api.post('/api/v1/sequences/ticket/next', {})).json().value as string));
    expect(new Set(fast).size).toBe(200);
  });
});

describe('calendars', () => {
  it('adds working days and counts them, skipping weekends, dated and yearly holidays', async () => {
    const calendar = await api.post('/api/v1/data/calendar', { name: 'France' });
    expect(calendar.json()).toMatchObject({ workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'], workStart: '09:00' });
    const id = calendar.json().id;
    await api.post('/api/v1/data/holiday', { calendar: id, date: '2024-05-01', name: 'Fête du travail', yearly: true });
    await api.post('/api/v1/data/holiday', { calendar: id, date: '2024-05-09', name: 'Ascension' });
    const add = async (date: string, days: number) => (await api.get(`/api/v1/calendars/${id}/add-working-days?date=${date}&days=${days}`)).json().date;
    // mardi 30 avril + 1 : le 1er mai est férié → jeudi 2 mai
    expect(await add('2024-04-30', 1)).toBe('2024-05-02');
    // vendredi 3 mai + 1 → lundi 6 mai ; + 4 → vendredi 10 mai (l'Ascension du jeudi 9 est sautée)
    expect(await add('2024-05-03', 1)).toBe('2024-05-06');
    expect(await add('2024-05-03', 4)).toBe('2024-05-10');
    expect(await add('2024-05-06', -1)).toBe('2024-05-03');
    expect(await add('2025-04-30', 1)).toBe('2025-05-02');
    const between = async (from: string, to: string) => (await api.get(`/api/v1/calendars/${id}/working-days?from=${from}&to=${to}`)).json().days;
    expect(await between('2024-05-01', '2024-06-01')).toBe(21);
    expect(await between('2024-06-01', '2024-05-01')).toBe(-21);
    const bad = await api.get(`/api/v1/calendars/${id}/add-working-days?date=2024-02-30&days=99999999`);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['date', 'days']);
    expect((await api.get('/api/v1/calendars/00000000-0000-4000-8000-000000000000/working-days?from=2024-01-01&to=2024-02-01')).statusCode).toBe(404);
    const refused = await api.post('/api/v1/data/calendar', { name: 'Odd', workingDays: ['mon', 'funday'], workStart: '18:00', workEnd: '08:00' });
    expect(refused.json().errors[0]).toMatchObject({ field: 'workingDays', code: 'invalid_enum' });
    expect((await api.post('/api/v1/data/calendar', { name: 'Night', workStart: '18:00', workEnd: '08:00' })).json().errors[0].field).toBe('workEnd');
  });
});

describe('bookmarks and licences', () => {
  it('keeps bookmarks personal unless shared', async () => {
    const kit = memberKit(server, tenant, api);
    const reader = await kit.role('bookmarker', ['bookmark:read', 'bookmark:create', 'bookmark:update', 'bookmark:delete']);
    const ann = await kit.member('ann', [reader]);
    const bob = await kit.member('bob', [reader]);
    const mine = await ann.api.post('/api/v1/data/bookmark', { label: 'My customers', entity: 'customer', view: { filter: { paymentTermDays: { gt: 30 } } } });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().user).toBe(ann.id);
    const shared = await ann.api.post('/api/v1/data/bookmark', { label: 'Team view', entity: 'customer', shared: true });
    expect((await ann.api.post('/api/v1/data/bookmark', { label: 'Forged', entity: 'customer', user: bob.id })).json().errors[0]).toMatchObject({ field: 'user', code: 'read_only' });
    const seenByBob = (await bob.api.get('/api/v1/data/bookmark')).json().data.map((b: { label: string }) => b.label);
    expect(seenByBob).toEqual(['Team view']);
    expect((await bob.api.get(`/api/v1/data/bookmark/${mine.json().id}`)).statusCode).toBe(404);
    expect((await bob.api.patch(`/api/v1/data/bookmark/${shared.json().id}`, { label: 'Mine now' })).statusCode).toBe(404);
    expect((await bob.api.delete(`/api/v1/data/bookmark/${shared.json().id}`)).statusCode).toBe(404);
    expect((await ann.api.patch(`/api/v1/data/bookmark/${shared.json().id}`, { label: 'Team view (Q3)' })).statusCode).toBe(200);
  });

  it('registers licences held and lists those expiring soon', async () => {
    await api.post('/api/v1/data/licence', { name: 'CAD suite', vendor: 'Drafts Inc', seats: 10, seatsUsed: 7, expiresOn: '2025-01-15', cost: { amount: '4800.00', currency: 'EUR' } });
    await api.post('/api/v1/data/licence', { name: 'Mail relay', vendor: 'Post Co', kind: 'subscription', expiresOn: '2026-06-01' });
    const soon = await api.get(`/api/v1/data/licence?${qs({ filter: { expiresOn: { lte: '2025-02-01' } } })}`);
    expect(soon.json().data.map((l: { name: string }) => l.name)).toEqual(['CAD suite']);
    expect((await api.post('/api/v1/data/licence', { name: 'Bad', seats: -1 })).json().errors[0]).toMatchObject({ field: 'seats' });
    // rappel 30 jours avant l'échéance, une seule fois ; une nouvelle échéance réarme le rappel
    const mailer = server.platform.mailer as MemoryMailer;
    const scheduler = server.platform.licenceScheduler;
    expect((await scheduler.check(tenant.tenantId, new Date('2024-12-10T09:00:00Z'))).reminded).toEqual([]);
    expect((await scheduler.check(tenant.tenantId, new Date('2024-12-20T09:00:00Z'))).reminded).toEqual(['CAD suite']);
    expect(mailer.sent.at(-1)).toMatchObject({ to: tenant.email, subject: 'OpsFlux : la licence « CAD suite » expire le 2025-01-15' });
    expect((await scheduler.check(tenant.tenantId, new Date('2024-12-21T09:00:00Z'))).reminded).toEqual([]);
    const cad = await one('licence', { name: 'CAD suite' });
    expect(cad.remindedAt).toEqual(expect.any(String));
    expect((await api.patch(`/api/v1/data/licence/${cad.id}`, { expiresOn: '2026-01-15' })).json().remindedAt).toBeNull();
  });
});
