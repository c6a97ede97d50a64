// Règles d'automatisation : validation champ par champ à l'enregistrement, valeurs posées avant l'écriture quand la
// condition tient, travail déposé avec l'écriture (rien si elle est annulée), champ surveillé, suppression, règle
// désactivée, événement d'un module par l'outbox, cloisonnement entre tenants, chemin direct gardé sans règle.
import { defineEntity } from '@opsflux/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxInsert } from '../../../src/events/outbox.js';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, ownerSql, qs, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.js';
import { BACKGROUND } from '../../support/timeouts.js';

const deal = defineEntity({
  name: 'rule_deal',
  fields: {
    title: { type: 'string', required: true },
    amount: { type: 'decimal' },
    status: { type: 'enum', options: { values: ['open', 'won', 'lost'] }, default: 'open' },
    priority: { type: 'string' },
    stamp: { type: 'string', readOnly: true },
    contact: { type: 'email' },
  },
});
let smtp: SmtpPeer;
let receiver: Receiver;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const seen: Array<{ tenantId: string | null; payload: Record<string, unknown> }> = [];

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  // le destinataire des webhooks est sur la boucle locale : permis explicitement (politique des connexions sortantes)
  server = await startServer({ entities: [deal], dispatch: true, mailer: smtp.mailer, outboundAllowList: () => [`127.0.0.1:${receiver.port}`] });
  server.platform.jobs.register({ name: 'test.deal_job', manual: true, handler: async (job) => void seen.push({ tenantId: job.tenantId, payload: job.payload }) });
  server.platform.jobs.register({ name: 'test.internal', handler: async () => undefined });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await receiver?.close();
});

const rule = (body: Record<string, unknown>) => admin.post('/api/v1/data/hook_rule', { name: 'rule', entity: 'rule_deal', events: ['created'], ...body });
const jobsOf = async (api: Client = admin) => (await api.get(`/api/v1/jobs?${qs({ name: 'test.deal_job' })}`)).json().data as Array<{ payload: Record<string, unknown> }>;

describe('automation rules', () => {
  it('validates a rule field by field', async () => {
    const res = await rule({
      events: ['created', 'exploded'], changedFields: ['nope'], condition: { 'owner.name': 'x' },
      actions: [{ type: 'setFields', values: { stamp: 'x', ghost: 1 } }, { type: 'job', job: 'test.internal' }, { type: 'teleport' }, 'x'],
    });
    expect(res.statusCode, res.body).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['actions[0].values.ghost', 'actions[0].values.stamp', 'actions[1].job', 'actions[2].type', 'actions[3].type', 'changedFields', 'condition', 'events']);
    expect((await rule({ entity: 'nothing_here', actions: [{ type: 'job', job: 'test.deal_job' }] })).json().errors[0]).toMatchObject({ field: 'entity' });
    expect((await rule({ actions: [] })).json().errors[0]).toMatchObject({ field: 'actions' });
    expect((await rule({ condition: { amount: { gte: 'lots' } }, actions: [{ type: 'job', job: 'test.deal_job' }] })).json().errors[0]).toMatchObject({ field: 'condition' });
  });

  it('sets field values before the write when the condition holds', async () => {
    const created = await rule({ name: 'big deals', events: ['created', 'updated'], condition: { amount: { gte: 1000 } }, actions: [{ type: 'setFields', values: { priority: 'high' } }] });
    expect(created.statusCode, created.body).toBe(201);
    const big = (await admin.post('/api/v1/data/rule_deal', { title: 'Big', amount: '5000' })).json();
    const small = (await admin.post('/api/v1/data/rule_deal', { title: 'Small', amount: '10' })).json();
    expect(big.priority).toBe('high');
    expect(small.priority).toBeNull();
    const grown = await admin.patch(`/api/v1/data/rule_deal/${small.id}`, { amount: '2000' });
    expect(grown.json().priority).toBe('high');
    // l'historique garde la valeur posée par la règle avec l'écriture
    const history = (await admin.get(`/api/v1/data/rule_deal/${small.id}/history`)).json().data;
    expect(history[0].changes.priority).toEqual({ from: null, to: 'high' });
  });

  it('starts a job with the write when a watched field changes to the value of the condition', async () => {
    const created = await rule({
      name: 'won', events: ['updated'], changedFields: ['status'], condition: { status: 'won' },
      actions: [{ type: 'job', job: 'test.deal_job', payload: { text: 'Deal {{title}} won for {{amount}}' } }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const d = (await admin.post('/api/v1/data/rule_deal', { title: 'Acme', amount: '300' })).json();
    await admin.patch(`/api/v1/data/rule_deal/${d.id}`, { title: 'Acme renamed' });
    expect(await jobsOf()).toHaveLength(0);
    // écriture refusée (version périmée) : aucune action
    expect((await admin.patch(`/api/v1/data/rule_deal/${d.id}`, { status: 'won' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect(await jobsOf()).toHaveLength(0);
    const won = await admin.patch(`/api/v1/data/rule_deal/${d.id}`, { status: 'won' });
    expect(won.statusCode).toBe(200);
    const jobs = await jobsOf();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ text: 'Deal Acme renamed won for 300', trigger: { topic: 'rule_deal.updated', entity: 'rule_deal', id: d.id } });
    await server.platform.jobs.idle();
    expect(seen.at(-1)).toMatchObject({ tenantId: tenant.tenantId, payload: { text: 'Deal Acme renamed won for 300' } });
    // statut inchangé : la règle ne se déclenche plus
    await admin.patch(`/api/v1/data/rule_deal/${d.id}`, { amount: '301' });
    expect(await jobsOf()).toHaveLength(1);
  });

  it('reacts to deletions, stops when deactivated and follows module events from the outbox', async () => {
    const onDelete = (await rule({ name: 'gone', events: ['deleted', 'rule_deal.escalated'], actions: [{ type: 'job', job: 'test.deal_job', payload: { text: 'bye {{title}}' } }] })).json();
    const d = (await admin.post('/api/v1/data/rule_deal', { title: 'Doomed' })).json();
    expect((await admin.delete(`/api/v1/data/rule_deal/${d.id}`)).statusCode).toBe(204);
    expect((await jobsOf()).map((j) => j.payload.text)).toContain('bye Doomed');
    // événement d'un module : écrit dans l'outbox par son code, traité après le commit
    await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
      outboxInsert(tenant.tenantId, [{ topic: 'rule_deal.escalated', payload: { record: { title: 'Escalated one' } } }]).execute(trx));
    server.platform.dispatcher.kick();
    await server.platform.dispatcher.idle();
    expect((await jobsOf()).map((j) => j.payload.text)).toContain('bye Escalated one');
    expect((await admin.patch(`/api/v1/data/hook_rule/${onDelete.id}`, { active: false })).statusCode).toBe(200);
    const other = (await admin.post('/api/v1/data/rule_deal', { title: 'Kept alive' })).json();
    await admin.delete(`/api/v1/data/rule_deal/${other.id}`);
    expect((await jobsOf()).map((j) => j.payload.text)).not.toContain('bye Kept alive');
  });

  it('notifies users and e-mails the contact of the record with the write; no address, no e-mail and no failure', async () => {
    const created = await rule({
      name: 'lost deals', events: ['updated'], changedFields: ['status'], condition: { status: 'lost' },
      actions: [
        { type: 'notify', users: [tenant.userId], title: 'Deal {{title}} lost', body: 'Amount {{amount}}', priority: 'high' },
        { type: 'email', to: '{{contact}}', subject: 'About {{title}}', text: 'We are sorry to see {{title}} go.' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const bad = await rule({ actions: [{ type: 'notify', title: '', priority: 'panic' }, { type: 'email', to: '' }] });
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['actions[0].priority', 'actions[0].roles', 'actions[0].title', 'actions[1].template', 'actions[1].to']);
    const d = (await admin.post('/api/v1/data/rule_deal', { title: 'Globex', amount: '70', contact: 'buyer@globex.test' })).json();
    const silent = (await admin.post('/api/v1/data/rule_deal', { title: 'Nobody', amount: '1' })).json();
    expect((await admin.patch(`/api/v1/data/rule_deal/${d.id}`, { status: 'lost' })).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/data/rule_deal/${silent.id}`, { status: 'lost' })).statusCode).toBe(200);
    const inbox = (await admin.get('/api/v1/notifications')).json().data as Array<{ title: string; body: string; priority: string; link: string }>;
    const notice = inbox.find((n) => n.title === 'Deal Globex lost');
    expect(notice).toMatchObject({ body: 'Amount 70', priority: 'high', link: `/app/data/rule_deal/${d.id}` });
    await server.platform.jobs.idle();
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes('buyer@globex.test')).length, BACKGROUND).toBe(1);
    expect(smtp.inbox.find((m) => m.to.includes('buyer@globex.test'))!.raw).toContain('About Globex');
    expect(smtp.inbox.some((m) => m.raw.includes('About Nobody'))).toBe(false);
  });

  it('sends the record to a webhook with the write', async () => {
    const created = await admin.post('/api/v1/data/webhook', { name: 'rules', url: receiver.url('/rules'), events: ['nothing.here'] });
    expect(created.statusCode, created.body).toBe(201);
    const hook = created.json() as { id: string };
    expect((await rule({ actions: [{ type: 'webhook', webhook: '00000000-0000-4000-8000-000000000000' }] })).json().errors[0]).toMatchObject({ field: 'actions[0].webhook' });
    expect((await rule({ name: 'to webhook', events: ['created'], condition: { title: { like: 'Hooked%' } }, actions: [{ type: 'webhook', webhook: hook.id }] })).statusCode).toBe(201);
    const d = (await admin.post('/api/v1/data/rule_deal', { title: 'Hooked one', amount: '12' })).json();
    await admin.post('/api/v1/data/rule_deal', { title: 'Not this one' });
    const deliveries = (await admin.get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data as Array<{ topic: string }>;
    expect(deliveries.map((x) => x.topic)).toEqual(['rule_deal.created']);
    await expect.poll(() => receiver.at('/rules').length, { timeout: 30_000 }).toBe(1);
    const [received] = receiver.at('/rules');
    expect(JSON.parse(received!.body)).toMatchObject({ topic: 'rule_deal.created', data: { id: d.id, title: 'Hooked one', amount: '12' } });
    // un événement de module suivi à la fois par les règles et par un abonnement, dans le même lot de l'outbox :
    // l'abonnement le reçoit aussi
    expect((await admin.patch(`/api/v1/data/webhook/${hook.id}`, { events: ['rule_deal.escalated'] })).statusCode).toBe(200);
    await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
      outboxInsert(tenant.tenantId, [{ topic: 'rule_deal.escalated', payload: { record: { title: 'Both' } } }]).execute(trx));
    server.platform.dispatcher.kick();
    await server.platform.dispatcher.idle();
    const topics = (await admin.get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data.map((x: { topic: string }) => x.topic);
    expect(topics).toContain('rule_deal.escalated');
  });

  it('keeps rules inside their tenant and the direct create path where no rule applies', async () => {
    const other = await newTenant(server);
    const stranger = client(server, other.token);
    const d = (await stranger.post('/api/v1/data/rule_deal', { title: 'Elsewhere', amount: '9999' })).json();
    expect(d.priority).toBeNull();
    expect((await stranger.get('/api/v1/data/hook_rule')).json().data).toEqual([]);
    expect(server.platform.records.directCreate(server.platform.registry.global().get('rule_deal')!, other.tenantId)).toBe(true);
    expect(server.platform.records.directCreate(server.platform.registry.global().get('rule_deal')!, tenant.tenantId)).toBe(false);
    // une règle désactivée par un autre nœud : NOTIFY, relue ici
    await tenantSql(server.platform, tenant.tenantId, sql`UPDATE hook_rule SET active = false WHERE tenant_id = ${tenant.tenantId} AND name = 'big deals'`);
    await ownerSql(server.platform, sql`SELECT pg_notify('opsflux_hook_rules', ${tenant.tenantId})`);
    await expect.poll(async () => (await admin.post('/api/v1/data/rule_deal', { title: 'After', amount: '5000' })).json().priority, BACKGROUND).toBeNull();
  });
});
