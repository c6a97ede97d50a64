import { sql } from 'kysely';
import { objectName } from '../../../src/engine/naming.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/iam/bootstrap.js';
import { client, newTenant, ownerSql, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let api: Client;
let tenant: TestTenant;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  api = client(server, tenant.token);
  const res = await api.post('/api/v1/meta/entities', {
    name: 'product',
    label: { en: 'Product', fr: 'Produit' },
    fields: {
      name: { type: 'string', required: true, search: true },
      sku: { type: 'string', unique: true },
      price: { type: 'money' },
      weight: { type: 'decimal' },
      stock: { type: 'integer', min: 0 },
      active: { type: 'boolean', default: true },
      releasedOn: { type: 'date' },
      status: { type: 'enum', options: { values: ['draft', 'live', 'retired'] } },
      tags: { type: 'tags' },
      specs: { type: 'json' },
      homepage: { type: 'url' },
      owners: { type: 'refs', options: { to: 'user' } },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  // les champs gardent leur ordre de déclaration
  expect(res.json().fields.map((f: { name: string }) => f.name)).toEqual([
    'name', 'sku', 'price', 'weight', 'stock', 'active', 'releasedOn', 'status', 'tags', 'specs', 'homepage', 'owners',
  ]);
});

afterAll(async () => server?.close());

describe('records API', () => {
  it('creates a record with system columns, Location and ETag', async () => {
    const res = await api.post('/api/v1/data/product', {
      name: 'Widget', sku: 'W-1', price: { amount: '12.50', currency: 'EUR' }, weight: '0.125', stock: 3,
      releasedOn: '2026-01-15', status: 'live', tags: ['a', 'b'], specs: { color: 'red' }, homepage: 'https://example.com',
    });
    expect(res.statusCode, res.body).toBe(201);
    const record = res.json();
    expect(record).toMatchObject({
      name: 'Widget', sku: 'W-1', price: { amount: '12.50', currency: 'EUR' }, weight: '0.125', stock: 3, active: true,
      releasedOn: '2026-01-15', status: 'live', tags: ['a', 'b'], specs: { color: 'red' }, version: 1,
    });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.id[14]).toBe('7'); // UUIDv7
    expect(record.eid).toMatch(/^product-\d{6}$/);
    expect(record.createdAt).toBeTruthy();
    expect(record.createdBy).toBeTruthy();
    expect(res.headers.location).toBe(`/api/v1/data/product/${record.id}`);
    expect(res.headers.etag).toBe('"1"');
    const got = await api.get(`/api/v1/data/product/${record.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(record);
  });

  it('keeps generated eids unique past six digits', async () => {
    const table = (await server.platform.catalog(tenant.tenantId)).get('product')!.table;
    await ownerSql(server.platform, sql.raw(`SELECT setval('"${objectName(table, 'eid', 'seq')}"', 999998)`));
    const eids = [];
    for (let i = 0; i < 3; i++) eids.push((await api.post('/api/v1/data/product', { name: `Big ${i}` })).json().eid);
    expect(eids).toEqual(['product-999999', 'product-1000000', 'product-1000001']);
  });

  it('patches with If-Match and answers 412 on a stale version', async () => {
    const created = (await api.post('/api/v1/data/product', { name: 'Gadget' })).json();
    const ok = await api.patch(`/api/v1/data/product/${created.id}`, { stock: 7 }, { 'if-match': '"1"' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ stock: 7, version: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await api.patch(`/api/v1/data/product/${created.id}`, { stock: 9 }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await api.get(`/api/v1/data/product/${created.id}`)).json().stock).toBe(7);
  });

  it('soft deletes, lists trashed records and restores them', async () => {
    const created = (await api.post('/api/v1/data/product', { name: 'Doomed' })).json();
    expect((await api.delete(`/api/v1/data/product/${created.id}`)).statusCode).toBe(204);
    expect((await api.get(`/api/v1/data/product/${created.id}`)).statusCode).toBe(404);
    const trashed = (await api.get(`/api/v1/data/product?${qs({ trashed: 'only' })}`)).json();
    const found = trashed.data.find((r: { id: string }) => r.id === created.id);
    expect(found.deletedAt).toBeTruthy();
    expect(found.deletedBy).toBeTruthy();
    const normal = (await api.get('/api/v1/data/product?limit=1000')).json();
    expect(normal.data.some((r: { id: string }) => r.id === created.id)).toBe(false);
    const restored = await api.post(`/api/v1/data/product/${created.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();
    expect((await api.get(`/api/v1/data/product/${created.id}`)).statusCode).toBe(200);
  });

  it('upserts by eid: 201 then 200', async () => {
    const first = await api.put('/api/v1/data/product/by-eid/EXT-42', { name: 'External' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().eid).toBe('EXT-42');
    const second = await api.put('/api/v1/data/product/by-eid/EXT-42', { name: 'External v2' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, name: 'External v2', version: 2 });
  });

  it('refuses an eid collision with 409', async () => {
    await api.post('/api/v1/data/product', { name: 'A', eid: 'DUP-1' });
    const res = await api.post('/api/v1/data/product', { name: 'B', eid: 'DUP-1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('eid');
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'create-once-1' };
    const first = await api.post('/api/v1/data/product', { name: 'Once' }, headers);
    const second = await api.post('/api/v1/data/product', { name: 'Once' }, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = (await api.get(`/api/v1/data/product?${qs({ filter: { name: 'Once' }, count: 'true' })}`)).json();
    expect(list.meta.count).toBe(1);
    const other = await api.post('/api/v1/data/product', { name: 'Different' }, headers);
    expect(other.statusCode).toBe(409);
  });

  it('creates once when the same Idempotency-Key arrives concurrently', async () => {
    const headers = { 'idempotency-key': 'concurrent-once' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => api.post('/api/v1/data/product', { name: 'Concurrent' }, headers)));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    const list = (await api.get(`/api/v1/data/product?${qs({ filter: { name: 'Concurrent' }, count: 'true' })}`)).json();
    expect(list.meta.count).toBe(1);
  });

  it('returns the history newest first with field changes', async () => {
    const created = (await api.post('/api/v1/data/product', { name: 'Tracked', stock: 1 })).json();
    await api.patch(`/api/v1/data/product/${created.id}`, { stock: 2, name: 'Tracked 2' });
    await api.delete(`/api/v1/data/product/${created.id}`);
    const res = await api.get(`/api/v1/data/product/${created.id}/history`);
    expect(res.statusCode).toBe(200);
    const history = res.json().data;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['delete', 'update', 'create']);
    expect(history[1].changes).toEqual({ stock: { from: 1, to: 2 }, name: { from: 'Tracked', to: 'Tracked 2' } });
    expect(history[2].changes.name).toEqual({ from: null, to: 'Tracked' });
    expect(history[0].actor).toBeTruthy();
  });

  it('records each request own actor and request id when creates share a compiled shape', async () => {
    const other = await createUser(server.platform, { email: `second@${tenant.slug}.test`, password: tenant.password, tenant: tenant.slug, superAdmin: true });
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `second@${tenant.slug}.test`, password: tenant.password, tenant: tenant.slug } });
    const second = client(server, login.json().accessToken);
    const made: Array<{ id: string; who: string; requestId: string; name: string }> = [];
    for (const [who, caller] of [[tenant.userId, api], [other.id, second], [tenant.userId, api]] as const) {
      const requestId = `req-${made.length}`;
      const res = await caller.post('/api/v1/data/product', { name: `Shape ${made.length}`, stock: made.length }, { 'x-request-id': requestId });
      expect(res.statusCode, res.body).toBe(201);
      made.push({ id: res.json().id, who, requestId, name: `Shape ${made.length}` });
    }
    for (const m of made) {
      const [entry] = (await api.get(`/api/v1/data/product/${m.id}/history`)).json().data;
      expect(entry).toMatchObject({ action: 'create', actor: m.who, requestId: m.requestId });
      expect(entry.changes.name).toEqual({ from: null, to: m.name });
    }
  });

  it('runs bulk operations all-or-nothing', async () => {
    const base = (await api.post('/api/v1/data/product', { name: 'Bulk base' })).json();
    const ok = await api.post('/api/v1/data/product/bulk', {
      operations: [
        { op: 'create', data: { name: 'Bulk 1' } },
        { op: 'update', id: base.id, data: { stock: 5 } },
        { op: 'upsert', eid: 'BULK-U', data: { name: 'Bulk upsert' } },
        { op: 'delete', id: base.id },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results.map((r: { status: number }) => r.status)).toEqual([201, 200, 201, 204]);

    const before = (await api.get(`/api/v1/data/product?${qs({ count: 'true', limit: 1 })}`)).json().meta.count;
    const failed = await api.post('/api/v1/data/product/bulk', {
      operations: [
        { op: 'create', data: { name: 'Never 1' } },
        { op: 'create', data: { stock: 'many' } },
      ],
    });
    expect(failed.statusCode).toBe(400);
    const fields = failed.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('operations[1].stock');
    expect(fields).toContain('operations[1].name');
    const after = (await api.get(`/api/v1/data/product?${qs({ count: 'true', limit: 1 })}`)).json().meta.count;
    expect(after).toBe(before);
  });
});

describe('many-to-many refs', () => {
  it('stores, replaces, filters and audits a refs field', async () => {
    const other = (await api.post('/api/v1/data/user', { email: 'second@refs.test', displayName: 'Second' })).json();
    const created = await api.post('/api/v1/data/product', { name: 'Shared', owners: [tenant.userId, other.id] });
    expect(created.statusCode, created.body).toBe(201);
    expect([...created.json().owners].sort()).toEqual([tenant.userId, other.id].sort());
    const patched = await api.patch(`/api/v1/data/product/${created.json().id}`, { owners: [other.id] });
    expect(patched.json().owners).toEqual([other.id]);
    const found = (await api.get(`/api/v1/data/product?${qs({ filter: { owners: other.id.toUpperCase() }, fields: 'name' })}`)).json();
    expect(found.data.map((r: { name: string }) => r.name)).toEqual(['Shared']);
    const none = (await api.get(`/api/v1/data/product?${qs({ filter: { owners: tenant.userId }, count: 'true' })}`)).json();
    expect(none.meta.count).toBe(0);
    const history = (await api.get(`/api/v1/data/product/${created.json().id}/history`)).json().data;
    expect(history[0].changes.owners.to).toEqual([other.id]);
    expect((await api.get(`/api/v1/data/product?${qs({ filter: { owners: 'not-a-uuid' } })}`)).statusCode).toBe(400);
    const bad = await api.post('/api/v1/data/product', { name: 'Bad', owners: ['00000000-0000-7000-8000-000000000000'] });
    expect(bad.statusCode).toBe(400);
  });
});

describe('listing', () => {
  let ids: string[] = [];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 25; i++) {
      const res = await api.post('/api/v1/data/product', {
        name: `List item ${String(i).padStart(2, '0')}`, stock: i % 5, status: i % 2 ? 'live' : 'draft',
        price: { amount: String(i * 10), currency: i % 3 ? 'EUR' : 'USD' }, tags: i % 4 ? ['x'] : ['y'],
      });
      ids.push(res.json().id);
    }
  });

  it('filters, sorts and pages with a cursor without gaps or duplicates', async () => {
    const filter = { name: { like: 'List item%' }, status: 'live' };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, unknown> = { filter, sort: '-stock,name', limit: '4' };
      if (cursor) params.cursor = cursor;
      const res = await api.get(`/api/v1/data/product?${qs(params)}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      seen.push(...body.data.map((r: { name: string }) => r.name));
      cursor = body.meta.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const all = (await api.get(`/api/v1/data/product?${qs({ filter, sort: '-stock,name', limit: '100' })}`)).json().data;
    expect(seen).toEqual(all.map((r: { name: string }) => r.name));
    const stocks = all.map((r: { stock: number }) => r.stock);
    expect(stocks).toEqual([...stocks].sort((a, b) => b - a));
  });

  it.each([
    ['money then datetime', { sort: 'price,-createdAt' }],
    ['a field left out of the projection', { sort: '-stock,id', fields: 'name' }],
    ['the eid', { sort: '-eid' }],
  ])('pages without gaps or duplicates when sorting by %s', async (_label, params) => {
    const filter = { name: { like: 'List item%' } };
    const all = (await api.get(`/api/v1/data/product?${qs({ filter, ...params, limit: '100' })}`)).json().data.map((r: { id: string }) => r.id);
    expect(all).toHaveLength(25);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await api.get(`/api/v1/data/product?${qs({ filter, ...params, limit: '6', ...(cursor ? { cursor } : {}) })}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(Object.keys(body.data[0] ?? {}).some((k) => k.startsWith('__'))).toBe(false);
      seen.push(...body.data.map((r: { id: string }) => r.id));
      cursor = body.meta.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
  });

  it('supports operators, money sub-paths, tags, projection, search and count', async () => {
    const get = async (params: Record<string, unknown>) => (await api.get(`/api/v1/data/product?${qs(params)}`)).json();
    expect((await get({ filter: { name: { like: 'List item%' }, 'price.currency': 'USD' }, count: 'true' })).meta.count).toBe(9);
    expect((await get({ filter: { name: { like: 'List item%' }, price: { gte: 200 } }, count: 'true' })).meta.count).toBe(5);
    expect((await get({ filter: { name: { like: 'List item%' }, stock: { in: [0, 1] } }, count: 'true' })).meta.count).toBe(10);
    expect((await get({ filter: { name: { like: 'List item%' }, tags: 'y' }, count: 'true' })).meta.count).toBe(7);
    expect((await get({ filter: { and: [{ name: { like: 'List item%' } }, { not: { status: 'live' } }] }, count: 'true' })).meta.count).toBe(13);
    expect((await get({ filter: { name: { like: 'List item%' }, stock: { between: [1, 2] } }, count: 'true' })).meta.count).toBe(10);
    const projected = await get({ filter: { name: 'List item 03' }, fields: 'name,stock' });
    expect(projected.data).toEqual([{ id: ids[3], name: 'List item 03', stock: 3 }]);
    const searched = await get({ q: 'item 07' });
    expect(searched.data.map((r: { name: string }) => r.name)).toEqual(['List item 07']);
  });
});
