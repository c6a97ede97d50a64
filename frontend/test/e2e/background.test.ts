// Services d'arrière-plan dans la console (Chromium) : travaux (lancement manuel, historique, planification avec une
// erreur de cron affichée sur le champ, exécution immédiate, exécutions de la planification), historique des
// courriels (message déposé par une règle d'automatisation, HTML isolé, renvoi), webhooks (envoi d'essai vers un
// destinataire local, journal des envois, rejeu) et accessibilité de ces trois écrans.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { choose, fill, launchBrowser, pagesPerTest, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, ROOT, startDemoServer, type E2EServer } from './support/server.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';

let server: E2EServer;
let browser: Browser;
const newPage = pagesPerTest(() => browser);
let receiver: Server;
let receiverUrl: string;
/** appels reçus par le destinataire des webhooks : sujet annoncé dans l'en-tête ou le corps */
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

const MAIL_TO = 'new-tags@example.test';
const A11Y_TO = 'a11y-tags@example.test';

const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  const res = await server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

/** Jeton du super-administrateur de la plateforme (tenant « default »). */
async function rootToken(): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { ...ROOT, tenant: 'default' } });
  return res.json().accessToken as string;
}

/** Clique une ligne de tableau interactive (sur sa première cellule, hors des boutons). */
const openRow = (page: Page, row: string) => page.locator(row).first().locator('ui5-table-cell').first().click();
const valueState = (page: Page, selector: string) => page.locator(selector).getAttribute('value-state');

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('received');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/opsflux`;
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Page neuve de la console, à ce test seul, connectée avec l'administrateur de démonstration. */
async function consolePage(): Promise<WatchedPage> {
  const watched = await newPage();
  await signIn(watched.page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD, 'server');
  return watched;
}

/** Le destinataire local (127.0.0.1) est permis par le super-administrateur de la plateforme (idempotent). */
async function allowLocalReceiver(): Promise<void> {
  await call(await rootToken(), 'PUT', '/api/v1/settings/webhooks.allowPrivateTargets', { value: true });
}

/** Règle « courriel à la création d'une étiquette » puis une étiquette : un vrai message dans la file des courriels. */
async function mailOnNewTag(rule: string, tag: string, to: string): Promise<void> {
  const token = await server.adminToken();
  await call(token, 'POST', '/api/v1/data/hook_rule', {
    name: rule, entity: 'tag', events: ['created'], condition: { name: tag },
    actions: [{ type: 'email', to, template: 'notification.message', locale: 'en', variables: { title: 'New tag {{name}}', body: 'The tag {{name}} was created.' } }],
  });
  await call(token, 'POST', '/api/v1/data/tag', { name: tag });
}

describe('background services in the console', () => {
  it('lists the three screens in the administration menu', async () => {
    const admin = await consolePage();
    const { page } = admin;
    for (const id of ['admin.jobs', 'admin.email', 'admin.webhooks']) {
      await page.locator(`ui5-side-navigation-sub-item[data-menu-id="${id}"]`).waitFor({ state: 'attached' });
    }
    expect(admin.errors).toEqual([]);
  });

  it('starts a job by hand and sees it succeed in the history', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await page.locator('ui5-side-navigation-sub-item[data-menu-id="admin.jobs"]').click();
    await page.waitForURL(/\/server\/admin\/jobs$/);
    await page.locator('ui5-button[data-action="start-job"]').click();
    await choose(page, '#start-job-type', 'audit.verify');
    // syntaxe JSON vérifiée dans le navigateur : rien n'est envoyé
    await fill(page, '#start-job-payload', '{ not json');
    await page.locator('ui5-button[data-action="confirm-start"]').click();
    await expect.poll(() => valueState(page, '#start-job-payload'), ON_SCREEN).toBe('Negative');
    await fill(page, '#start-job-payload', '');
    await page.locator('ui5-button[data-action="confirm-start"]').click();

    // le détail du travail lancé s'ouvre et suit son état jusqu'à la fin
    const detail = page.locator('ui5-dialog[data-dialog="job-detail"]');
    await expect.poll(() => detail.locator('[data-value]').first().getAttribute('data-value'), { timeout: 20_000 }).toBe('succeeded');
    await expect.poll(() => detail.locator('pre[data-block="result"]').innerText(), ON_SCREEN).toContain('"rows"');
    await screenshot(page, 'console-job-detail');
    await detail.locator('ui5-button').last().click();
    await page.locator('ui5-table-row[data-job="audit.verify"][data-job-state="succeeded"]').first().waitFor();

    // filtre par état gardé dans l'adresse
    await choose(page, '#jobs-state', 'failed');
    await page.waitForURL(/state=failed/);
    await expect.poll(() => page.locator('ui5-table-row[data-job="audit.verify"]').count(), ON_SCREEN).toBe(0);
    await choose(page, '#jobs-state', 'succeeded');
    await page.locator('ui5-table-row[data-job="audit.verify"]').first().waitFor();
    await screenshot(page, 'console-jobs');
    expect(admin.errors).toEqual([]);
  });

  it('creates a schedule (the invalid cron shown on its field), runs it now and shows its runs', async () => {
    const admin = await consolePage();
    const { page, expect: allow } = admin;
    allow(/^POST .*\/api\/v1\/job-schedules$/);
    await page.goto(`${server.url}/server/admin/jobs`);
    await page.locator('[role="tab"]', { hasText: 'Planifications' }).click();
    await page.waitForURL(/tab=schedules/);
    await page.locator('ui5-button[data-action="new-schedule"]').click();
    await fill(page, '#schedule-key', 'audit.nightly');
    await choose(page, '#schedule-job', 'audit.verify');
    await fill(page, '#schedule-cron', 'every night');
    await fill(page, '#schedule-timezone', 'Europe/Paris');
    await page.locator('ui5-button[data-action="save-schedule"]').click();
    await expect.poll(() => valueState(page, '#schedule-cron'), ON_SCREEN).toBe('Negative');
    expect(await valueState(page, '#schedule-key')).toBe('None');
    await screenshot(page, 'console-schedule-invalid-cron');

    await fill(page, '#schedule-cron', '0 2 * * *');
    await page.locator('ui5-button[data-action="save-schedule"]').click();
    const row = page.locator('ui5-table-row[data-schedule="audit.nightly"]');
    await row.waitFor();
    expect(await row.locator('[data-value]').getAttribute('data-value')).toBe('true');

    await row.locator('ui5-button[data-action="run-now"]').click();
    await page.locator('ui5-message-strip[design="Positive"]').waitFor();
    await row.locator('ui5-link[data-link="runs"]').click();
    await page.waitForURL(/scheduleId=/);
    await page.locator('ui5-message-strip[data-filter="schedule"]').waitFor();
    await page.locator('ui5-table-row[data-job="audit.verify"][data-job-state="succeeded"]').first().waitFor();
    expect(await page.locator('ui5-table-row[data-job]').count()).toBe(1);

    // pause puis suppression confirmée
    await page.locator('[role="tab"]', { hasText: 'Planifications' }).click();
    await row.locator('ui5-button[data-action="pause"]').click();
    await expect.poll(() => row.locator('[data-value]').getAttribute('data-value'), ON_SCREEN).toBe('false');
    await row.locator('ui5-button[data-action="delete"]').click();
    await page.locator('ui5-dialog[open] ui5-button[data-choice="confirm"]').click();
    await expect.poll(() => row.count(), ON_SCREEN).toBe(0);
    expect(admin.errors).toEqual([]);
  });

  it('shows an e-mail in the history with its sandboxed HTML, and resends it', async () => {
    const admin = await consolePage();
    const { page } = admin;
    // un courriel réel de la file : règle d'automatisation « à la création d'une étiquette », puis une étiquette
    await mailOnNewTag('Mail new tags', 'background-e2e', MAIL_TO);

    await page.goto(`${server.url}/server/admin/email`);
    await fill(page, '#email-recipient', 'new-tags@');
    await page.locator('ui5-button[data-action="search"]').click();
    const sent = page.locator(`ui5-table-row[data-email="${MAIL_TO}"][data-email-status="sent"]`);
    await sent.first().waitFor();
    await openRow(page, `ui5-table-row[data-email="${MAIL_TO}"]`);
    const dialog = page.locator('ui5-dialog[data-dialog="email"]');
    const frame = dialog.locator('iframe[data-email-html]');
    await frame.waitFor();
    // cadre isolé : attribut sandbox sans aucune permission (ni scripts ni même origine)
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect.poll(() => page.frameLocator('iframe[data-email-html]').locator('body').innerText(), ON_SCREEN).toContain('The tag background-e2e was created.');
    expect(await dialog.locator('pre[data-block="text"]').innerText()).toContain('New tag background-e2e');
    await screenshot(page, 'console-email-detail');

    await dialog.locator('ui5-button[data-action="resend"]').click();
    await page.locator('ui5-message-strip[design="Positive"]').waitFor();
    await expect.poll(() => sent.count(), { timeout: 20_000 }).toBe(2);
    expect(admin.errors).toEqual([]);
  });

  it('shows the delivery log of a subscription and replays a delivery', async () => {
    const admin = await consolePage();
    const { page } = admin;
    await allowLocalReceiver();
    const hook = await call(await server.adminToken(), 'POST', '/api/v1/data/webhook', { name: 'E2E receiver', url: receiverUrl, events: ['tag.created'] });

    await page.goto(`${server.url}/server/admin/webhooks`);
    const row = page.locator('ui5-table-row[data-webhook="E2E receiver"]');
    await row.waitFor();
    expect(await row.locator('ui5-link[data-link="record"]').getAttribute('href')).toBe(`/server/data/webhook/${hook.id}`);
    await row.locator('ui5-button[data-action="test"]').click();

    const panel = page.locator(`[data-deliveries="${hook.id}"]`);
    const ping = panel.locator('ui5-table-row[data-delivery="webhook.ping"]');
    await panel.locator('ui5-table-row[data-delivery="webhook.ping"][data-delivery-status="succeeded"]').waitFor();
    // les essais de ce webhook seulement : un événement d'étiquette d'un autre test peut aussi parvenir au destinataire
    const pings = () => received.filter((r) => r.headers['x-opsflux-event'] === 'webhook.ping' && JSON.parse(r.body).data?.webhook?.id === hook.id);
    expect(pings()).toHaveLength(1);
    await openRow(page, `[data-deliveries="${hook.id}"] ui5-table-row[data-delivery="webhook.ping"]`);
    await expect.poll(() => panel.locator('pre[data-block="response"]').innerText(), ON_SCREEN).toBe('received');
    await screenshot(page, 'console-webhook-deliveries');

    await ping.first().locator('ui5-button[data-action="replay"]').click();
    await panel.locator('ui5-table-row[data-replay="true"][data-delivery-status="succeeded"]').waitFor();
    expect(await ping.count()).toBe(2);
    expect(pings()).toHaveLength(2);
    // même événement rejoué : le destinataire reçoit deux fois le même identifiant d'événement
    const ids = pings().map((r) => JSON.parse(r.body).id as string);
    expect(ids[0]).toBe(ids[1]);
    expect(admin.errors).toEqual([]);
  });

  it('finds no serious accessibility violation on the three screens', async () => {
    const admin = await consolePage();
    const { page } = admin;
    // des écrans remplis par ce test lui-même : un abonnement, un courriel de la file
    await allowLocalReceiver();
    await call(await server.adminToken(), 'POST', '/api/v1/data/webhook', { name: 'A11y receiver', url: receiverUrl, events: ['tag.created'] });
    await mailOnNewTag('Mail a11y tags', 'a11y-e2e', A11Y_TO);
    const screens = {
      '/server/admin/jobs': 'ui5-table',
      '/server/admin/jobs?tab=schedules': 'ui5-table',
      '/server/admin/email': `ui5-table-row[data-email="${A11Y_TO}"]`,
      '/server/admin/webhooks': 'ui5-table-row[data-webhook="A11y receiver"]',
    };
    const found: Record<string, unknown> = {};
    for (const [path, filled] of Object.entries(screens)) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main ui5-title').first().waitFor();
      await page.locator(filled).first().waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      if (violations.length) found[path] = violations;
    }
    expect(found).toEqual({});
    expect(admin.errors).toEqual([]);
  });
});
