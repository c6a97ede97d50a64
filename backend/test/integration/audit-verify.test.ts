import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, UnknownTenantError, verifyAudit, type AuditProblemKind } from '../../src/audit/verify.js';
import { inTenant } from '../../src/db/transaction.js';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../support/platform.js';

let server: TestServer;

interface Chain extends TestTenant {
  /** voie qui porte les créations groupées (une seule transaction, donc une seule connexion) */
  lane: number;
  /** numéros de séquence de cette voie, dans l'ordre */
  seqs: number[];
}

/** Voie du tenant qui porte une entrée d'audit de l'entité donnée, et ses numéros de séquence. */
async function laneOf(tenant: TestTenant, entity: string): Promise<{ lane: number; seqs: number[] }> {
  return inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) => {
    const { rows } = await sql<{ lane: number }>`SELECT lane FROM audit_log WHERE entity = ${entity} ORDER BY id DESC LIMIT 1`.execute(trx);
    const lane = Number(rows[0]!.lane);
    const all = await sql<{ seq: number }>`SELECT seq FROM audit_log WHERE lane = ${lane} ORDER BY seq`.execute(trx);
    return { lane, seqs: all.rows.map((r) => Number(r.seq)) };
  });
}

/** Tenant neuf : entité personnalisée, quelques notes, et une voie d'audit d'au moins cinq lignes consécutives. */
async function chain(): Promise<Chain> {
  const tenant = await newTenant(server);
  const api = client(server, tenant.token);
  expect((await api.post('/api/v1/meta/entities', { name: 'note', fields: { title: { type: 'string', required: true } } })).statusCode).toBe(201);
  for (const title of ['first', 'second']) expect((await api.post('/api/v1/data/note', { title })).statusCode).toBe(201);
  // les créations groupées partagent une transaction, donc une voie : au moins cinq lignes qui se suivent
  const operations = Array.from({ length: 5 }, (_, i) => ({ op: 'create', data: { title: `n${i}` } }));
  expect((await api.post('/api/v1/data/note/bulk', { operations })).statusCode).toBe(200);
  const { lane, seqs } = await laneOf(tenant, 'note');
  expect(seqs.length).toBeGreaterThanOrEqual(5);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  return { ...tenant, lane, seqs };
}

type Found = { seq: number; kind: AuditProblemKind };

async function problems(tenant: TestTenant): Promise<{ ok: boolean; found: Found[] }> {
  const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
  expect(report.tenants).toHaveLength(1);
  const [mine] = report.tenants;
  for (const p of mine!.problems) expect(p.tenantId).toBe(tenant.tenantId);
  expect(mine!.ok).toBe(report.ok);
  return { ok: report.ok, found: mine!.problems.map((p) => ({ seq: p.seq, kind: p.kind })) };
}

// Le propriétaire (superutilisateur, sur PGlite comme sur le serveur de test) contourne la RLS : c'est l'attaquant à détecter.
const tamper = (statement: RawBuilder<unknown>) => statement.execute(server.platform.db);
const where = (c: Chain) => sql`tenant_id = ${c.tenantId} AND lane = ${c.lane}`;

/** Ligne fabriquée au numéro `seq`, rattachée à `prev` ; empreinte correcte (calculée avec la fonction du journal) ou non. */
const forge = (c: Chain, seq: number, prev: RawBuilder<unknown>, validHash = true) => tamper(sql`
  INSERT INTO audit_log (id, tenant_id, lane, seq, at, action, entity, changes, prev_hash, hash)
  SELECT nextval('audit_log_id_seq'), ${c.tenantId}::uuid, ${c.lane}::smallint, ${seq}::bigint, f.at, 'delete', 'note', '{}'::jsonb, f.prev,
         ${validHash
           ? sql`audit_hash(${c.tenantId}::uuid, ${c.lane}::smallint, ${seq}::bigint, f.prev, f.at, NULL, 'delete', 'note', NULL, '{}'::jsonb, NULL, NULL)`
           : sql`repeat('f', 64)`}
  FROM (SELECT date_trunc('milliseconds', now()) AS at, (${prev}) AS prev) f`);

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('audit verify', () => {
  it('accepts an intact chain and counts every row', async () => {
    const tenant = await chain();
    const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
    expect(report.ok).toBe(true);
    const total = await inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(trx)).rows[0]!.n);
    expect(report.tenants[0]).toMatchObject({ tenantId: tenant.tenantId, slug: tenant.slug, rows: total, ok: true, problems: [] });
    // par id aussi
    expect((await verifyAudit(server.platform.db, { tenant: tenant.tenantId })).tenants[0]!.rows).toBe(total);
  });

  it('verifies every tenant without a filter and rejects an unknown one', async () => {
    const tenant = await chain();
    const report = await verifyAudit(server.platform.db);
    expect(report.tenants.map((t) => t.tenantId)).toContain(tenant.tenantId);
    await expect(verifyAudit(server.platform.db, { tenant: 'no-such-tenant' })).rejects.toBeInstanceOf(UnknownTenantError);
  });

  it('reports a modified row', async () => {
    const c = await chain();
    await tamper(sql`UPDATE audit_log SET changes = '{"title":{"from":null,"to":"forged"}}' WHERE ${where(c)} AND seq = ${c.seqs[2]}`);
    expect(await problems(c)).toEqual({ ok: false, found: [{ seq: c.seqs[2], kind: 'modified' }] });
  });

  it('reports a deleted middle row at its sequence number', async () => {
    const c = await chain();
    await tamper(sql`DELETE FROM audit_log WHERE ${where(c)} AND seq = ${c.seqs[1]}`);
    expect(await problems(c)).toEqual({ ok: false, found: [{ seq: c.seqs[1], kind: 'deleted' }] });
  });

  it('reports a deleted last row through the chain head', async () => {
    const c = await chain();
    await tamper(sql`DELETE FROM audit_log WHERE ${where(c)} AND seq = ${c.seqs.at(-1)}`);
    expect(await problems(c)).toEqual({ ok: false, found: [{ seq: c.seqs.at(-1), kind: 'head_mismatch' }] });
  });

  it('reports two rows that exchanged places', async () => {
    const c = await chain();
    // échange complet de deux lignes voisines (contenu, maillons et empreintes) : chaque ligne reste intacte, mais déplacée
    const [a, b, next] = [c.seqs[1]!, c.seqs[2]!, c.seqs[3]!];
    await tamper(sql`UPDATE audit_log SET seq = -seq WHERE ${where(c)} AND seq IN (${a}, ${b})`);
    await tamper(sql`UPDATE audit_log SET seq = CASE seq WHEN ${-a}::bigint THEN ${b}::bigint ELSE ${a}::bigint END
      WHERE ${where(c)} AND seq IN (${-a}::bigint, ${-b}::bigint)`);
    expect(await problems(c)).toEqual({
      ok: false,
      found: [
        { seq: a, kind: 'modified' }, { seq: a, kind: 'reordered' },
        { seq: b, kind: 'modified' }, { seq: b, kind: 'reordered' },
        { seq: next, kind: 'reordered' },
      ],
    });
  });

  it('reports a well-forged row appended after the head as inserted', async () => {
    const c = await chain();
    const last = c.seqs.at(-1)!;
    await forge(c, last + 1, sql`SELECT hash FROM audit_log WHERE ${where(c)} AND seq = ${last}`);
    expect(await problems(c)).toEqual({ ok: false, found: [{ seq: last + 1, kind: 'inserted' }] });
  });

  it('reports a badly forged appended row as modified and inserted', async () => {
    const c = await chain();
    const last = c.seqs.at(-1)!;
    await forge(c, last + 1, sql`SELECT hash FROM audit_log WHERE ${where(c)} AND seq = ${last}`, false);
    expect((await problems(c)).found).toEqual([{ seq: last + 1, kind: 'modified' }, { seq: last + 1, kind: 'inserted' }]);
  });

  it('reports a row slipped into the middle of the chain', async () => {
    const c = await chain();
    const at = c.seqs[2]!;
    const last = c.seqs.at(-1)!;
    // décale la fin de la chaîne d'un cran puis glisse à sa place une ligne correctement chaînée et hachée
    await tamper(sql`UPDATE audit_log SET seq = -(seq + 1) WHERE ${where(c)} AND seq >= ${at}`);
    await tamper(sql`UPDATE audit_log SET seq = -seq WHERE ${where(c)} AND seq < 0`);
    await forge(c, at, sql`SELECT hash FROM audit_log WHERE ${where(c)} AND seq = ${at - 1}`);
    const shifted = c.seqs.filter((s) => s >= at).map((s) => s + 1);
    const expected: Found[] = [{ seq: at, kind: 'inserted' }];
    for (const seq of shifted) {
      expected.push({ seq, kind: 'modified' }); // le numéro fait partie de l'empreinte
      if (seq === last) expected.push({ seq, kind: 'head_mismatch' });
      if (seq === last + 1) expected.push({ seq, kind: 'inserted' });
    }
    expect(await problems(c)).toEqual({ ok: false, found: expected });
  });

  it('reports a link that leads nowhere as a forged (inserted) row', async () => {
    const c = await chain();
    await tamper(sql`UPDATE audit_log SET prev_hash = repeat('a', 64) WHERE ${where(c)} AND seq = ${c.seqs[1]}`);
    expect((await problems(c)).found).toEqual([{ seq: c.seqs[1], kind: 'modified' }, { seq: c.seqs[1], kind: 'inserted' }]);
  });

  it('pages through a chain longer than one page', async () => {
    const tenant = await newTenant(server);
    const count = AUDIT_PAGE_SIZE + 10;
    await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) => sql`
      SELECT audit_append((SELECT jsonb_agg(jsonb_build_object('action', 'test', 'entity', 'bulk', 'changes', jsonb_build_object('i', i)))
                           FROM generate_series(1, ${count}::int) AS i))`.execute(trx));
    const { lane, seqs } = await laneOf(tenant, 'bulk');
    expect(seqs.length).toBeGreaterThan(AUDIT_PAGE_SIZE);
    const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
    expect(report.ok).toBe(true);
    expect(report.tenants[0]!.rows).toBeGreaterThanOrEqual(count);
    // une altération sur la deuxième page et une suppression en fin de chaîne
    const victim = seqs.at(-3)!;
    await tamper(sql`UPDATE audit_log SET action = 'forged' WHERE tenant_id = ${tenant.tenantId} AND lane = ${lane} AND seq = ${victim}`);
    await tamper(sql`DELETE FROM audit_log WHERE tenant_id = ${tenant.tenantId} AND lane = ${lane} AND seq = ${seqs.at(-1)}`);
    expect(await problems(tenant)).toEqual({
      ok: false,
      found: [{ seq: victim, kind: 'modified' }, { seq: seqs.at(-1), kind: 'head_mismatch' }],
    });
  });

  it('lets the application role append only through audit_append, never write rows or move a chain head', async () => {
    const c = await chain();
    const asApp = (statement: RawBuilder<unknown>) =>
      inTenant(server.platform.db, { tenantId: c.tenantId, userId: c.userId }, (trx) => statement.execute(trx));
    await expect(asApp(sql`UPDATE audit_log SET action = 'x'`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`DELETE FROM audit_log`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`INSERT INTO audit_log (id, tenant_id, lane, seq, at, action, entity, prev_hash, hash)
      VALUES (1, ${c.tenantId}, 0, 999, now(), 'forged', 'note', 'x', 'y')`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`UPDATE audit_head SET seq = seq + 1`)).rejects.toMatchObject({ code: '42501' });
    await asApp(sql`SELECT audit_append('[{"action":"custom","entity":"note"}]'::jsonb)`);
    expect((await problems(c)).ok).toBe(true);
  });
});
