import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, UnknownTenantError, verifyAudit, type AuditProblemKind } from '../../../src/audit/verify.js';
import { AUDIT_CHAIN_LOCK } from '../../../src/db/migrations/002-audit-chain.js';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, onServer, ownerSql, startServer, tamperAudit, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;

interface Chain extends TestTenant {
  /** numéros de séquence de la chaîne du tenant, dans l'ordre */
  seqs: number[];
}

/** Chaîne ce qui attend (le serveur de test ne fait pas tourner le chaîneur) puis lit les numéros de la chaîne. */
async function chainOf(tenant: TestTenant): Promise<number[]> {
  await server.platform.chainer.drain();
  return inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) =>
    (await sql<{ seq: number }>`SELECT seq FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`.execute(trx)).rows.map((r) => Number(r.seq)));
}

/** Tenant neuf : entité personnalisée, quelques notes, et une chaîne d'audit d'au moins cinq lignes. */
async function chain(): Promise<Chain> {
  const tenant = await newTenant(server);
  const api = client(server, tenant.token);
  expect((await api.post('/api/v1/meta/entities', { name: 'note', fields: { title: { type: 'string', required: true } } })).statusCode).toBe(201);
  for (const title of ['first', 'second']) expect((await api.post('/api/v1/data/note', { title })).statusCode).toBe(201);
  const operations = Array.from({ length: 5 }, (_, i) => ({ op: 'create', data: { title: `n${i}` } }));
  expect((await api.post('/api/v1/data/note/bulk', { operations })).statusCode).toBe(200);
  const seqs = await chainOf(tenant);
  expect(seqs.length).toBeGreaterThanOrEqual(5);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  return { ...tenant, seqs };
}

type Found = { seq: number | null; kind: AuditProblemKind };

async function problems(tenant: TestTenant): Promise<{ ok: boolean; found: Found[] }> {
  const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
  expect(report.tenants).toHaveLength(1);
  const [mine] = report.tenants;
  for (const p of mine!.problems) expect(p.tenantId).toBe(tenant.tenantId);
  expect(mine!.ok).toBe(report.ok);
  return { ok: report.ok, found: mine!.problems.map((p) => ({ seq: p.seq, kind: p.kind })) };
}

// Le propriétaire (superutilisateur, sur PGlite comme sur le serveur de test) contourne la RLS et, le temps de sa
// transaction, désactive les déclencheurs qui protègent le journal : c'est l'attaquant à détecter.
const tamper = (statement: RawBuilder<unknown>) => tamperAudit(server.platform, statement);
const where = (c: TestTenant) => sql`tenant_id = ${c.tenantId}`;

/** Ligne fabriquée au numéro `seq`, rattachée à `prev` ; empreinte correcte (calculée avec la fonction du journal) ou non. */
const forge = (c: Chain, seq: number, prev: RawBuilder<unknown>, validHash = true) => tamper(sql`
  INSERT INTO audit_log (id, tenant_id, seq, at, action, entity, changes, prev_hash, hash)
  SELECT f.id, ${c.tenantId}::uuid, ${seq}::bigint, f.at, 'delete', 'note', '{}'::jsonb, f.prev,
         ${validHash
           ? sql`audit_hash(f.id, ${c.tenantId}::uuid, ${seq}::bigint, f.prev, f.at, NULL, 'delete', 'note', NULL, '{}'::jsonb, NULL, NULL)`
           : sql`repeat('f', 64)`}
  FROM (SELECT nextval('audit_log_id_seq') AS id, date_trunc('milliseconds', now()) AS at, (${prev}) AS prev) f`);

/** Entrées d'audit écrites comme le ferait l'application (rôle applicatif, colonnes métier seulement). */
const appendAsApp = (tenant: TestTenant, count: number, entity = 'bulk') => inTenant(server.platform.db, { tenantId: tenant.tenantId, userId: tenant.userId }, (trx) => sql`
  INSERT INTO audit_log (tenant_id, actor, action, entity, changes)
  SELECT app_tenant(), app_user(), 'test', ${entity}, jsonb_build_object('i', i) FROM generate_series(1, ${count}::int) AS i`.execute(trx));

/**
 * Empêche tout chaîneur de passer pendant `work` : sur la base partagée du serveur, d'autres fichiers de test font
 * tourner le leur (il chaîne tous les tenants). Sur PGlite, la base est propre à ce fichier et rien ne chaîne seul.
 */
async function withChainerPaused(work: () => Promise<void>): Promise<void> {
  const url = process.env.OPSFLUX_TEST_DATABASE_URL;
  if (!url) return work();
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]);
    await work();
  } finally {
    await holder.end();
  }
}

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
    await appendAsApp(tenant, count);
    const seqs = await chainOf(tenant);
    expect(seqs.length).toBeGreaterThan(AUDIT_PAGE_SIZE);
    const report = await verifyAudit(server.platform.db, { tenant: tenant.slug });
    expect(report.ok).toBe(true);
    expect(report.tenants[0]!.rows).toBeGreaterThanOrEqual(count);
    // une altération sur la deuxième page et une suppression en fin de chaîne
    const victim = seqs.at(-3)!;
    await tamper(sql`UPDATE audit_log SET action = 'forged' WHERE ${where(tenant)} AND seq = ${victim}`);
    await tamper(sql`DELETE FROM audit_log WHERE ${where(tenant)} AND seq = ${seqs.at(-1)}`);
    expect(await problems(tenant)).toEqual({
      ok: false,
      found: [{ seq: victim, kind: 'modified' }, { seq: seqs.at(-1), kind: 'head_mismatch' }],
    });
  });

  it('lets the application role only add rows with business columns, never chain, rewrite or move a head', async () => {
    const c = await chain();
    const asApp = (statement: RawBuilder<unknown>) =>
      inTenant(server.platform.db, { tenantId: c.tenantId, userId: c.userId }, (trx) => statement.execute(trx));
    await expect(asApp(sql`UPDATE audit_log SET action = 'x'`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`DELETE FROM audit_log`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`INSERT INTO audit_log (tenant_id, seq, action, entity, prev_hash, hash)
      VALUES (${c.tenantId}, 999, 'forged', 'note', 'x', 'y')`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`INSERT INTO audit_log (tenant_id, at, action, entity) VALUES (${c.tenantId}, now() - interval '1 day', 'forged', 'note')`))
      .rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`UPDATE audit_head SET seq = seq + 1`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(sql`SELECT audit_chain(10)`)).rejects.toMatchObject({ code: '42501' });
    // et seulement pour son propre tenant
    const other = await newTenant(server);
    await expect(asApp(sql`INSERT INTO audit_log (tenant_id, action, entity) VALUES (${other.tenantId}, 'forged', 'note')`)).rejects.toMatchObject({ code: '42501' });
    await appendAsApp(c, 1, 'note');
    await chainOf(c);
    expect((await problems(c)).ok).toBe(true);
  });

  it('chains rows still pending (a stop before the chainer ran) before verifying: no false alarm', async () => {
    const c = await chain();
    // le serveur de test ne fait pas tourner le chaîneur : ces lignes restent en attente, comme après un kill -9
    await appendAsApp(c, 3, 'note');
    const report = await verifyAudit(server.platform.db, { tenant: c.slug });
    expect(report.tenants[0]).toMatchObject({ ok: true, pending: 0, rows: c.seqs.length + 3, problems: [] });
    expect((await chainOf(c)).length).toBe(c.seqs.length + 3);
  });

  it('refuses to change, delete or truncate audit rows, pending or chained, even for the owner', async () => {
    const c = await chain();
    const asOwner = (statement: RawBuilder<unknown>) => ownerSql(server.platform, statement);
    await withChainerPaused(async () => {
      await appendAsApp(c, 1, 'note');
      const pendingRow = sql`SELECT id FROM audit_log WHERE ${where(c)} AND seq IS NULL`;
      expect((await asOwner(sql`SELECT count(*)::int AS n FROM audit_log WHERE id IN (${pendingRow})`)).rows).toEqual([{ n: 1 }]);
      await expect(asOwner(sql`UPDATE audit_log SET changes = '{"forged":true}' WHERE id IN (${pendingRow})`)).rejects.toMatchObject({ code: '42501' });
      await expect(asOwner(sql`UPDATE audit_log SET seq = 1000, prev_hash = 'x', hash = 'y', action = 'forged' WHERE id IN (${pendingRow})`)).rejects.toMatchObject({ code: '42501' });
      await expect(asOwner(sql`DELETE FROM audit_log WHERE id IN (${pendingRow})`)).rejects.toMatchObject({ code: '42501' });
    });
    await expect(asOwner(sql`UPDATE audit_log SET action = 'forged' WHERE ${where(c)} AND seq = ${c.seqs[0]}`)).rejects.toMatchObject({ code: '42501' });
    await expect(asOwner(sql`UPDATE audit_log SET seq = NULL WHERE ${where(c)} AND seq = ${c.seqs[0]}`)).rejects.toMatchObject({ code: '42501' });
    await expect(asOwner(sql`TRUNCATE audit_log`)).rejects.toMatchObject({ code: '42501' });
    // le chaîneur, lui, pose rang, maillon et empreinte une fois, sans toucher au contenu
    expect(await chainOf(c)).toHaveLength(c.seqs.length + 1);
    expect((await problems(c)).ok).toBe(true);
  });

  // la désactivation d'un déclencheur vaut pour toute la base : pas sur la base du serveur partagée par les fichiers
  it.skipIf(onServer)('reports a disabled protection of the audit log until it is enabled again', async () => {
    const c = await chain();
    await ownerSql(server.platform, sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`);
    try {
      expect(await problems(c)).toEqual({ ok: false, found: [{ seq: null, kind: 'unguarded' }] });
    } finally {
      await ownerSql(server.platform, sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard`);
    }
    expect((await problems(c)).ok).toBe(true);
  });

  it('chains concurrent writes of many tenants into one gapless chain per tenant', async () => {
    const tenants = [await newTenant(server), await newTenant(server)];
    await Promise.all(tenants.flatMap((t) => Array.from({ length: 10 }, () => appendAsApp(t, 3))));
    // deux chaîneurs en même temps (deux nœuds) : le verrou consultatif les sérialise
    await Promise.all([server.platform.chainer.drain(), server.platform.chainer.drain()]);
    for (const t of tenants) {
      const seqs = await chainOf(t);
      expect(seqs.length).toBeGreaterThanOrEqual(30);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect((await problems(t)).ok).toBe(true);
    }
  });
});
