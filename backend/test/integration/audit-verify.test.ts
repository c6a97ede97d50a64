import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/verify.js';
import { inTenant } from '../../src/db/transaction.js';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../support/platform.js';

let server: TestServer;

/** Tenant neuf avec une chaîne d'audit d'au moins six lignes. */
async function chain(): Promise<TestTenant> {
  const tenant = await newTenant(server);
  const api = client(server, tenant.token);
  expect((await api.post('/api/v1/meta/entities', { name: 'note', fields: { title: { type: 'string', required: true } } })).statusCode).toBe(201);
  for (let i = 0; i < 4; i++) expect((await api.post('/api/v1/data/note', { title: `n${i}` })).statusCode).toBe(201);
  return tenant;
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
    await owner(tenant, sql`UPDATE audit_log SET changes = '{"title":{"from":null,"to":"forged"}}' WHERE tenant_id = ${tenant.tenantId} AND seq = 3`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['modified'] });
  });

  it('reports a deleted middle row', async () => {
    const tenant = await chain();
    await owner(tenant, sql`DELETE FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND seq = 3`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['deleted'] });
  });

  it('reports a deleted last row through the chain head', async () => {
    const tenant = await chain();
    await owner(tenant, sql`DELETE FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND seq = (SELECT max(seq) FROM audit_log WHERE tenant_id = ${tenant.tenantId})`);
    expect(await kinds(tenant)).toEqual({ ok: false, kinds: ['head_mismatch'] });
  });

  it('reports reordered rows', async () => {
    const tenant = await chain();
    // échange complet des lignes 3 et 4 (contenu, maillons et empreintes) : chacune reste cohérente en elle-même
    await owner(tenant, sql`UPDATE audit_log SET seq = -seq WHERE tenant_id = ${tenant.tenantId} AND seq IN (3, 4)`);
    await owner(tenant, sql`UPDATE audit_log SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE tenant_id = ${tenant.tenantId} AND seq IN (-3, -4)`);
    const result = await kinds(tenant);
    expect(result.ok).toBe(false);
    expect(result.kinds).toContain('reordered');
    expect(result.kinds).toContain('modified');
  });

  it('reports a forged row appended at the end', async () => {
    const tenant = await chain();
    await owner(tenant, sql`INSERT INTO audit_log (tenant_id, seq, at, action, entity, changes, prev_hash, hash)
      SELECT tenant_id, seq + 1, now(), 'delete', 'note', '{}', hash, repeat('f', 64) FROM audit_head WHERE tenant_id = ${tenant.tenantId}`);
    const result = await kinds(tenant);
    expect(result.kinds).toEqual(['modified', 'head_mismatch']);
  });

  it('reports a forged row whose link points outside the chain', async () => {
    const tenant = await chain();
    await owner(tenant, sql`UPDATE audit_log SET prev_hash = repeat('a', 64) WHERE tenant_id = ${tenant.tenantId} AND seq = 2`);
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
