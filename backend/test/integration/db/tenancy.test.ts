import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, ownerSql, startServer, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';

let server: TestServer;
let a: TestTenant;
let b: TestTenant;
let recordOfA: string;

beforeAll(async () => {
  server = await startServer();
  a = await newTenant(server);
  b = await newTenant(server);
  // la même entité personnalisée dans les deux tenants : des tables distinctes, aucune collision
  for (const t of [a, b]) {
    const res = await client(server, t.token).post('/api/v1/meta/entities', { name: 'secret', fields: { value: { type: 'string' } } });
    expect(res.statusCode, res.body).toBe(201);
  }
  const someone = await client(server, a.token).post('/api/v1/data/user', { email: 'someone@a.test', displayName: 'Someone' });
  expect(someone.statusCode, someone.body).toBe(201);
  recordOfA = someone.json().id;
});

afterAll(async () => server?.close());

describe('tenant isolation', () => {
  it('an unfiltered SELECT and UPDATE in another tenant transaction sees and changes nothing (RLS)', async () => {
    const db = server.platform.db;
    const seen = await inTenant(db, { tenantId: b.tenantId, userId: b.userId }, async (trx) => {
      const rows = await sql<{ id: string; tenant_id: string }>`SELECT id, tenant_id FROM app_user`.execute(trx);
      const updated = await sql`UPDATE app_user SET display_name = 'pwned'`.execute(trx);
      const audit = await sql<{ tenant_id: string }>`SELECT tenant_id FROM audit_log`.execute(trx);
      return { rows: rows.rows, updated: Number(updated.numAffectedRows ?? 0), audit: audit.rows };
    });
    // exactement les utilisateurs de B (son administrateur compris), lus hors RLS par le propriétaire
    const usersOfB = await tenantSql(server.platform, b.tenantId, sql<{ id: string }>`SELECT id FROM app_user WHERE tenant_id = ${b.tenantId}`);
    expect(usersOfB.rows.map((r) => r.id)).toContain(b.userId);
    expect(seen.rows.map((r) => r.id).sort()).toEqual(usersOfB.rows.map((r) => r.id).sort());
    expect(new Set(seen.rows.map((r) => r.tenant_id))).toEqual(new Set([b.tenantId]));
    expect(seen.updated).toBe(seen.rows.length);
    // B a son propre journal (création de l'entité « secret ») : non vide, et rien d'autre que lui
    expect(seen.audit.length).toBeGreaterThan(0);
    expect(new Set(seen.audit.map((r) => r.tenant_id))).toEqual(new Set([b.tenantId]));
    const still = await client(server, a.token).get(`/api/v1/data/user/${recordOfA}`);
    expect(still.json().displayName).toBe('Someone');
  });

  it('refuses to write a row for another tenant (WITH CHECK)', async () => {
    const db = server.platform.db;
    await expect(
      inTenant(db, { tenantId: b.tenantId, userId: b.userId }, (trx) =>
        sql`UPDATE app_user SET tenant_id = ${a.tenantId} WHERE tenant_id = ${b.tenantId}`.execute(trx)),
    ).rejects.toThrow(/row-level security/);
  });

  it('refuses a row for a tenant that does not exist, without a foreign key to the tenant row', async () => {
    const db = server.platform.db;
    const ghost = '01a00000-0000-7000-8000-000000000000';
    await expect(
      inTenant(db, { tenantId: b.tenantId, userId: b.userId }, (trx) =>
        sql`INSERT INTO audit_log (tenant_id, action, entity) VALUES (${ghost}, 'create', 'secret')`.execute(trx)),
    ).rejects.toThrow(/row-level security/);
    // aucune écriture ne verrouille la ligne du tenant (FOR KEY SHARE d'une clé étrangère) : pas de contention MultiXact
    const { rows } = await ownerSql(server.platform, sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND confrelid = 'tenant'::regclass`);
    expect(rows[0]!.n).toBe(0);
  });

  it('runs requests as the non-owner application role', async () => {
    const db = server.platform.db;
    const role = await inTenant(db, { tenantId: a.tenantId }, async (trx) =>
      (await sql<{ r: string; su: boolean }>`SELECT current_user AS r, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`.execute(trx)).rows[0]);
    expect(role).toEqual({ r: 'opsflux_app', su: false });
  });

  it('answers 404 for another tenant record and never reveals it', async () => {
    const apiB = client(server, b.token);
    expect((await apiB.get(`/api/v1/data/user/${recordOfA}`)).statusCode).toBe(404);
    expect((await apiB.patch(`/api/v1/data/user/${recordOfA}`, { displayName: 'x' })).statusCode).toBe(404);
    expect((await apiB.delete(`/api/v1/data/user/${recordOfA}`)).statusCode).toBe(404);
    expect((await apiB.get(`/api/v1/data/user/${recordOfA}/history`)).statusCode).toBe(404);
    const list = (await apiB.get('/api/v1/data/user?limit=1000')).json();
    expect(list.data.some((r: { id: string }) => r.id === recordOfA)).toBe(false);
  });

  it('keeps custom entities of each tenant apart', async () => {
    const apiA = client(server, a.token);
    const apiB = client(server, b.token);
    expect((await apiA.post('/api/v1/data/secret', { value: 'from A' })).statusCode).toBe(201);
    expect((await apiA.get('/api/v1/data/secret')).json().data.map((r: { value: string }) => r.value)).toEqual(['from A']);
    const listB = (await apiB.get('/api/v1/data/secret')).json();
    expect(listB.data).toEqual([]);
    const field = await apiA.post('/api/v1/meta/entities/secret/fields', { name: 'level', type: 'integer' });
    expect(field.statusCode, field.body).toBe(201);
    const metaB = (await apiB.get('/api/v1/meta/entities/secret')).json();
    expect(metaB.fields.map((f: { name: string }) => f.name)).toEqual(['value']);
    const write = await apiB.post('/api/v1/data/secret', { value: 'b', level: 3 });
    expect(write.statusCode).toBe(400);
  });

  it('refuses a reference to another tenant record', async () => {
    const apiB = client(server, b.token);
    const created = await apiB.post('/api/v1/meta/entities', { name: 'ticket', fields: { owner: { type: 'ref', options: { to: 'user' } } } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await apiB.post('/api/v1/data/ticket', { owner: recordOfA });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'owner', code: 'invalid_reference' });
    const own = await apiB.post('/api/v1/data/ticket', { owner: b.userId });
    expect(own.statusCode).toBe(201);
  });
});
