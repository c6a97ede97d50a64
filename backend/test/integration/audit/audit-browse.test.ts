// Journal d'audit dans la console : filtres, pages, nom de l'auteur, réservé aux administrateurs du tenant,
// cloisonné par tenant, vérification de la chaîne du tenant.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, tamperAudit, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  expect((await admin.post('/api/v1/meta/entities', { name: 'ledger_note', fields: { title: { type: 'string' } } })).statusCode).toBe(201);
  for (const title of ['one', 'two', 'three']) ids.push((await admin.post('/api/v1/data/ledger_note', { title })).json().id);
  expect((await admin.patch(`/api/v1/data/ledger_note/${ids[0]}`, { title: 'uno' })).statusCode).toBe(200);
  expect((await admin.delete(`/api/v1/data/ledger_note/${ids[1]}`)).statusCode).toBe(204);
});
afterAll(async () => server?.close());

describe('audit log browser', () => {
  it('lists the newest entries first with their author, filtered by entity, record and action', async () => {
    const all = (await admin.get(`/api/v1/audit?${qs({ entity: 'ledger_note' })}`)).json();
    expect(all.data.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create', 'create', 'create']);
    expect(all.data[0]).toMatchObject({ entity: 'ledger_note', recordId: ids[1], actor: tenant.userId, actorName: expect.any(String) });
    const record = (await admin.get(`/api/v1/audit?${qs({ entity: 'ledger_note', recordId: ids[0] })}`)).json().data;
    expect(record.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    expect(record[0].changes).toEqual({ title: { from: 'one', to: 'uno' } });
    const deletes = (await admin.get(`/api/v1/audit?${qs({ action: 'delete' })}`)).json().data;
    expect(deletes.map((e: { recordId: string }) => e.recordId)).toEqual([ids[1]]);
  });

  it('pages with a cursor and filters by period', async () => {
    const first = (await admin.get(`/api/v1/audit?${qs({ entity: 'ledger_note', limit: '2' })}`)).json();
    expect(first.data).toHaveLength(2);
    const second = (await admin.get(`/api/v1/audit?${qs({ entity: 'ledger_note', limit: '2', cursor: first.meta.nextCursor })}`)).json();
    expect(second.data.map((e: { id: string }) => e.id).some((id: string) => first.data.some((f: { id: string }) => f.id === id))).toBe(false);
    const future = (await admin.get(`/api/v1/audit?${qs({ from: '2999-01-01T00:00:00Z' })}`)).json();
    expect(future.data).toEqual([]);
  });

  it('refuses bad filters with field errors, non-administrators, and never shows another tenant', async () => {
    const bad = await admin.get(`/api/v1/audit?${qs({ recordId: "x' OR 1=1 --", limit: 'lots' })}`);
    expect(bad.statusCode).toBe(400);
    const user = await memberKit(server, tenant, admin).member('auditee');
    expect((await user.api.get('/api/v1/audit')).statusCode).toBe(403);
    const other = await newTenant(server);
    const theirs = (await client(server, other.token).get(`/api/v1/audit?${qs({ entity: 'ledger_note' })}`)).json();
    expect(theirs.data).toEqual([]);
  });

  it('verifies the tenant chain and reports a tampered row', async () => {
    await server.platform.chainer.drain();
    const clean = (await admin.get('/api/v1/audit/verify')).json();
    expect(clean).toMatchObject({ tenantId: tenant.tenantId, ok: true, problems: [] });
    expect(clean.rows).toBeGreaterThanOrEqual(5);
    // altération directe en base, hors d'OpsFlux (le propriétaire, protections du journal désactivées)
    await tamperAudit(server.platform, sql`UPDATE audit_log SET changes = '{"title":{"from":"one","to":"forged"}}'
      WHERE tenant_id = ${tenant.tenantId} AND record_id = ${ids[0]} AND action = 'update'`);
    const tampered = (await admin.get('/api/v1/audit/verify')).json();
    expect(tampered.ok).toBe(false);
    expect(tampered.problems[0]).toMatchObject({ kind: 'modified' });
  });
});
