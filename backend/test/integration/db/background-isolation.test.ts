// Cloisonnement des tenants dans le travail de fond : deux tenants aux identifiants d'enregistrements identiques
// (choisis par le client) et aux règles d'automatisation différentes. Les instantanés des webhooks, les règles sur
// les événements de modules (travail, notification, courriel, webhook), les travaux, les notifications, les imports
// et les exports de l'un ne montrent jamais rien de l'autre. Sur PGlite (superutilisateur) et sur un propriétaire
// superutilisateur, seule la RLS du rôle applicatif, posé par les passes de fond, peut l'assurer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { outboxInsert } from '../../../src/events/outbox.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { startReceiver, waitFor, type Receiver } from '../../support/webhook-receiver.js';

let smtp: SmtpPeer;
let receiver: Receiver;
let server: TestServer;
let a: TestTenant;
let b: TestTenant;
let apiA: Client;
let apiB: Client;
const ran: Array<{ tenantId: string | null; payload: Record<string, unknown> }> = [];
/** identifiants choisis par le client, les mêmes dans les deux tenants */
const sharedIds = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  server = await startServer({ dispatch: true, mailer: smtp.mailer, outboundAllowList: () => [`127.0.0.1:${receiver.port}`] });
  server.platform.jobs.register({ name: 'test.isolation', manual: true, handler: async (job) => void ran.push({ tenantId: job.tenantId, payload: job.payload }) });
  a = await newTenant(server);
  b = await newTenant(server);
  apiA = client(server, a.token);
  apiB = client(server, b.token);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await smtp?.close();
});

async function settle(): Promise<void> {
  await server.platform.dispatcher.idle();
  await server.platform.jobs.idle();
}

async function subscribe(api: Client, path: string, events: string[]): Promise<string> {
  const res = await api.post('/api/v1/data/webhook', { name: `hook ${path}`, url: receiver.url(path), events });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** Événement d'un module écrit dans l'outbox du tenant (comme le ferait le code d'un module). */
async function moduleEvent(tenant: TestTenant, topic: string, record: Record<string, unknown>): Promise<void> {
  await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) => outboxInsert(tenant.tenantId, [{ topic, payload: { record } }]).execute(trx));
  server.platform.dispatcher.kick();
  await settle();
}

describe('tenant isolation in background work', () => {
  it('sends each tenant the snapshot of its own record when record ids collide', async () => {
    await subscribe(apiA, '/iso/a', ['tag.created']);
    await subscribe(apiB, '/iso/b', ['tag.created']);
    // répartiteur arrêté pendant les créations : les événements des deux tenants partent ensuite dans le même lot,
    // quand les deux enregistrements de chaque identifiant existent (ceux de A d'abord, ceux de B ensuite)
    await server.platform.dispatcher.stop();
    for (const [i, id] of sharedIds.entries()) expect((await apiA.post('/api/v1/data/tag', { id, name: `A-secret-${i}` })).statusCode).toBe(201);
    for (const [i, id] of sharedIds.entries()) expect((await apiB.post('/api/v1/data/tag', { id, name: `B-public-${i}` })).statusCode).toBe(201);
    server.platform.dispatcher.start();
    await settle();
    await waitFor(() => receiver.at('/iso/a').length === 3 && receiver.at('/iso/b').length === 3, 20_000, 'six deliveries');
    const names = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body) as { tenant: string; data: { id: string; name: string } });
    expect(names('/iso/a').map((d) => d.data.name).sort()).toEqual(['A-secret-0', 'A-secret-1', 'A-secret-2']);
    expect(names('/iso/b').map((d) => d.data.name).sort()).toEqual(['B-public-0', 'B-public-1', 'B-public-2']);
    expect(names('/iso/b').map((d) => d.data.id).sort()).toEqual([...sharedIds].sort());
  });

  it("never fires one tenant's rules on another tenant's module events", async () => {
    const hookA = await subscribe(apiA, '/iso/rule-a', ['nothing.here']);
    const rule = await apiA.post('/api/v1/data/hook_rule', {
      name: 'A only', entity: 'tag', events: ['tag.flagged'],
      actions: [
        { type: 'job', job: 'test.isolation', payload: { from: 'rule of A', name: '{{name}}' } },
        { type: 'notify', users: [a.userId], title: 'Flagged {{name}}' },
        { type: 'email', to: 'rule-owner@a.test', subject: 'Flagged {{name}}', text: 'Tag {{name}} was flagged' },
        { type: 'webhook', webhook: hookA },
      ],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    // l'événement dans B d'abord, les règles n'étant encore lues pour aucun tenant sur ce nœud (comme après un
    // redémarrage) : la règle de A ne doit rien y faire ; puis dans A, où elle agit (témoin)
    server.platform.hookRules.invalidate();
    await moduleEvent(b, 'tag.flagged', { name: 'from B' });
    await moduleEvent(a, 'tag.flagged', { name: 'from A' });
    await waitFor(() => receiver.at('/iso/rule-a').length >= 1, 20_000, 'the rule webhook of A');
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes('rule-owner@a.test')).length, { timeout: 20_000 }).toBe(1);

    expect(ran.filter((r) => r.payload.from === 'rule of A').map((r) => ({ tenantId: r.tenantId, name: r.payload.name }))).toEqual([{ tenantId: a.tenantId, name: 'from A' }]);
    expect(smtp.inbox.filter((m) => m.to.includes('rule-owner@a.test')).map((m) => m.raw.includes('Flagged from A'))).toEqual([true]);
    expect(receiver.at('/iso/rule-a').map((r) => JSON.parse(r.body).data.name)).toEqual(['from A']);
    const inboxA = (await apiA.get('/api/v1/notifications')).json().data as Array<{ title: string }>;
    expect(inboxA.map((n) => n.title).filter((t) => t.startsWith('Flagged'))).toEqual(['Flagged from A']);
    expect((await apiB.get('/api/v1/notifications')).json().data.filter((n: { title: string }) => n.title.startsWith('Flagged'))).toEqual([]);
    // aucun travail, aucun envoi, aucun courriel du côté de B
    expect((await apiB.get(`/api/v1/jobs?${qs({ name: 'test.isolation' })}`)).json().data).toEqual([]);
    expect((await apiB.get('/api/v1/email/messages')).json().data).toEqual([]);
  });

  it("lists, imports and exports only the tenant's own rows, ids colliding or not", async () => {
    const upload = multipart(Buffer.from('eid;name\nISO-1;B imported\n'), 'tags.csv', 'text/csv');
    const imported = await server.app.inject({
      method: 'POST', url: '/api/v1/data/tag/import?wait=true', payload: upload.payload,
      headers: { authorization: `Bearer ${b.token}`, 'content-type': upload.contentType },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const exported = await apiB.get(`/api/v1/data/tag/export?${qs({ format: 'json' })}`);
    expect(exported.statusCode).toBe(200);
    const rows = JSON.parse(exported.body) as Array<{ id: string; name: string }>;
    expect(rows.map((r) => r.name).sort()).toEqual(['B imported', 'B-public-0', 'B-public-1', 'B-public-2']);
    for (const id of sharedIds) expect((await apiB.get(`/api/v1/data/tag/${id}`)).json().name).toMatch(/^B-public-/);
    const jobsOfA = (await apiA.get(`/api/v1/jobs?${qs({ name: 'test.isolation' })}`)).json().data as Array<{ tenantId: string }>;
    expect(jobsOfA.length).toBeGreaterThan(0);
    expect(jobsOfA.filter((j) => j.tenantId !== a.tenantId)).toEqual([]);
  });
});
