// Rapports planifiés : une analyse enregistrée avec un cron part par courriel (vrai serveur SMTP sur le loopback) en
// Excel et en PDF, calculée avec les droits de son propriétaire ; les chiffres du fichier sont relus ; la prochaine
// échéance est posée ; un cron invalide ou une adresse fausse sont refusés ; une analyse devenue invalide garde son
// erreur sur le rapport.
import ExcelJS from 'exceljs';
import PostalMime from 'postal-mime';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, settleBackground, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';
import { waitFor } from '../../support/webhook-receiver.js';

let server: TestServer;
let smtp: SmtpPeer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ mailer: smtp.mailer });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  await admin.patch(`/api/v1/data/user/${tenant.userId}`, { locale: 'en' });
  await admin.post('/api/v1/meta/entities', {
    name: 'rp_sale', label: { en: 'Sale', fr: 'Vente' },
    fields: { region: { type: 'string', label: { en: 'Region', fr: 'Région' } }, amount: { type: 'decimal', options: { precision: 14, scale: 2 }, label: { en: 'Amount', fr: 'Montant' } } },
  });
  const sales = [['north', '100.50'], ['north', '200'], ['south', '50.25'], ['east', '10']];
  await admin.post('/api/v1/data/rp_sale/bulk', { operations: sales.map(([region, amount]) => ({ op: 'create', data: { region, amount } })) });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const query = { entity: 'rp_sale', measures: [{ fn: 'sum', field: 'amount' }, { fn: 'count' }], dimensions: [{ field: 'region' }], sort: [{ by: 'region' }] };
const mailTo = async (to: string) => {
  await waitFor(async () => {
    await settleBackground(server);
    return smtp.inbox.some((m) => m.to.includes(to));
  }, 15_000, `mail to ${to}`);
  return PostalMime.parse([...smtp.inbox].reverse().find((m) => m.to.includes(to))!.raw);
};

describe('scheduled reports', () => {
  it('e-mails an Excel report with the analysis, and sets the next run', async () => {
    const created = await admin.post('/api/v1/data/report', { name: 'Weekly sales', query, format: 'xlsx', cron: '0 7 * * 1', timeZone: 'Europe/Paris', recipients: ['boss@example.test'] });
    expect(created.statusCode, created.body).toBe(201);
    const next = new Date(created.json().nextRunAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    // lundi 7 h à Paris : 5 h ou 6 h UTC selon l'heure d'été
    expect(next.getUTCDay()).toBe(1);
    expect([5, 6]).toContain(next.getUTCHours());

    expect(await server.platform.reports.runDue(tenant.tenantId, new Date(next.getTime() + 1000))).toBe(1);
    const mail = await mailTo('boss@example.test');
    expect(mail.subject).toMatch(/^Weekly sales — \d{4}-\d{2}-\d{2}$/);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(mail.attachments[0]!.content as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).toEqual([['Region', 'Sum of Amount', 'Count'], ['east', 10, 1], ['north', 300.5, 2], ['south', 50.25, 1], ['Total', 360.75, 4]]);
    const after = (await admin.get(`/api/v1/data/report/${created.json().id}`)).json();
    expect(after.lastError).toBeNull();
    expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(next.getTime());
    // pas dû : rien ne part
    expect(await server.platform.reports.runDue(tenant.tenantId, new Date(next.getTime() + 2000))).toBe(0);
  });

  it('e-mails a PDF report computed with its owner’s rights, in the owner’s language', async () => {
    const kit = memberKit(server, tenant, admin);
    const role = await kit.role('rp north', ['rp_sale:read', 'report:read', 'report:create']);
    expect((await admin.post('/api/v1/data/record_rule', { role, entity: 'rp_sale', filter: { region: { eq: 'north' } } })).statusCode).toBe(201);
    const analyst = await kit.member('rp-analyst', [role]);
    await admin.patch(`/api/v1/data/user/${analyst.id}`, { locale: 'fr' });
    const created = await analyst.api.post('/api/v1/data/report', { name: 'Ventes nord', query, format: 'pdf', cron: '30 6 * * *', recipients: ['north@example.test'] });
    expect(created.statusCode, created.body).toBe(201);
    await server.platform.reports.runDue(tenant.tenantId, new Date(Date.now() + 2 * 86_400_000));
    const mail = await mailTo('north@example.test');
    expect(mail.text).toContain('Rapport « Ventes nord »');
    const pdf = await extractText(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer), { mergePages: true });
    expect(pdf.text).toContain('Somme de Montant');
    expect(pdf.text).toContain('300.5');
    expect(pdf.text).not.toContain('south');
  });

  it('refuses an invalid schedule or recipient, and keeps the error of an analysis that no longer holds', async () => {
    for (const [body, field] of [
      [{ cron: 'every monday' }, 'cron'],
      [{ cron: '0 7 * * 1', timeZone: 'Mars/Base' }, 'timeZone'],
      [{ cron: '0 7 * * 1', recipients: ['nobody'] }, 'recipients[0]'],
    ] as const) {
      const res = await admin.post('/api/v1/data/report', { name: 'Bad', query, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
    const broken = (await admin.post('/api/v1/data/report', { name: 'Broken', query: { entity: 'rp_sale', measures: [{ fn: 'sum', field: 'gone' }] }, cron: '0 * * * *', recipients: ['x@example.test'] })).json();
    await server.platform.reports.runDue(tenant.tenantId, new Date(Date.now() + 2 * 3_600_000));
    expect((await admin.get(`/api/v1/data/report/${broken.id}`)).json().lastError).toContain('gone');
  });
});
