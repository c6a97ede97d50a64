// Comptes dans Chromium : mot de passe oublié (vrai serveur SMTP local, lien reçu, nouveau mot de passe), connexion
// avec le code à deux facteurs, thème sombre et langue gardés, affichage sur un téléphone.
import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startIdp, type TestIdp } from '../../../backend/test/support/oidc-idp.js';
import { startSmtp, type SmtpPeer } from '../../../backend/test/support/smtp.js';
import { fill, launchBrowser, TABLE_ROWS, openPage, screenshot, signIn } from './support/browser.js';
import { DEMO_PASSWORD, demoAccount, startDemoServer, tokenOf, type E2EServer } from './support/server.js';
import { BACKGROUND, ON_SCREEN } from '../../../backend/test/support/timeouts.js';

let smtp: SmtpPeer;
let idp: TestIdp;
let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  // l'adresse publique du serveur est fixée d'avance : le fournisseur OpenID doit connaître l'adresse de retour
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  smtp = await startSmtp();
  idp = await startIdp(`${publicUrl}/api/v1/auth/sso/corp/callback`, { alice: { email: 'alice@corp.test', name: 'Alice Martin', groups: ['sales'] } });
  // le fournisseur OpenID écoute sur la boucle locale : permis explicitement (politique des connexions sortantes)
  const outboundAllowList = () => [new URL(idp.issuer).host];
  [server, browser] = await Promise.all([startDemoServer({ mailer: smtp.mailer, publicUrl, port, outboundAllowList }), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await idp?.stop();
  await smtp?.close();
});

const api = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

describe('accounts', () => {
  it('resets a forgotten password from the link received by email', async () => {
    const { page, errors, expect: allow } = await openPage(browser);
    allow(/^POST .*\/api\/v1\/auth\/password\/reset$/);
    await page.goto(`${server.url}/app/login`);
    await fill(page, '#login-tenant', 'demo');
    await fill(page, '#login-email', 'finance@demo.opsflux.local');
    await page.locator('ui5-link').first().click();
    await page.locator('ui5-message-strip[design="Information"]').waitFor();
    await expect.poll(() => smtp.lastToken('finance@demo.opsflux.local'), BACKGROUND).toBeTruthy();

    await page.goto(`${server.url}/app/reset-password?token=${encodeURIComponent(smtp.lastToken('finance@demo.opsflux.local')!)}`);
    await fill(page, '#reset-password', 'short');
    await fill(page, '#reset-confirm', 'short');
    await page.locator('ui5-button[type="Submit"]').click();
    // règle de mot de passe du serveur, affichée telle quelle
    await page.locator('ui5-message-strip[design="Negative"]').waitFor();
    await fill(page, '#reset-password', 'a brand new finance password');
    await fill(page, '#reset-confirm', 'a brand new finance password');
    await page.locator('ui5-button[type="Submit"]').click();
    await page.locator('ui5-message-strip[design="Positive"]').waitFor();
    await signIn(page, server.url, 'finance@demo.opsflux.local', 'a brand new finance password');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('asks for the two-factor code of an enrolled account, refuses a wrong one, then signs in', async () => {
    const token = await tokenOf(server, 'sales@demo.opsflux.local');
    const { secret } = (await api(token, 'POST', '/api/v1/auth/mfa/totp')).json();
    expect((await api(token, 'POST', '/api/v1/auth/mfa/totp/confirm', { code: await generate({ secret }) })).statusCode).toBe(200);

    const { page, errors, expect: allow } = await openPage(browser);
    allow(/^POST .*\/api\/v1\/auth\/login$/);
    await page.goto(`${server.url}/app/login`);
    await fill(page, '#login-tenant', 'demo');
    await fill(page, '#login-email', 'sales@demo.opsflux.local');
    await fill(page, '#login-password', DEMO_PASSWORD);
    await page.locator('ui5-button[type="Submit"]').click();
    await page.locator('#login-totp').waitFor();
    await screenshot(page, 'login-totp');
    const current = await generate({ secret });
    await fill(page, '#login-totp', current === '000000' ? '111111' : '000000');
    await page.locator('ui5-button[type="Submit"]').click();
    await expect.poll(() => page.locator('ui5-message-strip[design="Negative"]').innerText(), ON_SCREEN).toMatch(/deux facteurs|two-factor/i);
    // le code de l'enrôlement ne resert pas (rejeu refusé) : celui de la période suivante, accepté par la fenêtre
    await fill(page, '#login-totp', await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.locator('ui5-button[type="Submit"]').click();
    await page.locator('ui5-side-navigation').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signs in through the OpenID Connect provider configured for the tenant', async () => {
    const token = await server.adminToken();
    const provider = await api(token, 'POST', '/api/v1/data/auth_provider', {
      name: 'corp', label: 'Corporate SSO', kind: 'oidc', config: { issuer: idp.issuer, clientId: 'opsflux' }, secret: 'opsflux-client-secret', roleMapping: { sales: ['Sales'] },
    });
    expect(provider.statusCode, provider.body).toBe(201);

    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/app/login`);
    await fill(page, '#login-tenant', 'demo');
    await page.locator('ui5-button', { hasText: 'Corporate SSO' }).click();
    // pages de connexion et de consentement du fournisseur (formulaires HTML ordinaires)
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${server.url}/app/`);
    await page.locator('ui5-side-navigation').waitFor();
    const me = await page.evaluate<{ user: { email: string; authProvider: string }; roles: string[] }>("fetch('/api/v1/auth/me').then((r) => r.json())");
    expect(me.user).toMatchObject({ email: 'alice@corp.test', authProvider: 'corp' });
    expect(me.roles).toEqual(['Sales']);
    // les pages de développement du fournisseur demandent une police à Google (réseau fermé) : hors de l'application
    expect(errors.filter((e) => !e.includes('fonts.googleapis.com') && !e.includes('ERR_NAME_NOT_RESOLVED'))).toEqual([]);
    await page.context().close();
  });

  it('keeps the dark theme and the language chosen in the profile menu for the next session', async () => {
    // un compte à ce test : son thème et sa langue ne suivent aucun autre test
    const account = await demoAccount(server, 'Demo administrator', 'fr');
    const { page, errors } = await openPage(browser);
    await signIn(page, server.url, account.email, account.password);
    const background = () => page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--sapBackgroundColor').trim().toLowerCase()");
    await expect.poll(background, ON_SCREEN).toMatch(/^#f|^#e/);
    await page.locator('ui5-shellbar').locator('ui5-avatar').first().click();
    await page.locator('ui5-menu-item[text="Thème"]').click();
    await page.locator('ui5-menu-item[text="Sombre"]').click();
    await expect.poll(background, ON_SCREEN).not.toMatch(/^#f|^#e/);
    await page.locator('ui5-shellbar').locator('ui5-avatar').first().click();
    await page.locator('ui5-menu-item[text="Langue"]').click();
    await page.locator('ui5-menu-item[text="English"]').click();
    await expect.poll(() => page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').getAttribute('text'), ON_SCREEN).toBe('Customers');
    await screenshot(page, 'home-dark-english');
    // l'interface change de langue aussitôt, l'enregistrement du choix la suit : on attend qu'il soit validé
    const token = await tokenOf(server, account.email);
    const saved = async () => {
      const me = (await api(token, 'GET', '/api/v1/auth/me')).json();
      return { locale: me.user.locale, theme: me.preferences.theme };
    };
    await expect.poll(saved, ON_SCREEN).toEqual({ locale: 'en', theme: 'dark' });
    // retour au français, comme l'utilisateur l'avait
    await page.locator('ui5-shellbar').locator('ui5-avatar').first().click();
    await page.locator('ui5-menu-item[text="Language"]').click();
    await page.locator('ui5-menu-item[text="Français"]').click();
    await expect.poll(() => page.locator('ui5-side-navigation-sub-item[data-menu-id="parties.customers"]').getAttribute('text'), ON_SCREEN).toBe('Clients');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a phone screen: navigation folded away, opened from the menu button', async () => {
    const { page, errors } = await openPage(browser, { width: 390, height: 844 });
    await signIn(page, server.url, 'admin@demo.opsflux.local', DEMO_PASSWORD);
    await page.goto(`${server.url}/app/data/customer`);
    await page.locator(TABLE_ROWS).first().waitFor();
    expect(await page.locator('ui5-side-navigation').isVisible()).toBe(false);
    await screenshot(page, 'phone-customer-list');
    await page.locator('ui5-button[data-action="toggle-navigation"]').click();
    await page.locator('ui5-side-navigation').waitFor();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
