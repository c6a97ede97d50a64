import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../../src/core/platform.js';
import { DataDirLockedError } from '../../../src/db/data-dir-lock.js';
import { openDatabase } from '../../../src/db/database.js';
import { inTenant } from '../../../src/db/transaction.js';
import { MigrationChecksumError, runMigrations, type Migration } from '../../../src/db/migrations/runner.js';
import { client, newTenant, ownerSql, onServer, startServer, type TestServer } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

describe('migrations', () => {
  const scope = `test-${Math.random().toString(36).slice(2, 8)}`;
  const table = `mig_${scope.slice(5)}`;
  const first: Migration = { version: 1, name: 'create', statements: [`CREATE TABLE ${table} (id int PRIMARY KEY)`] };
  const second: Migration = { version: 2, name: 'seed', statements: [`INSERT INTO ${table} VALUES (1)`, `INSERT INTO ${table} VALUES (2)`] };

  it('applies pending migrations once, in order', async () => {
    const db = server.platform.db;
    expect((await runMigrations(db, scope, [second, first])).applied).toEqual(['1-create', '2-seed']);
    expect((await runMigrations(db, scope, [first, second])).applied).toEqual([]);
    const { rows } = await ownerSql(server.platform, sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`);
    expect(rows[0]!.n).toBe(2);
  });

  it('refuses a migration modified after it was applied', async () => {
    const tampered = { ...first, statements: [`CREATE TABLE ${table}_x (id int)`] };
    await expect(runMigrations(server.platform.db, scope, [tampered, second])).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('rolls a failing migration back entirely', async () => {
    const broken: Migration = { version: 3, name: 'broken', statements: [`INSERT INTO ${table} VALUES (3)`, `INSERT INTO ${table} VALUES (1)`] };
    await expect(runMigrations(server.platform.db, scope, [first, second, broken])).rejects.toThrow();
    const { rows } = await ownerSql(server.platform, sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`);
    expect(rows[0]!.n).toBe(2);
    const { rows: applied } = await ownerSql(server.platform, sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migration WHERE scope = ${scope}`);
    expect(applied[0]!.n).toBe(2);
  });

  it.runIf(onServer)('lets only one node migrate at a time (advisory lock)', async () => {
    const url = process.env.OPSFLUX_TEST_DATABASE_URL!;
    const nodes = await Promise.all([openDatabase({ url }), openDatabase({ url }), openDatabase({ url })]);
    const lockScope = `${scope}-lock`;
    const slow: Migration = { version: 1, name: 'slow', statements: [`CREATE TABLE ${table}_lock (id int)`, 'SELECT pg_sleep(0.3)'] };
    try {
      const reports = await Promise.all(nodes.map((n) => runMigrations(n.db, lockScope, [slow])));
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });
});

describe('single-statement reads', () => {
  it('run in one transaction with the tenant context, and refuse a second statement', async () => {
    const tenant = await newTenant(server);
    const scope = { tenantId: tenant.tenantId, userId: tenant.userId };
    const seen = await inTenant(server.platform.db, scope, async (trx) =>
      (await sql<{ t: string; r: string }>`SELECT app_tenant()::text AS t, current_user AS r`.execute(trx)).rows[0], { singleStatement: true });
    expect(seen).toEqual({ t: tenant.tenantId, r: 'opsflux_app' });
    const twice = inTenant(server.platform.db, scope, async (trx) => {
      await sql`SELECT 1`.execute(trx);
      await sql`SELECT 2`.execute(trx);
    }, { singleStatement: true });
    if (onServer) await expect(twice).rejects.toThrow(/exactly one statement/);
    else await expect(twice).resolves.toBeUndefined();
  });
});

describe('several API nodes on one database', () => {
  it.runIf(onServer)('a custom field created on one node is visible on the other at once (LISTEN/NOTIFY)', async () => {
    const other = await startServer();
    try {
      const tenant = await newTenant(server);
      const apiA = client(server, tenant.token);
      const apiB = client(other, tenant.token);
      expect((await apiA.post('/api/v1/meta/entities', { name: 'shared', fields: { a: { type: 'string' } } })).statusCode).toBe(201);
      // le nœud B met le catalogue du tenant en cache avant le changement
      expect((await apiB.get('/api/v1/meta/entities/shared')).json().fields).toHaveLength(1);
      expect((await apiA.post('/api/v1/meta/entities/shared/fields', { name: 'b', type: 'integer' })).statusCode).toBe(201);
      await expect.poll(async () => (await apiB.get('/api/v1/meta/entities/shared')).json().fields.length, BACKGROUND).toBe(2);
      expect((await apiB.post('/api/v1/data/shared', { a: 'x', b: 2 })).statusCode).toBe(201);
    } finally {
      await other.close();
    }
  });
});

describe('embedded data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsflux-lock-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.skipIf(onServer)('persists data and refuses a second opener of the same DATA_DIR', async () => {
    const first = await Platform.open({ dataDir: dir, dispatch: false });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
      await ownerSql(first, sql`INSERT INTO tenant (id, slug, name) VALUES ('00000000-0000-7000-8000-000000000001', 'persisted', 'P')`);
    } finally {
      await first.close();
    }
    const again = await Platform.open({ dataDir: dir, dispatch: false });
    try {
      const { rows } = await ownerSql(again, sql<{ slug: string }>`SELECT slug FROM tenant WHERE slug = 'persisted'`);
      expect(rows).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
