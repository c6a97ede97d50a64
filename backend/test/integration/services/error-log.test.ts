// Journal des erreurs : une erreur inattendue d'une requête est groupée par empreinte (identifiants et nombres
// normalisés), comptée, datée, rattachée à sa route et à sa requête ; l'administrateur du tenant est prévenu par
// courriel d'un nouveau groupe ; il résout, une régression rouvre ; cloisonnement entre tenants ; rien n'échoue si
// le journal lui-même est indisponible.
import { randomUUID } from 'node:crypto';
import { defineEntity } from '@opsflux/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, normaliseMessage } from '../../../src/services/errors/error-log.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { BACKGROUND } from '../../support/timeouts.js';

const fragile = defineEntity({ name: 'fragile_item', fields: { title: { type: 'string', required: true } } });
let smtp: SmtpPeer;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let reader: Client;
let calls = 0;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ entities: [fragile], mailer: smtp.mailer });
  // un défaut de programmation simulé : une erreur ordinaire, ni validation ni problème connu
  server.platform.hooks.on('beforeCreate', 'fragile_item', ({ data }) => {
    if (data?.title === 'boom') throw new TypeError(`Cannot read properties of undefined (reading 'total') for ${randomUUID()} #${++calls}`);
  });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  // lecture par un administrateur du tenant : le super-administrateur verrait les erreurs des autres fichiers de test
  const kit = memberKit(server, tenant, admin);
  reader = (await kit.member('error-reader', [await kit.role('error-admins', [], { admin: true })])).api;
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const open = async (api: Client) => (await api.get('/api/v1/errors')).json().data as Array<Record<string, unknown>>;

describe('error log', () => {
  it('groups the same fault under one fingerprint, whatever the ids and numbers in its message', () => {
    expect(normaliseMessage(`No row 42 for "ACME" ${randomUUID()}`)).toBe('No row <n> for <value> <uuid>');
    const a = new Error('timeout after 30001 ms');
    const b = new Error('timeout after 29998 ms');
    b.stack = a.stack;
    expect(fingerprintOf('core', a)).toBe(fingerprintOf('core', b));
    expect(fingerprintOf('crm', a)).not.toBe(fingerprintOf('core', a));
  });

  it('captures unexpected request errors with their route and request, counted in one group', async () => {
    const first = await admin.post('/api/v1/data/fragile_item', { title: 'boom' });
    expect(first.statusCode).toBe(500);
    expect(first.json().detail).toBe('An unexpected error occurred');
    const second = await admin.post('/api/v1/data/fragile_item', { title: 'boom' }, { 'x-request-id': 'req-second-boom' });
    expect(second.statusCode).toBe(500);
    expect((await admin.post('/api/v1/data/fragile_item', { title: 'fine' })).statusCode).toBe(201);
    // une erreur de validation n'est pas une panne
    expect((await admin.post('/api/v1/data/fragile_item', {})).statusCode).toBe(400);
    await expect.poll(async () => (await open(reader)).length, BACKGROUND).toBe(1);
    const [group] = await open(reader);
    expect(group).toMatchObject({
      source: 'core', kind: 'TypeError', count: 2, method: 'POST', route: '/api/v1/data/:entity',
      lastRequestId: 'req-second-boom', lastUserId: tenant.userId, resolvedAt: null, platform: false,
    });
    expect(String(group!.message)).toMatch(/reading 'total'/);
    // les administrateurs du tenant sont prévenus d'un nouveau groupe, une fois
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes(tenant.email)).length, BACKGROUND).toBe(1);
    expect(smtp.inbox.find((m) => m.to.includes(tenant.email))!.raw.replace(/=\r?\n/g, '')).toContain(String(group!.id));
  });

  it('resolves a group, and reopens it when the fault comes back', async () => {
    const [group] = await open(reader);
    expect((await reader.post(`/api/v1/errors/${group!.id}/resolve`)).statusCode).toBe(204);
    expect(await open(reader)).toEqual([]);
    const resolved = (await reader.get('/api/v1/errors?status=resolved')).json().data;
    expect(resolved[0]).toMatchObject({ id: group!.id });
    await admin.post('/api/v1/data/fragile_item', { title: 'boom' });
    await expect.poll(async () => (await open(reader))[0]?.count, BACKGROUND).toBe(3);
    expect((await open(reader))[0]).toMatchObject({ id: group!.id, resolvedAt: null });
  });

  it('keeps the latest occurrence when two captures are written out of order', async () => {
    const fault = new RangeError('late write');
    const at = (iso: string) => new Date(iso);
    // la capture de l'occurrence récente s'écrit d'abord, celle de l'ancienne ensuite
    await server.platform.errors.capture({ error: fault, source: 'core', tenantId: tenant.tenantId, requestId: 'req-newer', occurredAt: at('2026-12-06T10:00:01Z') });
    await server.platform.errors.capture({ error: fault, source: 'core', tenantId: tenant.tenantId, requestId: 'req-older', occurredAt: at('2026-12-06T10:00:00Z') });
    const group = (await open(reader)).find((g) => g.kind === 'RangeError');
    expect(group).toMatchObject({ count: 2, lastRequestId: 'req-newer', lastSeen: '2026-12-06T10:00:01.000Z' });
  });

  it('keeps each tenant to its own errors and refuses ordinary users and forged ids', async () => {
    // administrateur d'un autre tenant (rôle administrateur, pas super-administrateur de la plateforme)
    const other = await newTenant(server);
    const kit = memberKit(server, other, client(server, other.token));
    const boss = await kit.member('boss', [await kit.role('tenant-admins', [], { admin: true })]);
    const [group] = await open(reader);
    expect((await boss.api.get('/api/v1/errors')).statusCode).toBe(200);
    expect(await open(boss.api)).toEqual([]);
    expect((await boss.api.post(`/api/v1/errors/${group!.id}/resolve`)).statusCode).toBe(404);
    expect((await (await kit.member('clerk')).api.get('/api/v1/errors')).statusCode).toBe(403);
    expect((await reader.post('/api/v1/errors/not-an-id/resolve')).statusCode).toBe(400);
    expect((await reader.post(`/api/v1/errors/${randomUUID()}/resolve`)).statusCode).toBe(404);
    expect((await reader.get('/api/v1/errors?status=everything')).statusCode).toBe(400);
    expect((await client(server).get('/api/v1/errors')).statusCode).toBe(401);
  });

  it('never fails the request when the error log itself cannot write', async () => {
    const errors = server.platform.errors as unknown as { db: unknown };
    const db = errors.db;
    errors.db = { broken: true };
    try {
      const res = await admin.post('/api/v1/data/fragile_item', { title: 'boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json().code).toBe('internal_error');
    } finally {
      errors.db = db;
    }
  });
});
