// Cloche des notifications dans Chromium : le nombre de non lues arrive en direct par le flux SSE (session en
// cookie), la fenêtre liste les notifications avec leur priorité, « tout marquer lu » remet le compteur à zéro,
// une notification ouverte est lue et mène à son lien.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, startDemoServer, tokenOf, type E2EServer } from './support/server.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';

let server: E2EServer;
let browser: Browser;
let admin: WatchedPage;
let tenantId: string;
let userId: string;

// propriétés des composants UI5 lues sur l'élément (React les pose en propriétés, pas toujours en attributs)
const badge = () => admin.page.locator('ui5-shellbar').evaluate((bar) => (bar as unknown as { notificationsCount?: string }).notificationsCount || '');
const notify = (title: string, extra: { priority?: 'low' | 'normal' | 'high' | 'urgent'; link?: string } = {}) =>
  server.platform.notifications.notify({ tenantId, users: [userId], title: { en: title, fr: title }, ...extra });

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  const token = await tokenOf(server, 'admin@demo.opsflux.local', DEMO_PASSWORD);
  const me = (await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).json();
  tenantId = me.tenant.id;
  userId = me.user.id;
  admin = await openPage(browser);
  await signIn(admin.page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('notifications bell', () => {
  it('shows live unread counts, lists with priority, marks all read and follows a link', async () => {
    const { page } = admin;
    await notify('Stock of bolts is low', { priority: 'high' });
    await expect.poll(badge, { timeout: 15_000 }).toBe('1');
    await notify('Server 3 stopped', { priority: 'urgent', link: '/app/' });
    await expect.poll(badge, { timeout: 15_000 }).toBe('2');

    await page.locator('ui5-shellbar').locator('[data-ui5-stable="notifications"]').click();
    const items = page.locator('ui5-li-notification');
    await expect.poll(() => items.count(), ON_SCREEN).toBe(2);
    expect(await items.first().evaluate((item) => (item as unknown as { titleText?: string }).titleText)).toBe('Server 3 stopped');
    expect(await items.first().getAttribute('data-priority')).toBe('urgent');
    await screenshot(page, 'notifications-bell');

    await page.locator('ui5-button[data-action="read-all"]').click();
    await expect.poll(badge, ON_SCREEN).toBe('');
    await expect.poll(() => items.evaluateAll((all) => all.filter((item) => (item as unknown as { read?: boolean }).read).length), ON_SCREEN).toBe(2);

    // arrivée en direct pendant que la fenêtre est ouverte, puis ouverture : lue et lien suivi
    await notify('Invoice overdue', { priority: 'normal', link: '/app/' });
    await expect.poll(badge, ON_SCREEN).toBe('1');
    await expect.poll(() => items.count(), ON_SCREEN).toBe(3);
    await items.first().click();
    await expect.poll(badge, ON_SCREEN).toBe('');
  });
});
