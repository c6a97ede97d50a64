// Sessions du navigateur : cookies HttpOnly, jeton anti-CSRF exigé pour toute écriture, rafraîchissement et sortie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  server = await startServer();
  tenant = await newTenant(server);
});
afterAll(async () => server?.close());

type Jar = Record<string, string>;
const jarOf = (cookies: Array<{ name: string; value: string }>, jar: Jar = {}) => {
  for (const c of cookies) jar[c.name] = c.value;
  return jar;
};
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, jar: Jar, headers: Record<string, string> = {}, payload?: object) =>
  server.app.inject({ method, url, cookies: jar, headers, ...(payload ? { payload } : {}) });

async function cookieLogin() {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tenant.email, password: tenant.password, tenant: tenant.slug, cookie: true } });
  expect(res.statusCode).toBe(200);
  return { res, body: res.json(), jar: jarOf(res.cookies) };
}

describe('cookie sessions', () => {
  it('sets HttpOnly session cookies and never returns the tokens in the body', async () => {
    const { res, body, jar } = await cookieLogin();
    expect(body).toMatchObject({ tokenType: 'Cookie', user: { email: tenant.email } });
    expect(body).not.toHaveProperty('accessToken');
    expect(body).not.toHaveProperty('refreshToken');
    const byName = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(byName.ofx_access).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(byName.ofx_refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(byName.ofx_csrf?.httpOnly).toBeFalsy();
    expect(jar.ofx_csrf).toBe(body.csrfToken);
    expect((await call('GET', '/api/v1/auth/me', jar)).statusCode).toBe(200);
  });

  it('refuses writes without the right CSRF token', async () => {
    const { body, jar } = await cookieLogin();
    expect((await call('POST', '/api/v1/data/company', jar, {}, { name: 'No token' })).statusCode).toBe(403);
    const wrong = await call('POST', '/api/v1/data/company', jar, { 'x-csrf-token': 'forged' }, { name: 'Wrong token' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('csrf_failed');
    // le jeton d'une autre session ne vaut pas pour celle-ci
    const other = await cookieLogin();
    expect((await call('POST', '/api/v1/data/company', jar, { 'x-csrf-token': other.body.csrfToken }, { name: 'Other session' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/data/company', jar, { 'x-csrf-token': body.csrfToken }, { name: 'With token' })).statusCode).toBe(201);
  });

  it('refreshes by cookie only with the CSRF token, then logs out and clears the cookies', async () => {
    const { body, jar } = await cookieLogin();
    expect((await call('POST', '/api/v1/auth/refresh', { ofx_refresh: jar.ofx_refresh! })).statusCode).toBe(401);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { ofx_refresh: jar.ofx_refresh! }, { 'x-csrf-token': body.csrfToken });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const next = jarOf(refreshed.cookies, { ...jar });
    expect(next.ofx_refresh).not.toBe(jar.ofx_refresh);
    expect((await call('GET', '/api/v1/auth/me', next)).statusCode).toBe(200);
    const out = await call('POST', '/api/v1/auth/logout', next, { 'x-csrf-token': refreshed.json().csrfToken });
    expect(out.statusCode).toBe(204);
    // les trois cookies de session sont effacés, chacun sur le chemin où il a été posé
    expect(out.cookies.map((c) => ({ name: c.name, value: c.value, path: c.path })).sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'ofx_access', value: '', path: '/' },
      { name: 'ofx_csrf', value: '', path: '/' },
      { name: 'ofx_refresh', value: '', path: '/api/v1/auth' },
    ]);
    // la famille est révoquée : l'ancien jeton de rafraîchissement ne sert plus
    expect((await call('POST', '/api/v1/auth/refresh', { ofx_refresh: next.ofx_refresh! }, { 'x-csrf-token': refreshed.json().csrfToken })).statusCode).toBe(401);
  });
});
