// Qui écrit quels champs : les secrets et éléments d'authentification (internes) ne sont écrits ni par l'API (REST,
// lots), ni par un import, ni par une règle d'automatisation — refusée à l'enregistrement, et à l'exécution pour une
// règle enregistrée avant ; `writableBy` restreint un champ à certains chemins ; ce que les crochets « avant » posent
// est validé comme une saisie (problem+json) au lieu de partir tel quel en base.
import { randomUUID } from 'node:crypto';
import { defineEntity } from '@opsflux/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import type { HookPayload } from '../../../src/events/hooks.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const probe = defineEntity({
  name: 'fw_probe',
  fields: {
    name: { type: 'string', required: true, maxLength: 10 },
    count: { type: 'integer' },
    kind: { type: 'enum', options: { values: ['a', 'b'] } },
    stamp: { type: 'string', readOnly: true },
    at: { type: 'datetime' },
    meta: { type: 'json' },
    /** écrit par les règles seulement (lecture seule pour l'API et les imports) */
    note: { type: 'string', writableBy: ['rules'] },
    /** écrit par l'API seulement */
    apiOnly: { type: 'string', writableBy: ['api'] },
  },
});

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

/** Crochet « avant » de test (code de confiance) : selon le nom de l'enregistrement, pose des valeurs invalides ou non. */
function probeHook({ data }: HookPayload): void {
  if (!data) return;
  switch (data.name) {
    case 'garbage':
      Object.assign(data, { name: 'x'.repeat(50), kind: 'zzz', stamp: { nested: true }, count: 1.5, at: 'yesterday', meta: 'not json' });
      break;
    case 'no-name':
      delete data.name;
      break;
    case 'trusted':
      Object.assign(data, { stamp: 'set by code', at: new Date('2026-01-02T03:04:05Z'), meta: JSON.stringify({ ok: [1, 2] }), count: 7 });
      break;
    case 'bad-update':
      data.kind = 'zzz';
      break;
  }
}

beforeAll(async () => {
  server = await startServer({ entities: [probe] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  server.platform.hooks.on('beforeCreate', 'fw_probe', probeHook);
  server.platform.hooks.on('beforeUpdate', 'fw_probe', probeHook);
});
afterAll(async () => server?.close());

const scope = () => ({ tenantId: tenant.tenantId, userId: tenant.userId });
const secretsOf = async (userId: string) => inTenant(server.platform.db, scope(), async (trx) =>
  (await sql<{ password_hash: string | null; totp_secret: string | null; recovery_codes: unknown; email: string }>`
    SELECT password_hash, totp_secret, recovery_codes, email FROM app_user WHERE id = ${userId}`.execute(trx)).rows[0]!);
const fieldsOf = (body: { errors?: Array<{ field: string; code: string }> }) =>
  Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.code]));

/** Règle enregistrée directement en base, comme avant ce contrôle (ou par une version antérieure). */
async function storeRuleDirectly(name: string, entity: string, values: Record<string, unknown>): Promise<string> {
  const id = randomUUID();
  await inTenant(server.platform.db, scope(), (trx) => sql`
    INSERT INTO hook_rule (id, tenant_id, eid, name, entity, events, actions, active, position)
    VALUES (${id}::uuid, app_tenant(), ${`legacy-${id}`}, ${name}, ${entity}, ARRAY['created', 'updated'],
      ${JSON.stringify([{ type: 'setFields', values }])}::jsonb, true, 0)`.execute(trx));
  server.platform.hookRules.invalidate(tenant.tenantId);
  return id;
}

async function dropRule(id: string): Promise<void> {
  await inTenant(server.platform.db, scope(), (trx) => sql`UPDATE hook_rule SET deleted_at = now() WHERE id = ${id}::uuid`.execute(trx));
  server.platform.hookRules.invalidate(tenant.tenantId);
}

function importFile(entity: string, csv: string, query: Record<string, string> = {}) {
  const { payload, contentType } = multipart(Buffer.from(csv), 'rows.csv');
  return server.app.inject({
    method: 'POST', url: `/api/v1/data/${entity}/import?${new URLSearchParams({ wait: 'true', ...query })}`, payload,
    headers: { 'content-type': contentType, authorization: `Bearer ${tenant.token}` },
  });
}

describe('fields written by rules, imports and the API', () => {
  it('refuses a rule that sets credentials, rights or e-mail of a user when it is saved', async () => {
    const res = await admin.post('/api/v1/data/hook_rule', {
      name: 'takeover', entity: 'user', events: ['updated'],
      actions: [{ type: 'setFields', values: { passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$AAAA$BBBB', totpSecret: 'JBSWY3DPEHPK3PXP', recoveryCodes: [], email: 'evil@attacker.test', roles: [], totpEnabled: false, displayName: 'ok' } }],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(res.json())).toEqual({
      'actions[0].values.passwordHash': 'unknown_field',
      'actions[0].values.totpSecret': 'unknown_field',
      'actions[0].values.recoveryCodes': 'unknown_field',
      'actions[0].values.email': 'not_writable',
      'actions[0].values.roles': 'not_writable',
      'actions[0].values.totpEnabled': 'read_only',
    });
    // les valeurs sont validées comme une saisie, et les champs permis aux règles le restent
    const typed = await admin.post('/api/v1/data/hook_rule', { name: 'typed', entity: 'fw_probe', events: ['created'], actions: [{ type: 'setFields', values: { kind: 'zzz', count: 'many', apiOnly: 'x' } }] });
    expect(fieldsOf(typed.json())).toEqual({ 'actions[0].values.kind': 'invalid_enum', 'actions[0].values.count': 'invalid_type', 'actions[0].values.apiOnly': 'not_writable' });
    const allowed = await admin.post('/api/v1/data/hook_rule', { name: 'note', entity: 'fw_probe', events: ['created'], condition: { name: 'ruled' }, actions: [{ type: 'setFields', values: { note: 'by rule', meta: { from: 'rule' } } }] });
    expect(allowed.statusCode, allowed.body).toBe(201);
    const ruled = await admin.post('/api/v1/data/fw_probe', { name: 'ruled' });
    expect(ruled.statusCode, ruled.body).toBe(201);
    expect(ruled.json()).toMatchObject({ note: 'by rule', meta: { from: 'rule' } });
    expect((await admin.delete(`/api/v1/data/hook_rule/${allowed.json().id as string}`)).statusCode).toBe(204);
  });

  it('does not let a rule stored before write credentials at run time: the write is refused with problem+json', async () => {
    const before = await secretsOf(tenant.userId);
    expect(before.password_hash).toMatch(/^\$argon2id\$/);
    for (const values of [{ passwordHash: 'plain' }, { totpSecret: 'JBSWY3DPEHPK3PXP' }, { recoveryCodes: ['a'] }, { email: 'evil@attacker.test' }]) {
      const rule = await storeRuleDirectly('legacy takeover', 'user', values);
      const res = await admin.patch(`/api/v1/data/user/${tenant.userId}`, { displayName: 'Renamed' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const [error] = res.json().errors;
      expect(error).toMatchObject({ field: Object.keys(values)[0] });
      expect(error.message).toContain('legacy takeover');
      await dropRule(rule);
    }
    expect(await secretsOf(tenant.userId)).toEqual(before);
    // la règle retirée, l'écriture passe et le mot de passe est toujours celui de l'utilisateur
    expect((await admin.patch(`/api/v1/data/user/${tenant.userId}`, { displayName: 'Renamed' })).statusCode).toBe(200);
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tenant.email, password: tenant.password, tenant: tenant.slug } });
    expect(login.statusCode, login.body).toBe(200);
  });

  it('refuses at run time a stored rule value that is not valid for its field', async () => {
    const rule = await storeRuleDirectly('legacy enum', 'fw_probe', { kind: 'zzz' });
    const res = await admin.post('/api/v1/data/fw_probe', { name: 'enum' });
    expect(res.statusCode, res.body).toBe(400);
    expect(fieldsOf(res.json())).toEqual({ kind: 'invalid_enum' });
    expect((await admin.get(`/api/v1/data/fw_probe?${qs({ filter: { name: 'enum' } })}`)).json().data).toEqual([]);
    await dropRule(rule);
  });

  it('keeps internal fields and fields closed to them out of REST, bulk and imports', async () => {
    const before = await secretsOf(tenant.userId);
    const rest = await admin.patch(`/api/v1/data/user/${tenant.userId}`, { passwordHash: 'plain', totpSecret: 'x', recoveryCodes: [] });
    expect(fieldsOf(rest.json())).toEqual({ passwordHash: 'unknown_field', totpSecret: 'unknown_field', recoveryCodes: 'unknown_field' });
    const bulk = await admin.post('/api/v1/data/user/bulk', { operations: [{ op: 'update', id: tenant.userId, data: { passwordHash: 'plain' } }] });
    expect(bulk.statusCode, bulk.body).toBe(400);
    expect(fieldsOf(bulk.json())).toEqual({ 'operations[0].passwordHash': 'unknown_field' });
    const mapped = await importFile('user', `eid,hash\nU-1,plain\n`, { mapping: JSON.stringify({ eid: 'eid', hash: 'passwordHash' }) });
    expect(mapped.json()).toMatchObject({ status: 'failed' });
    expect(mapped.json().message).toContain('"passwordHash" is not an importable field');
    expect(await secretsOf(tenant.userId)).toEqual(before);

    // writableBy : `note` aux règles seulement, `apiOnly` à l'API seulement
    const closed = await admin.post('/api/v1/data/fw_probe', { name: 'rest', note: 'x' });
    expect(closed.statusCode, closed.body).toBe(400);
    expect(closed.json().errors[0]).toMatchObject({ field: 'note', code: 'not_writable', message: 'This field cannot be written by the API.' });
    expect((await admin.post('/api/v1/data/fw_probe/bulk', { operations: [{ op: 'create', data: { name: 'bulk', note: 'x' } }] })).json().errors[0])
      .toMatchObject({ field: 'operations[0].note', code: 'not_writable' });
    expect((await admin.post('/api/v1/data/fw_probe', { name: 'rest', apiOnly: 'x' })).statusCode).toBe(201);
    const imported = await importFile('fw_probe', 'eid,name,apiOnly\nI-1,imported,x\n');
    expect(imported.json()).toMatchObject({ status: 'failed', counts: { created: 0 } });
    const issues = (await admin.get(`/api/v1/imports/${imported.json().id as string}/errors`)).json().data;
    expect(issues).toEqual([expect.objectContaining({ row: 2, field: 'apiOnly', code: 'not_writable', message: 'This field cannot be written by an import.' })]);
    expect((await admin.get(`/api/v1/data/fw_probe?${qs({ filter: { eid: 'I-1' } })}`)).json().data).toEqual([]);
  });

  it('describes who may write each field in the metadata and never describes internal fields', async () => {
    const user = (await admin.get('/api/v1/meta/entities/user')).json();
    const names = user.fields.map((f: { name: string }) => f.name);
    for (const hidden of ['passwordHash', 'totpSecret', 'totpPending', 'recoveryCodes', 'failedLogins']) expect(names).not.toContain(hidden);
    const byName = (meta: { fields: Array<{ name: string }> }, name: string) => meta.fields.find((f) => f.name === name);
    expect(byName(user, 'email')).toMatchObject({ writableBy: ['api', 'import'] });
    expect(byName(user, 'displayName')).toMatchObject({ writableBy: ['api', 'import', 'rules'] });
    expect(byName(user, 'totpEnabled')).toMatchObject({ writableBy: [], readOnly: true });
    const meta = (await admin.get('/api/v1/meta/entities/fw_probe')).json();
    expect(byName(meta, 'note')).toMatchObject({ writableBy: ['rules'], readOnly: true });
    expect(byName(meta, 'apiOnly')).toMatchObject({ writableBy: ['api'] });
    expect(byName(meta, 'apiOnly')).not.toHaveProperty('readOnly');
  });
});

describe('values written by before-hooks', () => {
  it('validates them like input: invalid values give problem+json and nothing is written', async () => {
    const res = await admin.post('/api/v1/data/fw_probe', { name: 'garbage' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(res.json())).toEqual({ name: 'too_long', kind: 'invalid_enum', stamp: 'invalid_type', count: 'invalid_type', at: 'invalid_type', meta: 'invalid_type' });
    const removed = await admin.post('/api/v1/data/fw_probe', { name: 'no-name' });
    expect(removed.statusCode, removed.body).toBe(400);
    expect(fieldsOf(removed.json())).toEqual({ name: 'required' });
    expect((await admin.get(`/api/v1/data/fw_probe?${qs({ filter: { name: { in: ['garbage', 'no-name', 'x'.repeat(50)] } } })}`)).json().data).toEqual([]);
  });

  it('validates them on update too, and leaves the record as it was', async () => {
    const created = (await admin.post('/api/v1/data/fw_probe', { name: 'fine', kind: 'a' })).json();
    const res = await admin.patch(`/api/v1/data/fw_probe/${created.id as string}`, { name: 'bad-update' });
    expect(res.statusCode, res.body).toBe(400);
    expect(fieldsOf(res.json())).toEqual({ kind: 'invalid_enum' });
    expect((await admin.get(`/api/v1/data/fw_probe/${created.id as string}`)).json()).toMatchObject({ name: 'fine', kind: 'a', version: 1 });
  });

  it('lets trusted code write read-only fields with values of the right type', async () => {
    const res = await admin.post('/api/v1/data/fw_probe', { name: 'trusted' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ stamp: 'set by code', count: 7, meta: { ok: [1, 2] } });
    expect(new Date(res.json().at as string).toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });
});
