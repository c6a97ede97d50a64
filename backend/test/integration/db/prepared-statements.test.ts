// Instructions préparées des sessions serveur : une préparation par connexion, rien de retenu d'un paquet en échec,
// plafond par connexion. Serveur PostgreSQL seulement (PGlite n'a ni pool ni sessions de protocole simple).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED_PER_CONNECTION } from '../../../src/db/prepared-statements.js';
import { serverPool } from '../../../src/db/database.js';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, onServer, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let api: Client;

/** Instructions préparées de l'unique connexion du pool, vues depuis une session. */
async function prepared(): Promise<string[]> {
  return inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) =>
    (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(trx)).rows.map((r) => r.statement));
}

describe.runIf(onServer)('prepared statements in server sessions', () => {
  beforeAll(async () => {
    server = await startServer({ poolSize: 1 }); // une connexion : ce qu'on y voit est ce que les requêtes y ont laissé
    tenant = await newTenant(server);
    api = client(server, tenant.token);
    const res = await api.post('/api/v1/meta/entities', { name: 'gadget', label: { en: 'Gadget', fr: 'Gadget' }, fields: { name: { type: 'string' } } });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => server?.close());

  it('prepares a statement once per connection and reuses it', async () => {
    expect((await api.post('/api/v1/data/gadget', { name: 'G0' })).statusCode).toBe(201);
    const afterFirst = await prepared();
    for (let i = 1; i < 4; i++) expect((await api.post('/api/v1/data/gadget', { name: `G${i}` })).statusCode).toBe(201);
    expect(await prepared()).toEqual(afterFirst);
  });

  it('keeps working after a packet that failed once its statement was prepared', async () => {
    expect((await api.post('/api/v1/data/gadget', { eid: 'dup-1', name: 'A' })).statusCode).toBe(201);
    expect((await api.post('/api/v1/data/gadget', { eid: 'dup-1', name: 'B' })).statusCode).toBe(409);
    expect((await api.post('/api/v1/data/gadget', { eid: 'dup-1', name: 'C' })).statusCode).toBe(409);
    const ok = await api.post('/api/v1/data/gadget', { eid: 'dup-2', name: 'D' });
    expect(ok.statusCode, ok.body).toBe(201);
    const list = await api.get(`/api/v1/data/gadget?filter=${encodeURIComponent(JSON.stringify({ eid: { in: ['dup-1', 'dup-2'] } }))}&sort=eid`);
    expect(list.json().data.map((r: { name: string }) => r.name)).toEqual(['A', 'D']);
  });

  it('leaves the connection without role or tenant after a one-packet transaction, committed or failed', async () => {
    const owner = async () => {
      const connection = await serverPool(server.platform.db)!.connect();
      try {
        return (await connection.query<{ role: string; tenant: string | null; tx: string }>(
          "SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant, txid_current_if_assigned()::text AS tx")).rows[0]!;
      } finally {
        connection.release();
      }
    };
    expect((await api.post('/api/v1/data/gadget', { eid: 'one-shot', name: 'ok' })).statusCode).toBe(201);
    const after = await owner();
    expect(after.role).not.toBe('opsflux_app');
    expect(after.tenant ?? '').toBe('');
    expect(after.tx).toBeNull(); // aucune transaction laissée ouverte
    expect((await api.post('/api/v1/data/gadget', { eid: 'one-shot', name: 'dup' })).statusCode).toBe(409);
    expect((await owner()).role).not.toBe('opsflux_app');
    expect((await api.get(`/api/v1/data/gadget?${new URLSearchParams({ filter: JSON.stringify({ eid: 'one-shot' }) })}`)).json().data.map((r: { name: string }) => r.name)).toEqual(['ok']);
  });

  it('never holds more than its cap of statements on a connection', async () => {
    const distinct = PREPARED_PER_CONNECTION + 40;
    for (let i = 0; i < distinct; i++) {
      const { rows } = await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
        sql<{ n: number }>`SELECT ${i}::int + ${sql.lit(i)} AS n`.execute(trx));
      expect(rows[0]!.n).toBe(2 * i);
    }
    const held = await prepared();
    expect(held.length).toBeLessThanOrEqual(PREPARED_PER_CONNECTION + 1);
    expect(held.some((s) => s.includes(`+ ${distinct - 1} AS n`))).toBe(true);
  });
});
