import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineEntity } from '@opsflux/sdk';
import { diffRecords } from '../../../src/engine/crud/changes.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const invoice = defineEntity({
  name: 'test_invoice', label: { en: 'Invoice', fr: 'Facture' }, scope: 'company',
  fields: {
    number: { type: 'string', required: true, unique: true },
    notes: { type: 'text' },
    lines: { type: 'integer', default: 0 },
    rate: { type: 'decimal', options: { precision: 9, scale: 4 } },
    total: { type: 'money' },
    paid: { type: 'boolean', default: false },
    issuedOn: { type: 'date' },
    sentAt: { type: 'datetime' },
    state: { type: 'enum', options: { values: ['draft', 'sent'] }, default: 'draft' },
    extra: { type: 'json' },
    owner: { type: 'ref', options: { to: 'user' } },
    watchers: { type: 'refs', options: { to: 'user' } },
    items: { type: 'children', options: { to: 'test_invoice_line', via: 'invoice' } },
    attachment: { type: 'file' },
    contact: { type: 'email' },
    phone: { type: 'phone' },
    site: { type: 'url' },
    labels: { type: 'tags' },
    doubled: { type: 'computed', options: { sql: 'lines * 2', returns: 'integer' } },
    title: { type: 'translatable' },
  },
});
const line = defineEntity({
  name: 'test_invoice_line', label: { en: 'Invoice line', fr: 'Ligne de facture' },
  fields: { invoice: { type: 'ref', options: { to: 'test_invoice' }, required: true }, label: { type: 'string' } },
});

// mêmes types, sans lien plusieurs-à-plusieurs : la création passe par l'instruction unique (audit calculé en SQL)
const { watchers: _w, items: _i, ...flatFields } = invoice.fields;
const flat = defineEntity({ name: 'test_flat', label: { en: 'Flat', fr: 'Plat' }, scope: 'company', fields: flatFields });

let server: TestServer;
let tenant: TestTenant;
let api: Client;

beforeAll(async () => {
  server = await startServer({ entities: [invoice, line, flat] });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
});
afterAll(async () => server?.close());

describe('every field type', () => {
  it('audits a create the same way on the one-statement path and on the hooked path', async () => {
    const instants = ['2026-03-01T09:30:00.571Z', '2026-03-01T09:30:00.999Z', '2026-03-01T09:30:00.001Z', '2026-03-01T09:30:00.123456Z',
      '1999-12-31T23:59:59+02:00', '2026-03-01T09:30:00.290Z'];
    for (const [i, sentAt] of instants.entries()) {
      const body = {
        number: `F-${i}`, notes: 'n', lines: i, rate: '1.23456', total: { amount: '0.10', currency: 'EUR' }, paid: false,
        issuedOn: '2026-02-28', sentAt, extra: { nested: { x: [1, 'two', null] } }, owner: tenant.userId, contact: 'a@b.test',
        labels: ['x', 'y'], title: { en: 'T' },
      };
      const audited = async (res: Awaited<ReturnType<Client['post']>>) => {
        expect(res.statusCode, res.body).toBe(201);
        const record = res.json();
        const history = (await api.get(`/api/v1/data/test_flat/${record.id}/history`)).json();
        expect(history.data).toHaveLength(1);
        const { eid, ...changes } = history.data[0].changes;
        // les changements sont ceux que l'API calcule sur l'enregistrement renvoyé
        expect({ eid, ...changes }).toEqual(JSON.parse(JSON.stringify(diffRecords(null, record))));
        return changes;
      };
      const direct = await audited(await api.post('/api/v1/data/test_flat', body));
      const off = server.platform.hooks.on('afterCreate', 'test_flat', () => undefined);
      try {
        const hooked = await audited(await api.post('/api/v1/data/test_flat', { ...body, number: `G-${i}` }));
        expect(direct).toEqual({ ...hooked, number: { from: null, to: `F-${i}` } });
      } finally {
        off();
      }
    }
  });

  it('round-trips each type through the API', async () => {
    const body = {
      number: 'INV-1', notes: 'long text', lines: 3, rate: '1.5', total: { amount: '99.90', currency: 'EUR' }, paid: true,
      issuedOn: '2026-03-01', sentAt: '2026-03-01T09:30:00.000Z', state: 'sent', extra: { a: [1, 2] }, owner: tenant.userId,
      watchers: [tenant.userId], attachment: '0190f4a2-0000-7000-8000-000000000001', contact: 'billing@acme.test',
      phone: '+33 1 23 45 67 89', site: 'https://acme.test', labels: ['urgent'], title: { fr: 'Facture', en: 'Invoice' },
    };
    const res = await api.post('/api/v1/data/test_invoice', body);
    expect(res.statusCode, res.body).toBe(201);
    const record = res.json();
    expect(record).toMatchObject({ ...body, rate: '1.5000', doubled: 6, companyId: null });
    expect(record.items).toBeUndefined();
    const meta = (await api.get('/api/v1/meta/entities/test_invoice')).json();
    expect(meta.scope).toBe('company');
    expect(meta.fields.find((f: { name: string }) => f.name === 'doubled').readOnly).toBe(true);
  });

  it('refuses writing a computed field and filters on it', async () => {
    expect((await api.post('/api/v1/data/test_invoice', { number: 'INV-2', doubled: 4 })).statusCode).toBe(400);
    await api.post('/api/v1/data/test_invoice', { number: 'INV-3', lines: 10 });
    const found = (await api.get(`/api/v1/data/test_invoice?${qs({ filter: { doubled: { gt: 10 } }, fields: 'number' })}`)).json();
    expect(found.data.map((r: { number: string }) => r.number)).toEqual(['INV-3']);
  });

  it('filters translatable texts by locale and money by currency', async () => {
    const fr = (await api.get(`/api/v1/data/test_invoice?${qs({ filter: { 'title.fr': 'Facture' } })}`)).json();
    expect(fr.data).toHaveLength(1);
    const eur = (await api.get(`/api/v1/data/test_invoice?${qs({ filter: { 'total.currency': 'EUR', total: { between: [50, 100] } } })}`)).json();
    expect(eur.data).toHaveLength(1);
  });

  it('enforces a unique field among live records only', async () => {
    const dup = await api.post('/api/v1/data/test_invoice', { number: 'INV-1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('number');
    const first = (await api.get(`/api/v1/data/test_invoice?${qs({ filter: { number: 'INV-1' } })}`)).json().data[0];
    await api.delete(`/api/v1/data/test_invoice/${first.id}`);
    expect((await api.post('/api/v1/data/test_invoice', { number: 'INV-1' })).statusCode).toBe(201);
  });

  it('searches with q over searchable fields and eid', async () => {
    const res = (await api.get(`/api/v1/data/test_invoice_line?${qs({ q: 'nothing' })}`)).json();
    expect(res.data).toEqual([]);
    const inv = (await api.post('/api/v1/data/test_invoice', { number: 'INV-Q' })).json();
    await api.post('/api/v1/data/test_invoice_line', { invoice: inv.id, label: 'Consulting 50%_off' });
    await api.post('/api/v1/data/test_invoice_line', { invoice: inv.id, label: 'Hardware' });
    const hit = (await api.get(`/api/v1/data/test_invoice_line?${qs({ q: '50%_' })}`)).json();
    expect(hit.data.map((r: { label: string }) => r.label)).toEqual(['Consulting 50%_off']);
    const wildcard = (await api.get(`/api/v1/data/test_invoice_line?${qs({ q: '%' })}`)).json();
    expect(wildcard.data).toHaveLength(1);
  });
});
