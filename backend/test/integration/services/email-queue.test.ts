// File d'envoi des courriels de bout en bout : modèles par langue (MJML + Mustache), validation à l'enregistrement,
// aperçu, envoi réel à des serveurs SMTP locaux (celui de la plateforme et celui d'un tenant), refus définitif et
// passager, renvoi, historique filtré, rebond, isolation des tenants et droits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { CORE_TEMPLATES } from '../../../src/services/email/core-templates.js';
import { templateProblems } from '../../../src/services/email/render.js';
import { memberKit } from '../../support/members.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';

const MJML = (inner: string) => `<mjml><mj-body><mj-section><mj-column>${inner}</mj-column></mj-section></mj-body></mjml>`;
const PDF = Buffer.from('%PDF-1.4\n% OpsFlux test attachment \u00e9\u00e8\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');

let platformSmtp: SmtpPeer;
let tenantSmtp: SmtpPeer;
let server: TestServer;
let a: TestTenant;
let b: TestTenant;
let adminA: Client;
let adminB: Client;
let filesDir: string;
/** tentatives refusées restantes par adresse (code SMTP) */
const refusals = new Map<string, { code: number; remaining: number }>();

beforeAll(async () => {
  filesDir = mkdtempSync(join(tmpdir(), 'opsflux-email-test-'));
  platformSmtp = await startSmtp({
    refuse: (address) => {
      const rule = refusals.get(address);
      if (!rule || rule.remaining <= 0) return undefined;
      rule.remaining -= 1;
      return { code: rule.code, message: rule.code >= 500 ? 'No such user here' : 'Mailbox busy, try again later' };
    },
  });
  tenantSmtp = await startSmtp();
  // le serveur SMTP du tenant est sur la boucle locale : permis explicitement (politique des connexions sortantes)
  server = await startServer({ mailer: platformSmtp.mailer, filesDir, email: { backoffMs: 100, maxAttempts: 4 }, outboundAllowList: () => [`127.0.0.1:${tenantSmtp.port}`] });
  a = await newTenant(server);
  b = await newTenant(server);
  adminA = client(server, a.token);
  adminB = client(server, b.token);
});
afterAll(async () => {
  await server?.close();
  await platformSmtp?.close();
  await tenantSmtp?.close();
  rmSync(filesDir, { recursive: true, force: true });
});

/** Attend qu'un message atteigne l'un des états donnés (la file tourne en fond). */
async function settled(api: Client, id: string, states: string[] = ['sent', 'failed']): Promise<Record<string, any>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await api.get(`/api/v1/email/messages/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    if (states.includes(res.json().status) || Date.now() > deadline) return res.json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Dernier courriel reçu par un pair SMTP pour cette adresse, décodé (MIME). */
async function received(peer: SmtpPeer, to: string) {
  const mail = [...peer.inbox].reverse().find((m) => m.to.includes(to));
  expect(mail, `no mail to ${to}`).toBeTruthy();
  return PostalMime.parse(mail!.raw);
}

async function upload(tenant: TestTenant, api: Client, content: Buffer, filename: string): Promise<string> {
  const customer = (await api.post('/api/v1/data/customer', { name: `Mail & Co ${filename}` })).json().id as string;
  const { payload, contentType } = multipart(content, filename, 'application/pdf');
  const res = await server.app.inject({
    method: 'POST', url: `/api/v1/files?entity=customer&recordId=${customer}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${tenant.token}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const welcome = {
  fr: { key: 'welcome', locale: 'fr', subject: 'Bienvenue {{name}}', body: MJML('<mj-text>Bonjour {{name}}, votre code est {{code}}.</mj-text>{{#items}}<mj-text>- {{label}}</mj-text>{{/items}}') },
  en: { key: 'welcome', locale: 'en', subject: 'Welcome {{name}}', body: MJML('<mj-text>Hello {{name}}, your code is {{code}}.</mj-text>'), text: 'Hello {{name}}, code {{code}}' },
};

describe('templates', () => {
  it('renders the template of the locale, falling back to the tenant default then en, with variables escaped in the HTML', async () => {
    for (const t of Object.values(welcome)) expect((await adminA.post('/api/v1/data/email_template', t)).statusCode).toBe(201);
    const script = '<script>alert(1)</script>';
    const fr = await adminA.post('/api/v1/email/templates/welcome/preview', { locale: 'fr', variables: { name: script, code: 'A&B', items: [{ label: 'un' }, { label: 'deux' }] } });
    expect(fr.statusCode, fr.body).toBe(200);
    const preview = fr.json();
    expect(preview).toMatchObject({ locale: 'fr', origin: 'tenant', subject: `Bienvenue ${script}` });
    expect(preview.html).not.toContain('<script>');
    expect(preview.html).toContain('&lt;script&gt;alert(1)&lt;');
    expect(preview.html).toContain('A&amp;B');
    expect(preview.html).toMatch(/<!doctype html>/i);
    // partie texte déduite du HTML : le script reste du texte, les sections se répètent
    expect(preview.text).toContain(`Bonjour ${script}, votre code est A&B.`);
    expect(preview.text).toMatch(/- un[\s\S]*- deux/);
    // partie texte écrite par l'auteur
    const en = (await adminA.post('/api/v1/email/templates/welcome/preview', { locale: 'en', variables: { name: 'Ann', code: 7 } })).json();
    expect(en).toMatchObject({ locale: 'en', subject: 'Welcome Ann', text: 'Hello Ann, code 7' });
    // langue sans modèle : celle du tenant, puis en
    expect((await adminA.post('/api/v1/email/templates/welcome/preview', { locale: 'de', variables: {} })).json().locale).toBe('en');
    expect((await adminA.put('/api/v1/settings/mail.defaultLocale', { value: 'fr' })).statusCode).toBe(200);
    expect((await adminA.post('/api/v1/email/templates/welcome/preview', { locale: 'de-AT', variables: {} })).json().locale).toBe('fr');
    // modèle du cœur, remplaçable par tenant
    const reset = (await adminB.post('/api/v1/email/templates/account.passwordReset/preview', { locale: 'fr', variables: { name: 'Zoé', url: 'https://erp.test/r?t=1&u=2', minutes: 60 } })).json();
    expect(reset).toMatchObject({ origin: 'default', locale: 'fr', subject: 'Réinitialisez votre mot de passe' });
    expect(reset.html).toContain('href="https://erp.test/r?t=1&amp;u=2"');
    expect(reset.text).toContain('https://erp.test/r?t=1&u=2');
    expect((await adminB.get('/api/v1/email/templates')).json().data.map((t: { key: string; locale: string }) => `${t.key}:${t.locale}`)).toContain('notification.digest:en');
    expect((await adminA.post('/api/v1/email/templates/nothing.here/preview', {})).statusCode).toBe(400);
  });

  it('ships valid default templates', async () => {
    for (const t of CORE_TEMPLATES) expect(await templateProblems(t), `${t.key}:${t.locale}`).toEqual([]);
  });

  it('refuses an invalid template on save with field-level errors', async () => {
    const bad = await adminA.post('/api/v1/data/email_template', {
      key: 'broken', locale: 'en', subject: 'Hi {{#open}}', body: MJML('<mj-section><mj-text>{{{raw}}}</mj-text></mj-section><mj-nope />'),
    });
    expect(bad.statusCode, bad.body).toBe(400);
    const errors = bad.json().errors as Array<{ field: string; code: string; message: string }>;
    expect(errors).toContainEqual(expect.objectContaining({ field: 'subject', code: 'invalid_template' }));
    expect(errors).toContainEqual(expect.objectContaining({ field: 'body', code: 'unescaped_variable' }));
    expect(errors.filter((e) => e.field === 'body' && e.code === 'invalid_mjml').map((e) => e.message).join('\n')).toMatch(/mj-nope/);
    expect(bad.body).not.toContain(process.cwd());
    expect((await adminA.post('/api/v1/data/email_template', { key: 'broken', locale: 'en', subject: 'x', body: '<p>not mjml</p>' })).json().errors[0])
      .toMatchObject({ field: 'body', code: 'invalid_mjml' });
    // mise à jour : le modèle enregistré reste intact
    const id = (await adminA.get('/api/v1/data/email_template?filter={"key":"welcome","locale":"en"}')).json().data[0].id;
    const patch = await adminA.patch(`/api/v1/data/email_template/${id}`, { body: MJML('<mj-text>{{name</mj-text>') });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors[0]).toMatchObject({ field: 'body', code: 'invalid_template' });
    expect((await adminA.get(`/api/v1/data/email_template/${id}`)).json().body).toBe(welcome.en.body);
    // brouillon de l'éditeur
    const draft = await adminA.post('/api/v1/email/templates/welcome/preview', { draft: { subject: 'Draft {{n}}', body: MJML('<mj-text>Draft {{n}}</mj-text>') }, variables: { n: 1 } });
    expect(draft.json()).toMatchObject({ subject: 'Draft 1', origin: 'draft' });
    const badDraft = await adminA.post('/api/v1/email/templates/welcome/preview', { draft: { subject: 'x', body: '<mjml><mj-body><mj-text>x</mj-text></mj-body></mjml>' } });
    expect(badDraft.statusCode).toBe(400);
    expect(badDraft.json().errors[0]).toMatchObject({ field: 'draft.body', code: 'invalid_mjml' });
  });
});

describe('queue', () => {
  let sentId: string;

  it('queues a templated email with an attachment and delivers it to the SMTP server', async () => {
    const fileId = await upload(a, adminA, PDF, 'offer.pdf');
    const to = `ann@${a.slug}.test`;
    const { id } = await server.platform.email.send({
      tenantId: a.tenantId, to, template: 'welcome', locale: 'fr', variables: { name: '<b>Ann</b>', code: 'X1', items: [] }, attachments: [fileId],
    });
    const message = await settled(adminA, id);
    expect(message).toMatchObject({ status: 'sent', to, template: 'welcome', locale: 'fr', attempts: 1, lastError: null, subject: 'Bienvenue <b>Ann</b>' });
    expect(message.providerMessageId).toBeTruthy();
    expect(message.sentAt).toBeTruthy();
    expect(message.attachments).toEqual([{ id: fileId, name: 'offer.pdf', mime: 'application/pdf', size: PDF.length }]);
    const mail = await received(platformSmtp, to);
    expect(mail.subject).toBe('Bienvenue <b>Ann</b>');
    expect(mail.text).toContain('Bonjour <b>Ann</b>, votre code est X1.');
    expect(mail.html).toContain('Bonjour &lt;b&gt;Ann&lt;');
    expect(mail.html).not.toContain('<b>Ann</b>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe('offer.pdf');
    expect(Buffer.from(mail.attachments[0]!.content as ArrayBuffer).equals(PDF)).toBe(true);
    sentId = id;
  });

  it('writes nothing and sends nothing when the caller transaction rolls back', async () => {
    const to = `rollback@${a.slug}.test`;
    await expect(inTenant(server.platform.db, { tenantId: a.tenantId }, async (trx) => {
      await server.platform.email.send({ tenantId: a.tenantId, to, subject: 'Never', html: '<p>Never</p>', trx });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await server.platform.jobs.idle();
    expect((await adminA.get(`/api/v1/email/messages?to=rollback`)).json().data).toEqual([]);
    expect(platformSmtp.inbox.some((m) => m.to.includes(to))).toBe(false);
  });

  it('uses the SMTP settings of a tenant instead of the platform ones', async () => {
    for (const [key, value] of [['mail.smtp.host', '127.0.0.1'], ['mail.smtp.port', tenantSmtp.port], ['mail.smtp.from', 'Tenant B <mail@b.test>']] as const) {
      expect((await adminB.put(`/api/v1/settings/${key}`, { value })).statusCode).toBe(200);
    }
    const to = `bob@${b.slug}.test`;
    const { id } = await server.platform.email.send({ tenantId: b.tenantId, to, subject: 'From B', html: '<p>Hello <i>Bob</i></p>' });
    expect((await settled(adminB, id)).status).toBe('sent');
    const mail = await received(tenantSmtp, to);
    expect(mail.from?.address).toBe('mail@b.test');
    expect(mail.text).toContain('Hello Bob');
    expect(platformSmtp.inbox.some((m) => m.to.includes(to))).toBe(false);
    // le tenant A garde le serveur de la plateforme
    const other = `carl@${a.slug}.test`;
    expect((await settled(adminA, (await server.platform.email.send({ tenantId: a.tenantId, to: other, subject: 'From A', text: 'Plain text only' })).id)).status).toBe('sent');
    const plain = await received(platformSmtp, other);
    expect(plain.text?.trim()).toBe('Plain text only');
    expect(plain.html).toBeUndefined();
    expect(tenantSmtp.inbox.some((m) => m.to.includes(other))).toBe(false);
  });

  it('marks a permanently refused message failed at once, without retrying', async () => {
    const to = `nobody@${a.slug}.test`;
    refusals.set(to, { code: 550, remaining: 99 });
    const { id } = await server.platform.email.send({ tenantId: a.tenantId, to, subject: 'Lost', html: '<p>Lost</p>' });
    const message = await settled(adminA, id);
    expect(message).toMatchObject({ status: 'failed', attempts: 1 });
    expect(message.lastError).toMatch(/550/);
    expect(message.failedAt).toBeTruthy();
    await server.platform.jobs.idle();
    const job = (await tenantSql(server.platform, a.tenantId, sql<{ state: string; attempts: number }>`SELECT state, attempts FROM job WHERE id = ${message.jobId}`)).rows[0];
    expect(job).toEqual({ state: 'succeeded', attempts: 1 });
    expect(refusals.get(to)!.remaining).toBe(98);
  });

  it('retries a temporarily refused message, then sends it', async () => {
    const to = `busy@${a.slug}.test`;
    refusals.set(to, { code: 451, remaining: 2 });
    const { id } = await server.platform.email.send({ tenantId: a.tenantId, to, subject: 'Patience', html: '<p>Patience</p>' });
    const message = await settled(adminA, id);
    expect(message).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    await server.platform.jobs.idle();
    const job = (await tenantSql(server.platform, a.tenantId, sql<{ state: string; attempts: number }>`SELECT state, attempts FROM job WHERE id = ${message.jobId}`)).rows[0];
    expect(job).toEqual({ state: 'succeeded', attempts: 3 });
    expect((await received(platformSmtp, to)).subject).toBe('Patience');
  });

  it('resends a message as a new message', async () => {
    const before = platformSmtp.inbox.length;
    const res = await adminA.post(`/api/v1/email/messages/${sentId}/resend`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ resendOf: sentId, status: 'queued', subject: 'Bienvenue <b>Ann</b>' });
    expect(res.json().id).not.toBe(sentId);
    expect((await settled(adminA, res.json().id)).status).toBe('sent');
    expect(platformSmtp.inbox.length).toBe(before + 1);
    const mail = await received(platformSmtp, `ann@${a.slug}.test`);
    expect(Buffer.from(mail.attachments[0]!.content as ArrayBuffer).equals(PDF)).toBe(true);
    expect((await adminA.post(`/api/v1/email/messages/${crypto.randomUUID()}/resend`)).statusCode).toBe(404);
  });

  it('records a bounce on a sent message only', async () => {
    const bounced = await adminA.post(`/api/v1/email/messages/${sentId}/bounce`, { reason: '550 5.1.1 mailbox gone (DSN)' });
    expect(bounced.statusCode, bounced.body).toBe(200);
    expect(bounced.json()).toMatchObject({ status: 'bounced', lastError: '550 5.1.1 mailbox gone (DSN)' });
    expect(bounced.json().bouncedAt).toBeTruthy();
    const failed = (await adminA.get('/api/v1/email/messages?status=failed')).json().data[0].id;
    expect((await adminA.post(`/api/v1/email/messages/${failed}/bounce`, {})).statusCode).toBe(409);
  });
});

describe('history', () => {
  it('filters by status and recipient, page by page, latest first', async () => {
    const failed = (await adminA.get('/api/v1/email/messages?status=failed')).json().data;
    expect(failed.map((m: { to: string }) => m.to)).toEqual([`nobody@${a.slug}.test`]);
    expect(failed[0].html).toBeUndefined();
    expect((await adminA.get('/api/v1/email/messages?to=BUSY@')).json().data.map((m: { subject: string }) => m.subject)).toEqual(['Patience']);
    expect((await adminA.get('/api/v1/email/messages?status=bounced')).json().data).toHaveLength(1);
    const all = (await adminA.get('/api/v1/email/messages')).json().data.map((m: { id: string }) => m.id);
    expect(all.length).toBe(5);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; meta: { nextCursor: string | null } } = (await adminA.get(`/api/v1/email/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      paged.push(...page.data.map((m) => m.id));
      cursor = page.meta.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect((await adminA.get('/api/v1/email/messages?status=lost')).statusCode).toBe(400);
    expect((await adminA.get('/api/v1/email/messages?limit=5000')).statusCode).toBe(400);
  });

  it('keeps the messages and files of a tenant out of reach of another', async () => {
    const ofA = (await adminA.get('/api/v1/email/messages')).json().data[0].id;
    expect((await adminB.get(`/api/v1/email/messages/${ofA}`)).statusCode).toBe(404);
    expect((await adminB.post(`/api/v1/email/messages/${ofA}/resend`)).statusCode).toBe(404);
    expect((await adminB.post(`/api/v1/email/messages/${ofA}/bounce`, {})).statusCode).toBe(404);
    expect((await adminB.get('/api/v1/email/messages')).json().data.map((m: { to: string }) => m.to)).toEqual([`bob@${b.slug}.test`]);
    const fileOfA = await upload(a, adminA, Buffer.from('secret of A'), 'secret.pdf');
    const attempt = server.platform.email.send({ tenantId: b.tenantId, to: `bob@${b.slug}.test`, subject: 'Steal', html: '<p>x</p>', attachments: [fileOfA] });
    await expect(attempt).rejects.toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'attachments[0]', code: 'unknown_file' })] });
    await expect(server.platform.email.send({ tenantId: b.tenantId, to: 'not an address', subject: 'x', html: 'x' })).rejects.toMatchObject({ status: 400 });
    expect((await adminB.get('/api/v1/email/messages?to=bob')).json().data).toHaveLength(1);
  });

  it('is for tenant administrators; previews need the read permission on templates', async () => {
    const kit = memberKit(server, a, adminA);
    const plain = await kit.member('plain');
    expect((await plain.api.get('/api/v1/email/messages')).statusCode).toBe(403);
    const any = (await adminA.get('/api/v1/email/messages')).json().data[0].id;
    expect((await plain.api.get(`/api/v1/email/messages/${any}`)).statusCode).toBe(403);
    expect((await plain.api.post(`/api/v1/email/messages/${any}/resend`)).statusCode).toBe(403);
    expect((await plain.api.post(`/api/v1/email/messages/${any}/bounce`, {})).statusCode).toBe(403);
    expect((await plain.api.post('/api/v1/email/templates/welcome/preview', {})).statusCode).toBe(403);
    const reader = await kit.member('reader', [await kit.role('template readers', ['email_template:read'])]);
    expect((await reader.api.post('/api/v1/email/templates/welcome/preview', { locale: 'en', variables: { name: 'R' } })).json().subject).toBe('Welcome R');
    expect((await reader.api.get('/api/v1/email/messages')).statusCode).toBe(403);
    expect((await reader.api.post('/api/v1/data/email_template', { ...welcome.en, locale: 'fr-CA' })).statusCode).toBe(403);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await adminA.get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/email/messages', '/api/v1/email/messages/{id}', '/api/v1/email/messages/{id}/resend', '/api/v1/email/messages/{id}/bounce',
      '/api/v1/email/templates/{key}/preview', '/api/v1/data/email_template',
    ]));
  });
});
