// Webhooks : envois signés depuis l'outbox vers de vrais destinataires HTTP locaux, filtrage des sujets, nouvelles
// tentatives (erreur 500, délai dépassé), redirection jamais suivie, garde SSRF à l'enregistrement et à l'envoi,
// désactivation automatique, journal, rejeu, essai, isolement des tenants, droits et secret jamais exposé.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { inTenant } from '../../../src/db/transaction.js';
import type { MemoryMailer } from '../../../src/services/email/transport/memory.js';
import { verifySignature } from '../../../src/services/webhooks/signature.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, type Client, type TestServer, type TestTenant, startServer, tenantSql } from '../../support/platform.js';
import { startReceiver, waitFor, type Receiver } from '../../support/webhook-receiver.js';
import { documentedSignature, expectDocumentedSignature } from '../../support/webhook-signature.js';

let server: TestServer;
let tenant: TestTenant;
let api: Client;
let receiver: Receiver;
/** le destinataire local est permis par la politique des connexions sortantes de ce serveur, sauf quand un test le retire */
let receiverAllowed = true;

const BACKOFF_MS = 150;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startServer({
    dispatch: true, webhooks: { maxAttempts: 3, backoffMs: BACKOFF_MS },
    outboundAllowList: () => (receiverAllowed ? [`127.0.0.1:${receiver.port}`] : []),
  });
  tenant = await newTenant(server);
  api = client(server, tenant.token);
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

async function tenantSetting(key: string, value: unknown, as = api): Promise<void> {
  expect((await as.put(`/api/v1/settings/${key}`, { value, level: 'tenant' })).statusCode).toBe(200);
}

async function createWebhook(path: string, events: string[], as = api, extra: Record<string, unknown> = {}) {
  const res = await as.post('/api/v1/data/webhook', { name: `hook ${path}`, url: receiver.url(path), events, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; eid: string; active: boolean };
}

async function secretOf(id: string, as = api): Promise<string> {
  const res = await as.get(`/api/v1/webhooks/${id}/secret`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().secret;
}

/** Outbox distribuée et travaux exécutables terminés. */
async function settle(): Promise<void> {
  await server.platform.dispatcher.idle();
  await server.platform.jobs.idle();
}

async function deliveries(webhookId: string, query = '', as = api) {
  const res = await as.get(`/api/v1/webhooks/${webhookId}/deliveries${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { data: Array<Record<string, any>>; meta: { nextCursor: string | null } };
}

const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { id: string; topic: string; occurredAt: string; tenant: string; data: Record<string, any> };

describe('webhooks', () => {
  it('delivers entity create, update and delete with a valid signature', async () => {
    const hook = await createWebhook('/crud', ['customer.*']);
    const secret = await secretOf(hook.id);
    expect(secret).toMatch(/^whsec_/);
    const created = (await api.post('/api/v1/data/customer', { name: 'Acme' })).json();
    expect((await api.patch(`/api/v1/data/customer/${created.id}`, { name: 'Acme SA' })).statusCode).toBe(200);
    expect((await api.delete(`/api/v1/data/customer/${created.id}`)).statusCode).toBe(204);
    await settle();
    await waitFor(() => receiver.at('/crud').length === 3, 10_000, 'three deliveries');
    const got = receiver.at('/crud').map((r) => ({ r, body: bodyOf(r) })).sort((a, b) => a.body.occurredAt.localeCompare(b.body.occurredAt));
    expect(got.map((g) => g.body.topic).sort()).toEqual(['customer.created', 'customer.deleted', 'customer.updated']);
    for (const { r, body } of got) {
      // contrôle indépendant (HMAC d'après la documentation), puis l'aide `verifySignature` offerte aux destinataires
      expectDocumentedSignature(r, secret);
      expect(r.headers['x-opsflux-signature']).not.toBe(documentedSignature('whsec_wrong-secret-of-the-right-size', r.headers['x-opsflux-timestamp'] as string, r.body));
      expect(verifySignature(secret, r.body, r.headers['x-opsflux-signature'] as string)).toBe(true);
      expect(verifySignature('whsec_wrong-secret-of-the-right-size', r.body, r.headers['x-opsflux-signature'] as string)).toBe(false);
      expect(r.headers['x-opsflux-event']).toBe(body.topic);
      expect(r.headers['x-opsflux-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-opsflux-signature']).toContain(`t=${r.headers['x-opsflux-timestamp']},v1=`);
      expect(body.tenant).toBe(tenant.tenantId);
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const byTopic = Object.fromEntries(got.map((g) => [g.body.topic, g.body.data]));
    expect(byTopic['customer.created']).toMatchObject({ id: created.id, eid: created.eid });
    expect(['Acme', 'Acme SA']).toContain(byTopic['customer.created']!.name);
    expect(byTopic['customer.updated']).toMatchObject({ id: created.id, name: 'Acme SA' });
    expect(byTopic['customer.deleted']).toEqual({ id: created.id, eid: created.eid });
    // une signature trop ancienne est refusée (rejeu)
    const first = got[0]!.r;
    expect(verifySignature(secret, first.body, first.headers['x-opsflux-signature'] as string, 300, Date.now() + 301_000)).toBe(false);
  });

  it('filters deliveries by topic pattern', async () => {
    const customers = await createWebhook('/customers-only', ['customer.*']);
    const creations = await createWebhook('/creations', ['customer.created']);
    const everything = await createWebhook('/everything', ['*']);
    expect((await api.post('/api/v1/data/tag', { name: 'vip' })).statusCode).toBe(201);
    const c = (await api.post('/api/v1/data/customer', { name: 'Filtered' })).json();
    expect((await api.patch(`/api/v1/data/customer/${c.id}`, { name: 'Filtered 2' })).statusCode).toBe(200);
    await settle();
    const topics = (path: string) => receiver.at(path).map((r) => bodyOf(r).topic).sort();
    expect(topics('/customers-only')).toEqual(['customer.created', 'customer.updated']);
    expect(topics('/creations')).toEqual(['customer.created']);
    expect(topics('/everything')).toEqual(expect.arrayContaining(['tag.created', 'customer.created', 'customer.updated']));
    for (const id of [customers.id, creations.id, everything.id]) expect((await api.delete(`/api/v1/data/webhook/${id}`)).statusCode).toBe(204);
    // abonnement supprimé : plus rien ne lui est envoyé
    expect((await api.post('/api/v1/data/tag', { name: 'after' })).statusCode).toBe(201);
    await settle();
    expect(receiver.at('/everything').filter((r) => bodyOf(r).data.name === 'after')).toHaveLength(0);
    // un motif invalide est refusé
    const bad = await api.post('/api/v1/data/webhook', { name: 'bad', url: receiver.url('/x'), events: ['Customer Created'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'events', code: 'invalid_pattern' });
  });

  it('retries an endpoint answering 500 with a growing delay, then succeeds', async () => {
    receiver.on('/flaky', (n, res) => void res.writeHead(n < 2 ? 500 : 200).end(n < 2 ? 'boom' : 'ok'));
    const hook = await createWebhook('/flaky', ['customer.created']);
    await api.post('/api/v1/data/customer', { name: 'Retry me' });
    await settle();
    await waitFor(() => receiver.at('/flaky').length === 3, 10_000, 'third attempt');
    const times = receiver.at('/flaky').map((r) => r.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(BACKOFF_MS - 20);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 20);
    // même événement, même corps d'une tentative à l'autre
    expect(new Set(receiver.at('/flaky').map((r) => bodyOf(r).id)).size).toBe(1);
    await waitFor(async () => (await deliveries(hook.id)).data[0]?.status === 'succeeded', 5000, 'delivery marked succeeded');
    expect((await deliveries(hook.id)).data[0]).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, responseBody: 'ok', error: null });
  });

  it('times out an endpoint that hangs and retries it', async () => {
    await tenantSetting('webhooks.timeoutSeconds', 1);
    receiver.on('/slow', (n, res) => (n === 0 ? 'hang' : void res.writeHead(204).end()));
    const hook = await createWebhook('/slow', ['customer.created']);
    await api.post('/api/v1/data/customer', { name: 'Slow' });
    await settle();
    await waitFor(() => receiver.at('/slow').length === 2, 10_000, 'second attempt');
    await waitFor(async () => (await deliveries(hook.id)).data[0]?.status === 'succeeded', 5000, 'delivery marked succeeded');
    expect((await deliveries(hook.id)).data[0]).toMatchObject({ attempts: 2, responseStatus: 204 });
    // la première tentative a attendu le délai (1 s) avant d'être abandonnée
    const [first, second] = receiver.at('/slow');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    await tenantSetting('webhooks.timeoutSeconds', 10);
  });

  it('never follows a redirect, even less to a private address', async () => {
    const target = await startReceiver();
    try {
      receiver.on('/redirect', (_n, res) => void res.writeHead(302, { location: target.url('/internal') }).end());
      const hook = await createWebhook('/redirect', ['customer.created']);
      await api.post('/api/v1/data/customer', { name: 'Redirected' });
      await settle();
      await waitFor(async () => (await deliveries(hook.id)).data[0]?.status === 'failed', 10_000, 'delivery failed');
      const [delivery] = (await deliveries(hook.id)).data;
      expect(delivery).toMatchObject({ status: 'failed', attempts: 3, responseStatus: 302 });
      expect(delivery!.error).toContain('Redirect not followed');
      expect(receiver.at('/redirect')).toHaveLength(3);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('refuses loopback, private and metadata targets at save and at send unless allowed', async () => {
    const allowedBefore = await createWebhook('/guarded', ['customer.created']);
    const byName = await api.post('/api/v1/data/webhook', { name: 'by name', url: `http://localhost:${receiver.port}/guarded-name`, events: ['customer.created'] });
    expect(byName.statusCode, byName.body).toBe(201);
    // même permises, les adresses de métadonnées et de lien local restent refusées
    const metadata = await api.post('/api/v1/data/webhook', { name: 'meta', url: 'http://169.254.169.254/latest/meta-data', events: ['*'] });
    expect(metadata.statusCode).toBe(400);
    receiverAllowed = false;
    try {
      for (const url of [receiver.url('/x'), `http://localhost:${receiver.port}/x`, 'http://[::1]/x', 'http://10.1.2.3/x', 'http://192.168.1.10/x',
        'http://100.64.0.1/x', 'http://[::ffff:127.0.0.1]/x', 'http://[fc00::1]/x', 'http://224.0.0.1/x', 'http://0.0.0.0/x', 'http://169.254.169.254/x']) {
        const res = await api.post('/api/v1/data/webhook', { name: 'private', url, events: ['*'] });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().errors).toEqual([expect.objectContaining({ field: 'url', code: 'target_not_allowed' })]);
      }
      const update = await api.patch(`/api/v1/data/webhook/${allowedBefore.id}`, { url: receiver.url('/elsewhere') });
      expect(update.statusCode).toBe(400);
      // à l'envoi : adresse littérale et nom résolu vers 127.0.0.1 refusés, rien n'arrive au destinataire
      await api.post('/api/v1/data/customer', { name: 'Guarded' });
      await settle();
      for (const id of [allowedBefore.id, byName.json().id as string]) {
        await waitFor(async () => (await deliveries(id)).data[0]?.status === 'failed', 10_000, 'refused delivery');
        const [delivery] = (await deliveries(id)).data;
        expect(delivery!.error).toMatch(/Refused: .*(127\.0\.0\.1|::1).*webhooks\.allowPrivateTargets/);
        expect(delivery!.responseStatus).toBeNull();
      }
      expect(receiver.at('/guarded')).toHaveLength(0);
      expect(receiver.at('/guarded-name')).toHaveLength(0);
    } finally {
      receiverAllowed = true;
    }
    for (const id of [allowedBefore.id, byName.json().id as string]) await api.delete(`/api/v1/data/webhook/${id}`);
  });

  it('disables a webhook after consecutive failed deliveries, tells the administrators, and resets on re-enable', async () => {
    await tenantSetting('webhooks.maxFailures', 2);
    receiver.on('/down', (_n, res) => void res.writeHead(503).end('down'));
    const hook = await createWebhook('/down', ['customer.created']);
    const mails = (server.platform.mailer as MemoryMailer).sent;
    const before = mails.length;
    await api.post('/api/v1/data/customer', { name: 'Down 1' });
    await api.post('/api/v1/data/customer', { name: 'Down 2' });
    await settle();
    await waitFor(async () => (await api.get(`/api/v1/data/webhook/${hook.id}`)).json().active === false, 15_000, 'automatic disable');
    const disabled = (await api.get(`/api/v1/data/webhook/${hook.id}`)).json();
    expect(disabled).toMatchObject({ active: false, failureCount: 2, disabledReason: '2 consecutive failed deliveries' });
    expect(disabled.disabledAt).toBeTruthy();
    await waitFor(() => mails.slice(before).some((m) => m.to === tenant.email && /^Webhook \W*hook \/down\W* (disabled|désactivé)$/.test(m.subject)), 5000, 'admin notice');
    const history = (await api.get(`/api/v1/data/webhook/${hook.id}/history`)).json().data as Array<{ action: string }>;
    expect(history.map((h) => h.action)).toContain('webhook.disabled');
    // désactivé : les nouveaux événements ne lui sont plus envoyés
    const count = receiver.at('/down').length;
    await api.post('/api/v1/data/customer', { name: 'Down 3' });
    await settle();
    expect(receiver.at('/down')).toHaveLength(count);
    const enabled = await api.patch(`/api/v1/data/webhook/${hook.id}`, { active: true });
    expect(enabled.json()).toMatchObject({ active: true, failureCount: 0, disabledAt: null, disabledReason: null });
    await api.patch(`/api/v1/data/webhook/${hook.id}`, { active: false });
    await tenantSetting('webhooks.maxFailures', 20);
  });

  it('lists deliveries, replays one with the same event id, and sends a test ping', async () => {
    const hook = await createWebhook('/log', ['customer.created']);
    await api.post('/api/v1/data/customer', { name: 'Log 1' });
    await api.post('/api/v1/data/customer', { name: 'Log 2' });
    await settle();
    const page1 = await deliveries(hook.id, '?limit=1');
    expect(page1.data).toHaveLength(1);
    expect(page1.meta.nextCursor).toBeTruthy();
    const page2 = await deliveries(hook.id, `?limit=1&cursor=${page1.meta.nextCursor}`);
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0]!.id).not.toBe(page1.data[0]!.id);
    expect((await deliveries(hook.id, '?status=failed')).data).toHaveLength(0);
    expect((await deliveries(hook.id, '?status=succeeded')).data).toHaveLength(2);
    expect((await api.get(`/api/v1/webhooks/${hook.id}/deliveries?status=nope`)).statusCode).toBe(400);

    const original = page1.data[0]!;
    const replay = await api.post(`/api/v1/webhooks/deliveries/${original.id}/replay`);
    expect(replay.statusCode, replay.body).toBe(202);
    expect(replay.json()).toMatchObject({ eventId: original.eventId, replayOf: original.id, manual: true, status: 'pending' });
    await settle();
    const sameEvent = receiver.at('/log').filter((r) => bodyOf(r).id === original.eventId);
    expect(sameEvent).toHaveLength(2);
    expect(sameEvent[0]!.headers['x-opsflux-delivery']).not.toBe(sameEvent[1]!.headers['x-opsflux-delivery']);

    const ping = await api.post(`/api/v1/webhooks/${hook.id}/test`);
    expect(ping.statusCode, ping.body).toBe(202);
    expect(ping.json()).toMatchObject({ topic: 'webhook.ping', status: 'pending' });
    await settle();
    const pinged = receiver.at('/log').filter((r) => bodyOf(r).topic === 'webhook.ping');
    expect(pinged).toHaveLength(1);
    expect(bodyOf(pinged[0]!).data.webhook).toMatchObject({ id: hook.id });
    expectDocumentedSignature(pinged[0]!, await secretOf(hook.id));
    expect(verifySignature(await secretOf(hook.id), pinged[0]!.body, pinged[0]!.headers['x-opsflux-signature'] as string)).toBe(true);
    expect((await deliveries(hook.id)).data).toHaveLength(4);
  });

  it('describes the webhook entity and its extra routes in the OpenAPI document', async () => {
    const doc = (await api.get('/api/openapi.json')).json();
    for (const path of ['/api/v1/data/webhook', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/deliveries/{deliveryId}/replay', '/api/v1/webhooks/{id}/test', '/api/v1/webhooks/{id}/secret']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('lets the rule engine enqueue one delivery in its own transaction', async () => {
    const hook = await createWebhook('/rules', ['nothing.matches']);
    const id = await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
      server.platform.webhooks.enqueue(trx, tenant.tenantId, hook.id, 'crm.lead.won', { lead: 'L-1', amount: '1200.00' }));
    await settle();
    const [got] = receiver.at('/rules');
    expect(bodyOf(got!)).toMatchObject({ topic: 'crm.lead.won', data: { lead: 'L-1', amount: '1200.00' } });
    expect(got!.headers['x-opsflux-delivery']).toBe(id);
  });

  it('keeps deliveries to their tenant and to users with the rights', async () => {
    const hook = await createWebhook('/private-log', ['customer.created']);
    await api.post('/api/v1/data/customer', { name: 'Isolated' });
    await settle();
    const [delivery] = (await deliveries(hook.id)).data;
    const other = client(server, (await newTenant(server)).token);
    expect((await other.get(`/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/webhooks/deliveries/${delivery!.id}/replay`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/webhooks/${hook.id}/test`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/webhooks/${hook.id}/secret`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/data/webhook/${hook.id}`)).statusCode).toBe(404);

    const kit = memberKit(server, tenant, api);
    const plain = await kit.member('plain');
    expect((await plain.api.get('/api/v1/data/webhook')).statusCode).toBe(403);
    expect((await plain.api.get(`/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(403);
    expect((await plain.api.post(`/api/v1/webhooks/deliveries/${delivery!.id}/replay`)).statusCode).toBe(403);
    expect((await plain.api.post(`/api/v1/webhooks/${hook.id}/test`)).statusCode).toBe(403);
    expect((await plain.api.get(`/api/v1/webhooks/${hook.id}/secret`)).statusCode).toBe(403);
    // lecteur des webhooks sans être administrateur : journal oui, secret non
    const reader = await kit.member('reader', [await kit.role('webhook reader', ['webhook:read'])]);
    expect((await reader.api.get(`/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(200);
    expect((await reader.api.get(`/api/v1/webhooks/${hook.id}/secret`)).statusCode).toBe(403);
    expect((await reader.api.post(`/api/v1/webhooks/${hook.id}/secret/rotate`)).statusCode).toBe(403);
  });

  it('never returns the secret in records, lists or history, and rotates it', async () => {
    const chosen = 'my-own-secret-of-32-characters!!';
    const hook = await createWebhook('/secret', ['customer.created'], api, { secret: chosen });
    expect(hook).not.toHaveProperty('secret');
    expect((await api.get(`/api/v1/data/webhook/${hook.id}`)).json()).not.toHaveProperty('secret');
    const list = (await api.get('/api/v1/data/webhook?limit=100')).json().data as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThan(0);
    for (const row of list) expect(row).not.toHaveProperty('secret');
    expect((await api.get('/api/v1/data/webhook?fields=secret')).statusCode).toBe(400);
    const history = JSON.stringify((await api.get(`/api/v1/data/webhook/${hook.id}/history`)).json());
    expect(history).not.toContain(chosen);
    const stored = (await tenantSql(server.platform, tenant.tenantId, sql<{ secret: string }>`SELECT secret FROM webhook WHERE id = ${hook.id}`)).rows[0]!.secret;
    expect(stored).not.toContain(chosen);
    expect(await secretOf(hook.id)).toBe(chosen);
    expect((await api.post('/api/v1/data/webhook', { name: 'short', url: receiver.url('/s'), events: ['*'], secret: 'short' })).statusCode).toBe(400);

    const rotated = await api.post(`/api/v1/webhooks/${hook.id}/secret/rotate`);
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(chosen);
    await api.post('/api/v1/data/customer', { name: 'Rotated' });
    await settle();
    const [got] = receiver.at('/secret');
    expectDocumentedSignature(got!, fresh);
    expect(verifySignature(fresh, got!.body, got!.headers['x-opsflux-signature'] as string)).toBe(true);
    expect(verifySignature(chosen, got!.body, got!.headers['x-opsflux-signature'] as string)).toBe(false);
    const actions = ((await api.get(`/api/v1/data/webhook/${hook.id}/history`)).json().data as Array<{ action: string }>).map((h) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.secret_read', 'webhook.secret_rotated']));
  });
});
