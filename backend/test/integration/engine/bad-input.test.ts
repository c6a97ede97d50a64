import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let api: Client;

/** Empreinte de toutes les données visibles du tenant : rien ne doit changer après une requête refusée. */
async function snapshot(): Promise<string> {
  const tenantKey = createHash('sha256').update(tenant.tenantId).digest('hex').slice(0, 8);
  return inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) => {
    const tables = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() ORDER BY table_name`.execute(trx);
    // seulement les tables de ce tenant : d'autres fichiers de test créent les leurs en parallèle sur le serveur
    const custom = tables.rows.filter((t) => t.table_name.startsWith(`x_${tenantKey}_`));
    const data: unknown[] = [custom];
    for (const table of ['app_user', 'audit_log', 'meta_entity', 'meta_field']) {
      data.push((await sql`SELECT * FROM ${sql.table(table)} ORDER BY 1, 2`.execute(trx)).rows);
    }
    for (const t of custom) data.push((await sql`SELECT * FROM ${sql.table(t.table_name)} ORDER BY 1, 2, 3`.execute(trx)).rows);
    return JSON.stringify(data);
  });
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): { status: number; code: string } }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json().status).toBe(status);
  expect(typeof res.json().code).toBe('string');
}

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  api = client(server, tenant.token);
  const res = await api.post('/api/v1/meta/entities', {
    name: 'item',
    fields: { name: { type: 'string', required: true }, qty: { type: 'integer' }, kind: { type: 'enum', options: { values: ['a', 'b'] } } },
  });
  expect(res.statusCode, res.body).toBe(201);
  await api.post('/api/v1/data/item', { name: 'seed', qty: 1, kind: 'a' });
});

afterAll(async () => server?.close());

describe('bad input never changes the database and never answers 500', () => {
  const cases: Array<[string, () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): { status: number; code: string; errors?: Array<{ field: string }> } }>, number]> = [
    ['malformed JSON', () => server.app.inject({ method: 'POST', url: '/api/v1/data/item', headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' }, payload: '{"name": "x",' }), 400],
    ['wrong types', () => api.post('/api/v1/data/item', { name: 42, qty: 'three', kind: 'z' }), 400],
    ['unknown fields', () => api.post('/api/v1/data/item', { name: 'x', colour: 'red' }), 400],
    ['missing required', () => api.post('/api/v1/data/item', { qty: 1 }), 400],
    ['unknown entity', () => api.get('/api/v1/data/nothing_here'), 404],
    ['unknown entity write', () => api.post('/api/v1/data/nothing_here', { a: 1 }), 404],
    ['filter on unknown field', () => api.get(`/api/v1/data/item?${qs({ filter: { colour: 'red' } })}`), 400],
    ['sort on unknown field', () => api.get('/api/v1/data/item?sort=-colour'), 400],
    ['fields on unknown field', () => api.get('/api/v1/data/item?fields=name,colour'), 400],
    ['filter on internal field', () => api.get(`/api/v1/data/user?${qs({ filter: { passwordHash: { like: '%' } } })}`), 400],
    ['sort on internal field', () => api.get('/api/v1/data/user?sort=passwordHash'), 400],
    ['malformed filter JSON', () => api.get('/api/v1/data/item?filter=%7Bname'), 400],
    ['limit too large', () => api.get('/api/v1/data/item?limit=100000'), 400],
    ['limit not a number', () => api.get('/api/v1/data/item?limit=ten'), 400],
    ['forged cursor', () => api.get('/api/v1/data/item?cursor=eyJzIjoiaWQiLCJ2IjpbIjEiXX0.forged'), 400],
    ['garbage cursor', () => api.get("/api/v1/data/item?cursor=' OR 1=1 --"), 400],
    ['unknown query parameter', () => api.get('/api/v1/data/item?drop=1'), 400],
    ['SQL injection in sort', () => api.get(`/api/v1/data/item?sort=${encodeURIComponent('name; DROP TABLE app_user; --')}`), 400],
    ['SQL injection in fields', () => api.get(`/api/v1/data/item?fields=${encodeURIComponent('name, (SELECT password_hash FROM app_user)')}`), 400],
    ['SQL injection in filter path', () => api.get(`/api/v1/data/item?${qs({ filter: { "name\" = '' OR 1=1 --": 'x' } })}`), 400],
    ['SQL injection in filter operator', () => api.get(`/api/v1/data/item?${qs({ filter: { name: { 'eq; DELETE FROM audit_log': 'x' } } })}`), 400],
    ['SQL injection in entity name', () => api.get(`/api/v1/data/${encodeURIComponent('item; DROP TABLE tenant')}`), 404],
    ['SQL injection in record id', () => api.get(`/api/v1/data/item/${encodeURIComponent("1' OR '1'='1")}`), 404],
    ['stale If-Match', async () => {
      const rec = (await api.get('/api/v1/data/item?limit=1')).json().data[0];
      return api.patch(`/api/v1/data/item/${rec.id}`, { qty: 5 }, { 'if-match': '"999"' });
    }, 412],
    ['eid collision', async () => {
      const rec = (await api.get('/api/v1/data/item?limit=1')).json().data[0];
      return api.post('/api/v1/data/item', { name: 'dup', eid: rec.eid });
    }, 409],
    ['20 MB body', () => server.app.inject({ method: 'POST', url: '/api/v1/data/item', headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(20 * 1024 * 1024) }) }), 413],
    ['body that is an array', () => api.post('/api/v1/data/item', [{ name: 'x' }]), 400],
    ['prototype pollution keys', () => server.app.inject({ method: 'POST', url: '/api/v1/data/item', headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' }, payload: '{"name":"x","__proto__":{"admin":true},"constructor":{"prototype":{}}}' }), 400],
    ['no token', () => client(server).get('/api/v1/data/item'), 401],
    ['tampered token', () => client(server, `${tenant.token.slice(0, -4)}AAAA`).get('/api/v1/data/item'), 401],
    ['custom entity with quote in name', () => api.post('/api/v1/meta/entities', { name: 'bad"name', fields: {} }), 400],
    ['custom entity with SQL in name', () => api.post('/api/v1/meta/entities', { name: 'x); DROP TABLE tenant; --', fields: {} }), 400],
    ['custom entity with reserved word', () => api.post('/api/v1/meta/entities', { name: 'select', fields: {} }), 400],
    ['custom entity with unicode lookalike', () => api.post('/api/v1/meta/entities', { name: 'іtem', fields: {} }), 400],
    ['custom entity with uppercase', () => api.post('/api/v1/meta/entities', { name: 'Item', fields: {} }), 400],
    ['custom entity too long', () => api.post('/api/v1/meta/entities', { name: `a${'b'.repeat(60)}`, fields: {} }), 400],
    ['custom entity already exists', () => api.post('/api/v1/meta/entities', { name: 'item', fields: {} }), 409],
    ['custom entity shadowing core (reserved)', () => api.post('/api/v1/meta/entities', { name: 'user', fields: {} }), 400],
    ['custom field with quote', () => api.post('/api/v1/meta/entities/item/fields', { name: 'a"b', type: 'string' }), 400],
    ['custom field with SQL', () => api.post('/api/v1/meta/entities/item/fields', { name: 'x text); DROP TABLE app_user; --', type: 'string' }), 400],
    ['custom field reserved', () => api.post('/api/v1/meta/entities/item/fields', { name: 'order', type: 'string' }), 400],
    ['custom field system name', () => api.post('/api/v1/meta/entities/item/fields', { name: 'createdAt', type: 'string' }), 400],
    ['custom field zero-width char', () => api.post('/api/v1/meta/entities/item/fields', { name: 'na\u200bme', type: 'string' }), 400],
    ['custom field unknown type', () => api.post('/api/v1/meta/entities/item/fields', { name: 'extra', type: 'blob' }), 400],
    ['custom field enum without values', () => api.post('/api/v1/meta/entities/item/fields', { name: 'extra', type: 'enum' }), 400],
    ['custom field ref to nothing', () => api.post('/api/v1/meta/entities/item/fields', { name: 'extra', type: 'ref', options: { to: 'ghost' } }), 400],
    ['custom field already exists', () => api.post('/api/v1/meta/entities/item/fields', { name: 'name', type: 'string' }), 409],
  ];

  it.each(cases)('%s', async (_name, request, status) => {
    const before = await snapshot();
    const res = await request();
    expectProblem(res, status);
    expect(await snapshot()).toBe(before);
  });

  it('lists every invalid field with a French message when asked', async () => {
    const res = await api.post('/api/v1/data/item', { name: 42, qty: 'three', kind: 'z', colour: 1 }, { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as Array<{ field: string; code: string; message: string }>;
    expect(errors.map((e) => e.field).sort()).toEqual(['colour', 'kind', 'name', 'qty']);
    expect(errors.find((e) => e.field === 'kind')!.message).toContain('Valeurs permises');
  });

  it('still answers after all of that', async () => {
    const res = await api.get('/api/v1/data/item');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(1);
  });
});
