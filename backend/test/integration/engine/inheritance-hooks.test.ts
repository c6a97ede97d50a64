import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineEntity, extendEntity } from '@opsflux/sdk';
import type { DispatchedEvent } from '../../../src/events/outbox.js';
import { ProblemError } from '../../../src/errors/problem.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const party = defineEntity({
  name: 'test_party', abstract: true, label: { en: 'Party', fr: 'Tiers' }, display: 'name',
  fields: { name: { type: 'string', required: true, search: true }, country: { type: 'string', maxLength: 2 } },
});
const customer = defineEntity({
  name: 'test_customer', extends: 'test_party', label: { en: 'Customer', fr: 'Client' },
  fields: { creditLimit: { type: 'money' }, salesRep: { type: 'ref', options: { to: 'user' } } },
});
const supplier = defineEntity({
  name: 'test_supplier', extends: 'test_party', label: { en: 'Supplier', fr: 'Fournisseur' },
  fields: { paymentDays: { type: 'integer', default: 30 } },
});
const order = defineEntity({
  name: 'test_order', label: { en: 'Order', fr: 'Commande' },
  fields: { customer: { type: 'ref', options: { to: 'test_customer' } }, total: { type: 'decimal' } },
});
const loyalty = extendEntity({ entity: 'test_customer', module: 'loyalty', fields: { points: { type: 'integer', default: 0 } } });

let server: TestServer;
let tenant: TestTenant;
let api: Client;
const events: DispatchedEvent[] = [];

beforeAll(async () => {
  server = await startServer({ entities: [party, customer, supplier, order], extensions: [loyalty], dispatch: true });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
  server.platform.dispatcher.subscribe('*', (e) => {
    if (e.tenantId === tenant.tenantId) events.push(e);
  });
});

afterAll(async () => server?.close());

describe('class-table inheritance and extension', () => {
  it('creates a customer across the parent and child tables, with the module extension field', async () => {
    const res = await api.post('/api/v1/data/test_customer', { name: 'Acme', country: 'FR', creditLimit: { amount: '5000', currency: 'EUR' }, salesRep: tenant.userId });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Acme', country: 'FR', creditLimit: { amount: '5000', currency: 'EUR' }, points: 0 });
    const meta = (await api.get('/api/v1/meta/entities/test_customer')).json();
    expect(meta.extends).toBe('test_party');
    expect(meta.fields.find((f: { name: string }) => f.name === 'name').inheritedFrom).toBe('test_party');
  });

  it('lets one party be customer and supplier at once without duplication', async () => {
    const c = (await api.post('/api/v1/data/test_customer', { name: 'Both Ltd' })).json();
    const s = await api.post('/api/v1/data/test_supplier', { id: c.id, name: 'Both Ltd' });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({ id: c.id, paymentDays: 30 });
    const parties = await server.platform.tenantTx({ tenantId: tenant.tenantId, userId: tenant.userId, requestId: 't', ip: null, locale: 'en' }, async (trx) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM test_party WHERE id = ${c.id}`.execute(trx)).rows[0]!.n);
    expect(parties).toBe(1);
    // renommer via le rôle fournisseur change le tiers partagé
    await api.patch(`/api/v1/data/test_supplier/${c.id}`, { name: 'Both Group' });
    expect((await api.get(`/api/v1/data/test_customer/${c.id}`)).json().name).toBe('Both Group');
  });

  it('refuses to create an abstract entity directly', async () => {
    expect((await api.post('/api/v1/data/test_party', { name: 'x' })).statusCode).toBe(405);
  });

  it('filters through ref paths and inherited fields', async () => {
    const acme = (await api.get(`/api/v1/data/test_customer?${qs({ filter: { name: 'Acme' } })}`)).json().data[0];
    await api.post('/api/v1/data/test_order', { customer: acme.id, total: '120.5' });
    const found = (await api.get(`/api/v1/data/test_order?${qs({ filter: { 'customer.name': { ilike: '%acme%' }, 'customer.salesRep.email': tenant.email } })}`)).json();
    expect(found.data).toHaveLength(1);
    expect(found.data[0].total).toBe('120.5');
    const none = (await api.get(`/api/v1/data/test_order?${qs({ filter: { 'customer.country': 'DE' } })}`)).json();
    expect(none.data).toHaveLength(0);
    const sorted = await api.get(`/api/v1/data/test_order?${qs({ sort: '-customer.name' })}`);
    expect(sorted.statusCode, sorted.body).toBe(200);
  });
});

describe('hooks and outbox', () => {
  it('lets a before hook refuse a write, leaving nothing behind', async () => {
    const off = server.platform.hooks.on('beforeCreate', 'test_supplier', ({ data }) => {
      if (data?.name === 'Forbidden') throw new ProblemError(422, 'refused_by_hook', 'Suppliers named Forbidden are refused');
    });
    try {
      // les événements des tests précédents d'abord (leur distribution peut encore être en cours)
      await server.platform.dispatcher.idle();
      events.length = 0;
      const res = await api.post('/api/v1/data/test_supplier', { name: 'Forbidden' });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('refused_by_hook');
      const list = (await api.get(`/api/v1/data/test_supplier?${qs({ filter: { name: 'Forbidden' }, count: 'true' })}`)).json();
      expect(list.meta.count).toBe(0);
      await server.platform.dispatcher.idle();
      expect(events.filter((e) => e.topic === 'test_supplier.created')).toHaveLength(0);
    } finally {
      off();
    }
  });

  it('lets a before hook change values and an after hook see the record', async () => {
    const seen: unknown[] = [];
    const offBefore = server.platform.hooks.on('beforeCreate', 'test_supplier', ({ data }) => {
      data!.paymentDays = 45;
    });
    const offAfter = server.platform.hooks.on('afterCreate', 'test_supplier', ({ after }) => {
      seen.push(after?.paymentDays);
    });
    try {
      const res = await api.post('/api/v1/data/test_supplier', { name: 'Hooked' });
      expect(res.json().paymentDays).toBe(45);
      expect(seen).toEqual([45]);
    } finally {
      offBefore();
      offAfter();
    }
  });

  it('emits an event after commit, and none for a rolled-back write', async () => {
    events.length = 0;
    const created = (await api.post('/api/v1/data/test_supplier', { name: 'Evented' })).json();
    const failing = server.platform.hooks.on('afterUpdate', 'test_supplier', () => {
      throw new ProblemError(409, 'late_refusal', 'Refused after the SQL ran');
    });
    try {
      expect((await api.patch(`/api/v1/data/test_supplier/${created.id}`, { name: 'Changed' })).statusCode).toBe(409);
    } finally {
      failing();
    }
    expect((await api.get(`/api/v1/data/test_supplier/${created.id}`)).json().name).toBe('Evented');
    await server.platform.dispatcher.idle();
    const mine = events.filter((e) => e.payload.id === created.id);
    expect(mine.map((e) => e.topic)).toEqual(['test_supplier.created']);
    const event = mine[0]!;
    expect(event.payload).toMatchObject({ entity: 'test_supplier', id: created.id, eid: created.eid, actor: tenant.userId });
  });

  it('dispatches events left pending by a crash when the dispatcher starts again', async () => {
    await server.platform.dispatcher.stop();
    events.length = 0;
    const created = (await api.post('/api/v1/data/test_supplier', { name: 'While down' })).json();
    expect(events).toHaveLength(0);
    server.platform.dispatcher.start();
    await server.platform.dispatcher.idle();
    expect(events.some((e) => e.topic === 'test_supplier.created' && e.payload.id === created.id)).toBe(true);
  });
});
