import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/verify.js';
import { inTenant } from '../../src/db/transaction.js';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../support/platform.js';

let server: TestServer;

interface Chain extends TestTenant {
  /** voie qui porte les quatre créations (une seule transaction, donc une seule connexion) */
  lane: number;
  /** numéros de séquence de cette voie, dans l'ordre */
  seqs: number[];
}

/** Tenant neuf dont une voie d'audit porte au moins quatre lignes consécutives. */
async function chain(): Promise<Chain> {
  const tenant = await newTenant(server);
  const api = client(server, tenant.token);
  expect((await api.post('/api/v1/meta/entities', { name: 'note', fields: { title: { type: 'string', required: true } } })).statusCode).toBe(201);
  const operations = Array.from({ length: 4 }, (_, i) => ({ op: 'create', data: { title: `n${i}` } }));
  expect((await api.post('/api/v1/data/note/bulk', { operations })).statusCode).toBe(200);
  const { lane, seqs } = await inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) => {
    const { rows } = await sql<{ lane: number }>`SELECT lane FROM audit_log WHERE entity = 'note' LIMIT 1`.execute(trx);
    const found = rows[0]!.lane;
    const all = await sql<{ seq: number }>`SELECT seq FROM audit_log WHERE lane = ${found} ORDER BY seq`.execute(trx);
    return { lane: found, seqs: all.rows.map((r) => Number(r.seq)) };
  });
  expect(seqs.length).toBeGreaterThanOrEqual(4);
  return { ...tenant, lane, seqs };
}

const kinds = async (tenant: TestTenant) => {
  const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
  return { ok: report.ok, kinds: report.tenants[0]!.problems.map((p) => p.kind) };
};

// le propriétaire (superutilisateur ici) peut altérer le journal : c'est ce que la vérification doit détecter
const owner = (tenant: TestTenant, statement: ReturnType<typeof sql>) =>
  inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) => {
    await sql`SELECT set_config('role', 'none', true)`.execute(trx);
    await statement.execute(trx);
  });

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('audit verify', () => {
  it('accepts an intact chain', async () => {
    const tenant = await chain();
    expect(await kinds(tenant)).toEqual({ ok: true, kinds: [] });
  });

  it('reports a modified row', async () => {
    const tenant = await chain();
    await owner(tenant, sql`UPDATE audit_log SET changes = '{"title":{"from":null,"to":"forged"}}' WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq = ${tenant.seqs[2]}`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['modified'] });
  });

  it('reports a deleted middle row', async () => {
    const tenant = await chain();
    await owner(tenant, sql`DELETE FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq = ${tenant.seqs[1]}`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['deleted'] });
  });

  it('reports a deleted last row through the chain head', async () => {
    const tenant = await chain();
    await owner(tenant, sql`DELETE FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq = ${tenant.seqs.at(-1)}`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['head_mismatch'] });
  });

  it('reports reordered rows', async () => {
    const tenant = await chain();
    // échange complet de deux lignes voisines (contenu, maillons et empreintes) : chacune reste cohérente en elle-même
    const [a, b] = [tenant.seqs[1]!, tenant.seqs[2]!];
    await owner(tenant, sql`UPDATE audit_log SET seq = -seq WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq IN (${a}, ${b})`);
    await owner(tenant, sql`UPDATE audit_log SET seq = CASE seq WHEN ${-a}::bigint THEN ${b}::bigint ELSE ${a}::bigint END WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq IN (${-a}::bigint, ${-b}::bigint)`);
    const result = await kinds(tenant);
    expect(result.ok).toBe(false);
    expect(result.kinds).toContain('reordered');
    expect(result.kinds).toContain('modified');
  });

  it('reports a forged row appended at the end', async () => {
    const tenant = await chain();
    await owner(tenant, sql`INSERT INTO audit_log (id, tenant_id, lane, seq, at, action, entity, changes, prev_hash, hash)
      SELECT nextval('audit_log_id_seq'), tenant_id, lane, seq + 1, now(), 'delete', 'note', '{}', hash, repeat('f', 64)
      FROM audit_head WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane}`);
    const result = await kinds(tenant);
    expect(result.kinds).toEqual(['modified', 'head_mismatch']);
  });

  it('reports a forged row whose link points outside the chain', async () => {
    const tenant = await chain();
    await owner(tenant, sql`UPDATE audit_log SET prev_hash = repeat('a', 64) WHERE tenant_id = ${tenant.tenantId} AND lane = ${tenant.lane} AND seq = ${tenant.seqs[1]}`);
    expect((await kinds(tenant)).kinds).toEqual(['modified', 'inserted']);
  });

  it('forbids the application role to update or delete audit rows', async () => {
    const tenant = await chain();
    const asApp = (statement: ReturnType<typeof sql>) =>
      inTenant(server.platform.db, { tenantId: tenant.tenantId, userId: tenant.userId }, (trx) => statement.execute(trx));
    await expect(asApp(sql`UPDATE audit_log SET action = 'x'`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`DELETE FROM audit_log`)).rejects.toMatchObject({ code: '42501' });
    expect((await kinds(tenant)).ok).toBe(true);
  });
});
