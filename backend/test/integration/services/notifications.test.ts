// Notifications en application : destinataires par utilisateur et par rôle, états et compteurs, cloisonnement
// (utilisateur, tenant), écriture dans la transaction de l'appelant, flux SSE sur un vrai port (reprise par
// Last-Event-ID, diffusion entre nœuds par LISTEN/NOTIFY), rafales cumulées et plafond par minute, vieillissement
// à un instant injecté, canal courriel selon les préférences, entrées invalides, avis aux administrateurs.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { notifyAdministrators } from '../../../src/services/notifications/admin-notices.js';
import type { NotifyInput } from '../../../src/services/notifications/types.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, onServer, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { openStream, type SseStream } from '../../support/sse.js';
import { BACKGROUND } from '../../support/timeouts.js';

type Member = { id: string; api: Client; token: string };

let smtp: SmtpPeer;
let server: TestServer;
let baseUrl: string;
let tenant: TestTenant;
let admin: Client;
let kit: ReturnType<typeof memberKit>;
let plannersRole: string;
let alice: Member;
let bob: Member;
let carol: Member;
const streams: SseStream[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ mailer: smtp.mailer });
  baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  kit = memberKit(server, tenant, admin);
  plannersRole = await kit.role('planners', []);
  alice = await kit.member('alice', [plannersRole]);
  bob = await kit.member('bob');
  carol = await kit.member('carol');
  // carol reçoit le rôle par un groupe enfant d'un groupe qui le porte
  const parent = await admin.post('/api/v1/data/group', { name: 'operations', roles: [plannersRole] });
  expect(parent.statusCode, parent.body).toBe(201);
  const child = await admin.post('/api/v1/data/group', { name: 'night-shift', parent: parent.json().id, members: [carol.id] });
  expect(child.statusCode, child.body).toBe(201);
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await server?.close();
  await smtp?.close();
});

const notify = (input: Omit<NotifyInput, 'tenantId'>, tenantId = tenant.tenantId) => server.platform.notifications.notify({ tenantId, ...input });
const inbox = async (api: Client, query = '') => (await api.get(`/api/v1/notifications${query}`)).json() as { data: Array<Record<string, any>>; meta: { unreadCount: number; nextCursor: string | null } };
const stream = async (token: string, headers: Record<string, string> = {}, base = baseUrl) => {
  const s = await openStream(`${base}/api/v1/events/stream`, { authorization: `Bearer ${token}`, ...headers });
  streams.push(s);
  return s;
};
const notificationsOf = (s: SseStream) => s.events.filter((e) => e.event === 'notification');
let witnesses = 0;

/**
 * Tout courriel de notification dû avant cet appel est parti : la notification urgente d'un témoin (courriel par
 * défaut) est réclamée avec ou après celles d'avant (le même envoyeur, passe après passe, réclame toutes celles du
 * tenant), puis la file des courriels est vidée. Une absence se constate ensuite sans délai arbitraire.
 */
async function emailsSettled(): Promise<void> {
  const name = `witness-${++witnesses}`;
  const witness = await kit.member(name);
  await notify({ users: [witness.id], title: { en: 'Witness', fr: 'Témoin' }, priority: 'urgent' });
  await expect.poll(() => smtp.inbox.some((m) => m.to.includes(`${name}@${tenant.slug}.test`)), BACKGROUND).toBe(true);
  await server.platform.jobs.idle();
}

describe('notifications', () => {
  it('notifies users and the members of roles given by id or name, directly or through (sub)groups', async () => {
    const result = await notify({ users: [bob.id], roles: ['planners'], title: { en: 'Stock low', fr: 'Stock bas' }, body: { en: 'Reorder bolts', fr: 'Commander des boulons' }, priority: 'high', link: '/app/stock' });
    expect(result.recipients).toBe(3);
    for (const member of [alice, bob, carol]) {
      const page = await inbox(member.api);
      expect(page.meta.unreadCount).toBe(1);
      expect(page.data[0]).toMatchObject({ state: 'unread', priority: 'high', title: 'Stock low', body: 'Reorder bolts', link: '/app/stock', count: 1 });
    }
    // le lecteur francophone lit le texte français
    const fr = (await alice.api.get('/api/v1/notifications', { 'accept-language': 'fr' })).json();
    expect(fr.data[0].title).toBe('Stock bas');
    // par identifiant de rôle : alice et carol, pas bob ; l'administrateur ne reçoit rien
    expect((await notify({ roles: [plannersRole], title: { en: 'Shift plan', fr: 'Planning' } })).recipients).toBe(2);
    expect((await inbox(bob.api)).meta.unreadCount).toBe(1);
    expect((await inbox(admin)).data).toEqual([]);
    // clé de traduction résolue par les traductions du tenant, paramètres remplacés
    for (const [locale, text] of [['en', '{item} is running out'], ['fr', '{item} bientôt épuisé']]) {
      expect((await admin.post('/api/v1/data/translation', { locale, key: 'stock.low', text })).statusCode).toBe(201);
    }
    await notify({ users: [bob.id], title: 'stock.low', params: { item: 'M8 bolt' } });
    expect((await inbox(bob.api)).data[0].title).toBe('M8 bolt is running out');
    // utilisateur inconnu ou d'un autre tenant : personne
    expect((await notify({ users: [randomUUID()], title: { en: 'x', fr: 'x' } })).recipients).toBe(0);
    await expect(notify({ users: [bob.id], title: { en: 'x', fr: 'x' }, priority: 'critical' as never })).rejects.toThrow(/priority/);
  });

  it('lists, reads, unreads, archives and reads all, with the unread count and pages', async () => {
    const dave = await kit.member('dave');
    for (let i = 1; i <= 5; i++) await notify({ users: [dave.id], title: { en: `Task ${i}`, fr: `Tâche ${i}` } });
    const all = await inbox(dave.api);
    expect(all.meta.unreadCount).toBe(5);
    expect(all.data.map((n) => n.title)).toEqual(['Task 5', 'Task 4', 'Task 3', 'Task 2', 'Task 1']);
    const first = await inbox(dave.api, '?limit=2');
    expect(first.data).toHaveLength(2);
    const second = await inbox(dave.api, `?limit=2&cursor=${first.meta.nextCursor}`);
    expect(second.data.map((n) => n.title)).toEqual(['Task 3', 'Task 2']);
    const [n5, n4, n3] = all.data.map((n) => n.id as string);
    const read = await dave.api.post(`/api/v1/notifications/${n5}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: n5, state: 'read' });
    expect(read.json().readAt).toBeTruthy();
    expect((await inbox(dave.api, '?state=unread')).meta.unreadCount).toBe(4);
    expect((await inbox(dave.api, '?state=read')).data.map((n) => n.id)).toEqual([n5]);
    expect((await dave.api.post(`/api/v1/notifications/${n5}/unread`)).json().state).toBe('unread');
    expect((await dave.api.post(`/api/v1/notifications/${n4}/archive`)).json().state).toBe('archived');
    expect((await inbox(dave.api, '?state=archived')).data.map((n) => n.id)).toEqual([n4]);
    expect((await inbox(dave.api)).data.map((n) => n.id)).not.toContain(n4);
    expect((await inbox(dave.api, '?state=all')).data).toHaveLength(5);
    const readAll = await dave.api.post('/api/v1/notifications/read-all');
    expect(readAll.json()).toEqual({ updated: 4, unreadCount: 0 });
    const after = await inbox(dave.api);
    expect(after.meta.unreadCount).toBe(0);
    expect(after.data.find((n) => n.id === n3)!.state).toBe('read');
    // l'archivée le reste
    expect((await inbox(dave.api, '?state=archived')).data.map((n) => n.id)).toEqual([n4]);
  });

  it('keeps notifications to their owner: another user or tenant neither sees nor changes them (404)', async () => {
    const mine = (await inbox(bob.api)).data[0]!.id as string;
    for (const action of ['read', 'unread', 'archive']) {
      expect((await alice.api.post(`/api/v1/notifications/${mine}/${action}`)).statusCode).toBe(404);
    }
    expect((await inbox(alice.api, '?state=all')).data.map((n) => n.id)).not.toContain(mine);
    const other = await newTenant(server);
    const outsider = client(server, other.token);
    expect((await outsider.post(`/api/v1/notifications/${mine}/archive`)).statusCode).toBe(404);
    expect((await inbox(outsider, '?state=all')).data).toEqual([]);
    // un utilisateur d'un autre tenant désigné par erreur n'est pas notifié dans celui-ci
    expect((await notify({ users: [other.userId], title: { en: 'x', fr: 'x' } })).recipients).toBe(0);
    // « tout lu » d'alice ne touche pas bob
    const bobUnread = (await inbox(bob.api)).meta.unreadCount;
    await alice.api.post('/api/v1/notifications/read-all');
    expect((await inbox(bob.api)).meta.unreadCount).toBe(bobUnread);
    expect((await client(server).get('/api/v1/notifications')).statusCode).toBe(401);
  });

  it('writes in the transaction of the caller: rolled back or committed with the business write', async () => {
    const erin = await kit.member('erin');
    const scope = { tenantId: tenant.tenantId, userId: tenant.userId };
    await expect(inTenant(server.platform.db, scope, async (trx) => {
      await notify({ users: [erin.id], title: { en: 'Rolled back', fr: 'Annulée' }, trx });
      throw new Error('business failure');
    })).rejects.toThrow('business failure');
    expect((await inbox(erin.api, '?state=all')).data).toEqual([]);
    await inTenant(server.platform.db, scope, (trx) => notify({ users: [erin.id], title: { en: 'Committed', fr: 'Validée' }, trx }));
    expect((await inbox(erin.api)).data.map((n) => n.title)).toEqual(['Committed']);
  });

  it('streams a notification created after connecting (Bearer or cookie) and resumes after Last-Event-ID', async () => {
    const frank = await kit.member('frank');
    const live = await stream(frank.token);
    expect(live.status).toBe(200);
    expect(live.contentType).toMatch(/^text\/event-stream/);
    await expect.poll(() => live.events.find((e) => e.event === 'unread')?.data, BACKGROUND).toEqual({ count: 0 });
    await notify({ users: [frank.id], title: { en: 'Live one', fr: 'En direct' }, priority: 'urgent' });
    await expect.poll(() => notificationsOf(live).length, BACKGROUND).toBe(1);
    const [event] = notificationsOf(live);
    expect(event!.data).toMatchObject({ title: 'Live one', priority: 'urgent', state: 'unread' });
    expect(Number(event!.id)).toBeGreaterThan(0);
    await expect.poll(() => live.events.at(-1), BACKGROUND).toEqual({ event: 'unread', data: { count: 1 }, id: undefined });
    // un autre utilisateur n'en voit rien
    const other = await stream(bob.token);
    await notify({ users: [frank.id], title: { en: 'Second', fr: 'Deuxième' } });
    await expect.poll(() => notificationsOf(live).length, BACKGROUND).toBe(2);
    expect(notificationsOf(other)).toEqual([]);
    await live.close();
    // hors ligne, puis reprise : seules les notifications après le dernier événement reçu reviennent
    await notify({ users: [frank.id], title: { en: 'While away', fr: 'Pendant l’absence' } });
    const resumed = await stream(frank.token, { 'last-event-id': notificationsOf(live).at(-1)!.id! });
    await expect.poll(() => notificationsOf(resumed).map((e) => e.data.title), BACKGROUND).toEqual(['While away']);
    // session du navigateur : cookie, sans jeton anti-CSRF pour une lecture
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `frank@${tenant.slug}.test`, password: 'long enough password', tenant: tenant.slug, cookie: true } });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const browser = await openStream(`${baseUrl}/api/v1/events/stream`, { cookie });
    streams.push(browser);
    expect(browser.status).toBe(200);
    await notify({ users: [frank.id], title: { en: 'To the browser', fr: 'Au navigateur' } });
    await expect.poll(() => notificationsOf(browser).map((e) => e.data.title), BACKGROUND).toContain('To the browser');
    expect((await openStream(`${baseUrl}/api/v1/events/stream`, {})).status).toBe(401);
  });

  it('fans out across nodes through LISTEN/NOTIFY (two platforms on the PostgreSQL server; one on PGlite)', async () => {
    const gina = await kit.member('gina');
    const second = onServer ? await startServer() : undefined;
    try {
      const secondUrl = second ? await second.app.listen({ port: 0, host: '127.0.0.1' }) : baseUrl;
      const remote = await stream(gina.token, {}, secondUrl);
      await expect.poll(() => remote.events.length, BACKGROUND).toBeGreaterThan(0);
      await notify({ users: [gina.id], title: { en: 'From node A', fr: 'Du nœud A' }, groupKey: 'fan-out' });
      await expect.poll(() => notificationsOf(remote).map((e) => e.data.title), BACKGROUND).toEqual(['From node A']);
      await remote.close();
    } finally {
      await second?.close();
    }
  });

  it('coalesces a flood of one group into one notification with a count and a few stream events', async () => {
    const hank = await kit.member('hank');
    const live = await stream(hank.token);
    await expect.poll(() => live.events.length, BACKGROUND).toBeGreaterThan(0);
    for (let i = 1; i <= 500; i++) {
      await notify({ users: [hank.id], title: { en: `Import row ${i} failed`, fr: `Ligne ${i} en échec` }, groupKey: 'import-42', priority: i === 250 ? 'high' : 'low' });
    }
    const page = await inbox(hank.api);
    expect(page.data, JSON.stringify(page.data)).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ count: 500, groupKey: 'import-42', title: 'Import row 500 failed', priority: 'high', state: 'unread' });
    expect(page.meta.unreadCount).toBe(1);
    await expect.poll(() => notificationsOf(live).at(-1)?.data.count, BACKGROUND).toBe(500);
    const events = notificationsOf(live);
    expect(new Set(events.map((e) => e.data.id))).toEqual(new Set([page.data[0]!.id]));
    expect(events.length).toBeLessThan(60);
    // lue puis relancée : la notification cumulée redevient non lue
    await hank.api.post(`/api/v1/notifications/${page.data[0]!.id}/read`);
    await notify({ users: [hank.id], title: { en: 'Import row 501 failed', fr: 'Ligne 501 en échec' }, groupKey: 'import-42' });
    expect((await inbox(hank.api)).data[0]).toMatchObject({ count: 501, state: 'unread' });
  });

  it('caps new notifications per user and minute, counting the extra ones in one overflow entry', async () => {
    expect((await admin.put('/api/v1/settings/notifications.maxPerUserPerMinute', { value: 5, level: 'tenant' })).statusCode).toBe(200);
    try {
      const ivy = await kit.member('ivy');
      for (let i = 1; i <= 12; i++) await notify({ users: [ivy.id], title: { en: `Distinct ${i}`, fr: `Distincte ${i}` } });
      const page = await inbox(ivy.api);
      expect(page.data).toHaveLength(6);
      expect(page.data[0]).toMatchObject({ title: 'More notifications', count: 7, groupKey: '~overflow' });
      expect(page.data.slice(1).map((n) => n.title)).toEqual(['Distinct 5', 'Distinct 4', 'Distinct 3', 'Distinct 2', 'Distinct 1']);
    } finally {
      await admin.put('/api/v1/settings/notifications.maxPerUserPerMinute', { value: 30, level: 'tenant' });
    }
  });

  it('escalates unread notifications and expires old ones at an injected time, in set-based statements', async () => {
    expect((await admin.put('/api/v1/settings/notifications.escalateAfterHours', { value: { low: 0, normal: 2, high: 24 }, level: 'tenant' })).statusCode).toBe(200);
    expect((await admin.put('/api/v1/settings/notifications.expireAfterDays', { value: 30, level: 'tenant' })).statusCode).toBe(200);
    const jack = await kit.member('jack');
    await notify({ users: [jack.id], title: { en: 'Low one', fr: 'Basse' }, priority: 'low' });
    await notify({ users: [jack.id], title: { en: 'Normal one', fr: 'Normale' }, priority: 'normal' });
    await notify({ users: [jack.id], title: { en: 'High one', fr: 'Haute' }, priority: 'high' });
    await notify({ users: [jack.id], title: { en: 'Normal but read', fr: 'Lue' }, priority: 'normal' });
    const readId = (await inbox(jack.api)).data[0]!.id;
    await jack.api.post(`/api/v1/notifications/${readId}/read`);
    const priorities = async () => Object.fromEntries((await inbox(jack.api, '?state=all')).data.map((n) => [n.title, n.priority]));
    const hour = 3_600_000;
    const sweep = (offset: number) => server.platform.notifications.sweep(new Date(Date.now() + offset), [tenant.tenantId]);
    expect((await sweep(hour)).escalated).toBe(0);
    // le balayage couvre tout le tenant (notifications des autres tests comprises) : on regarde celles de jack
    expect((await sweep(3 * hour)).escalated).toBeGreaterThanOrEqual(1);
    expect(await priorities()).toEqual({ 'Low one': 'low', 'Normal one': 'high', 'High one': 'high', 'Normal but read': 'normal' });
    // deux heures plus tard, la « normale » devenue haute ne monte pas encore (24 h à sa nouvelle priorité)
    await sweep(5 * hour);
    expect((await priorities())['Normal one']).toBe('high');
    await sweep(28 * hour);
    expect(await priorities()).toEqual({ 'Low one': 'low', 'Normal one': 'urgent', 'High one': 'urgent', 'Normal but read': 'normal' });
    const expired = await sweep(31 * 24 * hour);
    expect(expired.expired).toBeGreaterThanOrEqual(4);
    expect((await inbox(jack.api, '?state=all')).data).toEqual([]);
    await admin.put('/api/v1/settings/notifications.expireAfterDays', { value: 90, level: 'tenant' });
  });

  it('sends an e-mail when the preference of the recipient asks for it, by priority and category, after commit only', async () => {
    const kate = await kit.member('kate');
    expect((await admin.patch(`/api/v1/data/user/${kate.id}`, { locale: 'en' })).statusCode).toBe(200);
    const email = `kate@${tenant.slug}.test`;
    const received = () => smtp.inbox.filter((m) => m.to.includes(email)).map((m) => m.raw.replace(/=\r?\n/g, ''));
    const defaults = (await kate.api.get('/api/v1/notifications/preferences')).json();
    expect(defaults).toEqual({
      email: true,
      priorities: { low: { inApp: true, email: false }, normal: { inApp: true, email: false }, high: { inApp: true, email: false }, urgent: { inApp: true, email: true } },
      categories: {},
    });
    await notify({ users: [kate.id], title: { en: 'Quiet', fr: 'Discrète' }, priority: 'high' });
    const put = await kate.api.put('/api/v1/notifications/preferences', { priorities: { high: { email: true } }, categories: { billing: { inApp: false, email: true }, chatter: { email: false } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().priorities.high).toEqual({ inApp: true, email: true });
    expect((await kate.api.get('/api/v1/notifications/preferences')).json().categories).toEqual({ billing: { inApp: false, email: true }, chatter: { email: false } });
    await notify({ users: [kate.id], title: { en: 'Server down', fr: 'Serveur arrêté' }, body: { en: 'Node 3 stopped', fr: 'Le nœud 3 est arrêté' }, priority: 'high', link: '/app/servers/3' });
    await expect.poll(received, BACKGROUND).toHaveLength(1);
    expect(received()[0]).toContain('Server down');
    expect(received()[0]).toContain('Node 3 stopped');
    expect(received()[0]).toContain('/app/servers/3');
    // catégorie : courriel seul (la notification va aux archives), ou pas de courriel malgré la priorité
    await notify({ users: [kate.id], title: { en: 'Invoice paid', fr: 'Facture payée' }, category: 'billing', priority: 'low' });
    await notify({ users: [kate.id], title: { en: 'Someone commented', fr: 'Un commentaire' }, category: 'chatter', priority: 'urgent' });
    await expect.poll(received, BACKGROUND).toHaveLength(2);
    expect(received()[1]).toContain('Invoice paid');
    const archived = (await inbox(kate.api, '?state=archived')).data.map((n) => n.title);
    expect(archived).toContain('Invoice paid');
    expect((await inbox(kate.api)).data.map((n) => n.title)).toEqual(['Someone commented', 'Server down', 'Quiet']);
    // une écriture annulée n'envoie rien ; validée, elle envoie
    const scope = { tenantId: tenant.tenantId, userId: tenant.userId };
    await expect(inTenant(server.platform.db, scope, async (trx) => {
      await notify({ users: [kate.id], title: { en: 'Never sent', fr: 'Jamais envoyé' }, priority: 'urgent', trx });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    await inTenant(server.platform.db, scope, (trx) => notify({ users: [kate.id], title: { en: 'Sent at commit', fr: 'Envoyé au commit' }, priority: 'urgent', trx }));
    await expect.poll(received, BACKGROUND).toHaveLength(3);
    expect(received().join('\n')).not.toContain('Never sent');
    // interrupteur général : plus aucun courriel
    expect((await kate.api.put('/api/v1/notifications/preferences', { email: false })).json().email).toBe(false);
    await notify({ users: [kate.id], title: { en: 'Muted', fr: 'Muet' }, priority: 'urgent' });
    await emailsSettled();
    expect(received()).toHaveLength(3);
    expect(received().join('\n')).not.toContain('Never sent');
  });

  it('rejects bad input with field errors', async () => {
    const bad = await alice.api.get('/api/v1/notifications?state=everything');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('state');
    expect((await alice.api.get('/api/v1/notifications?limit=lots')).json().errors[0].field).toBe('limit');
    expect((await alice.api.get('/api/v1/notifications?cursor=nope')).statusCode).toBe(400);
    const badId = await alice.api.post('/api/v1/notifications/not-an-id/read');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0].field).toBe('id');
    expect((await alice.api.post(`/api/v1/notifications/${randomUUID()}/read`)).statusCode).toBe(404);
    const prefs = await alice.api.put('/api/v1/notifications/preferences', { priorities: { high: { email: 'yes' }, critical: { email: true } }, categories: { 'Bad Name!': { email: true } }, sms: true });
    expect(prefs.statusCode).toBe(400);
    expect(prefs.headers['content-type']).toMatch(/problem\+json/);
    const fields = prefs.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['priorities.high.email', 'priorities.critical', 'sms']));
    expect(fields.length).toBeGreaterThanOrEqual(4);
    expect((await alice.api.put('/api/v1/notifications/preferences', [1, 2])).statusCode).toBe(400);
    const lastEvent = await openStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${alice.token}`, 'last-event-id': 'yesterday' });
    expect(lastEvent.status).toBe(400);
  });

  it('gives administrators an in-app notification for an admin notice, and still the e-mail', async () => {
    const before = smtp.inbox.filter((m) => m.to.includes(tenant.email)).length;
    const sent = await notifyAdministrators(server.platform, tenant.tenantId, { subject: { en: 'Licence expired', fr: 'Licence échue' }, body: { en: 'Renew it', fr: 'Renouvelez-la' } });
    expect(sent).toBe(1);
    const page = await inbox(admin);
    expect(page.data[0]).toMatchObject({ title: 'Licence expired', body: 'Renew it', priority: 'high', category: 'admin' });
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes(tenant.email)).length, BACKGROUND).toBe(before + 1);
    // pas de second courriel par le canal des notifications
    await emailsSettled();
    expect(smtp.inbox.filter((m) => m.to.includes(tenant.email)).length).toBe(before + 1);
  });

  it('describes the routes in the OpenAPI document', async () => {
    const doc = (await admin.get('/api/openapi.json')).json();
    for (const path of ['/api/v1/notifications', '/api/v1/notifications/{id}/read', '/api/v1/notifications/read-all', '/api/v1/notifications/preferences', '/api/v1/events/stream']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('keeps rows of one tenant invisible to a transaction of another (RLS)', async () => {
    const other = await newTenant(server);
    const seen = await inTenant(server.platform.db, { tenantId: other.tenantId }, async (trx) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification`.execute(trx)).rows[0]!.n);
    expect(seen).toBe(0);
  });
});
