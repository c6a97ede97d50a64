// Accessibilité des écrans principaux (axe-core dans Chromium) : aucune violation grave, navigation au clavier
// possible de la connexion jusqu'à la liste.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import { DEMO_PASSWORD, startDemoServer, type E2EServer } from './support/server.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  user = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('accessibility', () => {
  it('signs in with the keyboard only', async () => {
    const { page } = user;
    await page.goto(`${server.url}/app/login`);
    await page.locator('#login-tenant').waitFor();
    await page.locator('#login-tenant input').focus();
    await page.keyboard.type('demo');
    await page.keyboard.press('Tab');
    await page.keyboard.type('admin@demo.opsflux.local');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('ui5-side-navigation').waitFor();
  });

  it('finds no serious violation on the main screens', async () => {
    const { page } = user;
    const token = await server.adminToken();
    const customer = (await server.app.inject({ url: '/api/v1/data/customer?limit=1', headers: { authorization: `Bearer ${token}` } })).json().data[0];
    const screens: Record<string, string> = {
      home: '/app/',
      list: '/app/data/customer',
      record: `/app/data/customer/${customer.id}`,
      create: '/app/data/customer/new',
      modules: '/server/admin/modules',
      designer: '/server/admin/entities',
      audit: '/server/admin/audit',
    };
    const found: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(screens)) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main ui5-title, main [data-component-name="ObjectPageTitle"]').first().waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      if (violations.length) found[name] = violations;
    }
    const signedOut = await openPage(browser);
    await signedOut.page.goto(`${server.url}/app/login`);
    await signedOut.page.locator('#login-email').waitFor();
    const login = await seriousViolations(signedOut.page);
    if (login.length) found.login = login;
    expect(found).toEqual({});
    expect(user.errors).toEqual([]);
  });
});
