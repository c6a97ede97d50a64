// Connexion OpenID Connect de bout en bout contre un vrai fournisseur (oidc-provider) : redirections, PKCE, state,
// nonce, provisionnement juste-à-temps et rôles issus de la revendication `groups`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';
import { startIdp, type TestIdp } from '../../support/oidc-idp.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';
const REDIRECT = `${PUBLIC_URL}/api/v1/auth/sso/corp/callback`;
let idp: TestIdp;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  idp = await startIdp(REDIRECT, {
    alice: { email: 'Alice@Corp.test', name: 'Alice Martin', groups: ['staff', 'finance'] },
    bob: { email: 'bob@corp.test', name: 'Bob Durand', groups: [] },
  });
  // le fournisseur est sur la boucle locale : permis explicitement (politique des connexions sortantes)
  server = await startServer({ publicUrl: PUBLIC_URL, outboundAllowList: () => [new URL(idp.issuer).host] });
  tenant = await newTenant(server);
  const admin = client(server, tenant.token);
  for (const name of ['Staff', 'Finance']) expect((await admin.post('/api/v1/data/role', { name })).statusCode).toBe(201);
  const res = await admin.post('/api/v1/data/auth_provider', {
    name: 'corp', label: 'Corporate SSO', kind: 'oidc', config: { issuer: idp.issuer, clientId: 'opsflux' },
    secret: 'opsflux-client-secret', roleMapping: { staff: ['Staff'], finance: ['Finance'] },
  });
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await idp?.stop();
});

/** Démarre une connexion : renvoie l'URL du fournisseur et le cookie d'état. */
async function start(returnTo?: string) {
  const res = await server.app.inject({ method: 'GET', url: `/api/v1/auth/sso/corp/start?tenant=${tenant.slug}${returnTo ? `&returnTo=${encodeURIComponent(returnTo)}` : ''}` });
  expect(res.statusCode, res.body).toBe(302);
  const cookie = res.cookies.find((c) => c.name === 'ofx_sso')!;
  expect(cookie.httpOnly).toBe(true);
  return { location: res.headers.location as string, state: cookie.value };
}

const callback = (url: URL, state: string) =>
  server.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, cookies: { ofx_sso: state } });

describe('OpenID Connect login', () => {
  it('signs in through the provider, provisions the user and maps its groups to roles', async () => {
    const { location, state } = await start('/app/#/inbox');
    expect(location.startsWith(idp.issuer)).toBe(true);
    const url = new URL(location);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await idp.signIn(location, 'alice');
    const res = await callback(back, state);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/app/#/inbox');
    const jar = Object.fromEntries(res.cookies.filter((c) => c.name.startsWith('ofx_') && c.value).map((c) => [c.name, c.value]));
    const me = (await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: jar })).json();
    expect(me.user).toMatchObject({ email: 'alice@corp.test', displayName: 'Alice Martin', authProvider: 'corp', externalId: 'alice' });
    expect(me.roles.sort()).toEqual(['Finance', 'Staff']);
    // le même code ne resservira pas
    expect((await callback(back, state)).statusCode).toBe(401);
  });

  it('refuses a foreign state, a tampered nonce, a missing state cookie and a denied consent', async () => {
    const a = await start();
    const b = await start();
    const backB = await idp.signIn(b.location, 'bob');
    const mixed = await callback(backB, a.state);
    expect(mixed.statusCode).toBe(401);
    expect(mixed.json().code).toBe('sso_state_mismatch');

    const pending = server.platform.oidc.open(b.state)!;
    const tampered = server.platform.oidc.seal({ ...pending, nonce: 'another-nonce' });
    const nonce = await callback(backB, tampered);
    expect(nonce.statusCode).toBe(401);
    expect(nonce.json().code, nonce.body).toBe('sso_nonce_mismatch');

    expect((await server.app.inject({ method: 'GET', url: `${backB.pathname}${backB.search}` })).statusCode).toBe(400);
    expect((await callback(backB, 'v1.forged.cookie.value')).statusCode).toBe(400);

    const c = await start();
    const denied = new URL(`${REDIRECT}?error=access_denied&state=${new URL(c.location).searchParams.get('state')}`);
    const refused = await callback(denied, c.state);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('sso_provider_error');
  });

  it('ignores an external returnTo and answers 404 for an unknown provider', async () => {
    const { location, state } = await start('//evil.test/steal');
    const res = await callback(await idp.signIn(location, 'bob'), state);
    expect(res.headers.location).toBe('/app/');
    expect((await server.app.inject({ method: 'GET', url: `/api/v1/auth/sso/nope/start?tenant=${tenant.slug}` })).statusCode).toBe(404);
  });
});
