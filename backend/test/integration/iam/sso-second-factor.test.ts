// Second facteur après une connexion par fournisseur externe (vrai fournisseur OpenID, assertions SAML signées, vrai
// slapd) : un compte qui a activé TOTP passe par la même étape qu'au login par mot de passe, sauf si le fournisseur
// atteste la double authentification (OIDC `amr` / `acr`, SAML `AuthnContextClassRef`) et que le tenant lui fait confiance.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type IdpAccount, type TestIdp } from '../../support/oidc-idp.js';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';
import { assertionXml, newKeyPair, responseB64, signAssertion, type KeyPair } from '../../support/saml-idp.js';
import { directoryLdif, LDAP_ADMIN, LDAP_SUFFIX, startSlapd, type Slapd } from '../../support/slapd.js';

const PUBLIC_URL = 'http://127.0.0.1:3997';
const REDIRECT = `${PUBLIC_URL}/api/v1/auth/sso/corp/callback`;
const SAML_IDP = 'https://idp.example.test';
const PASSWORD_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password';
const TWO_FACTOR_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract';
const MFA_ACR = 'urn:corp:loa:mfa';
const STEP_PAGE = '/app/login?mfa=sso';

const accounts: Record<string, IdpAccount> = {
  plain: { email: 'plain@corp.test', name: 'Plain', groups: [] },
  'with-amr': { email: 'amr@corp.test', name: 'Amr', groups: [], amr: ['pwd', 'otp'] },
  'with-acr': { email: 'acr@corp.test', name: 'Acr', groups: [], acr: MFA_ACR },
};

let idp: TestIdp;
let slapd: Slapd;
let keys: KeyPair;
let server: TestServer;
let tenant: TestTenant;
let samlBase: string;
const providers: Record<string, { id: string; config: Record<string, unknown> }> = {};

beforeAll(async () => {
  idp = await startIdp(REDIRECT, accounts);
  slapd = await startSlapd(directoryLdif());
  keys = newKeyPair();
  server = await startServer({ publicUrl: PUBLIC_URL, outboundAllowList: () => [new URL(idp.issuer).host, new URL(slapd.url).host] });
  tenant = await newTenant(server);
  samlBase = `/api/v1/auth/saml/${tenant.slug}/corp-saml`;
  const definitions = [
    { name: 'corp', kind: 'oidc', config: { issuer: idp.issuer, clientId: 'opsflux' }, secret: 'opsflux-client-secret' },
    { name: 'corp-saml', kind: 'saml', config: { idpEntityId: SAML_IDP, idpSsoUrl: `${SAML_IDP}/sso`, idpCert: keys.cert } },
    {
      name: 'corp-ldap', kind: 'ldap', secret: LDAP_ADMIN.password,
      config: { url: slapd.url, bindDn: LDAP_ADMIN.dn, baseDn: `ou=people,${LDAP_SUFFIX}`, userFilter: '(uid={username})' },
    },
  ];
  for (const { name, ...definition } of definitions) {
    const res = await client(server, tenant.token).post('/api/v1/data/auth_provider', { name, label: name, ...definition });
    expect(res.statusCode, res.body).toBe(201);
    providers[name] = { id: res.json().id, config: definition.config };
  }
}, 60_000);
afterAll(async () => {
  await server?.close();
  await idp?.stop();
  await slapd?.stop();
});

/** Code TOTP du pas de temps décalé de `steps` périodes de 30 s. */
const code = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

type Reply = { statusCode: number; headers: Record<string, unknown>; cookies: Array<{ name: string; value: string }>; body: string };
const cookiesOf = (res: Reply) => Object.fromEntries(res.cookies.filter((c) => c.name.startsWith('ofx_') && c.value).map((c) => [c.name, c.value]));

/** Session par cookies ouverte d'emblée (redirection vers l'application, cookie d'accès posé). */
function expectSession(res: Reply, returnTo = '/app/'): Record<string, string> {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe(returnTo);
  const jar = cookiesOf(res);
  expect(jar.ofx_access).toBeTruthy();
  return jar;
}

/** Étape du second facteur : aucune session, un cookie d'étape, la page du code. */
function expectSecondFactorStep(res: Reply): string {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe(STEP_PAGE);
  const jar = cookiesOf(res);
  expect(jar.ofx_access).toBeUndefined();
  expect(jar.ofx_sso_mfa).toBeTruthy();
  return jar.ofx_sso_mfa!;
}

/** Active TOTP depuis une session par cookies (jeton anti-CSRF compris) ; renvoie le secret. */
async function enrolWithCookies(jar: Record<string, string>): Promise<string> {
  const call = (url: string, payload: object = {}) => server.app.inject({ method: 'POST', url, cookies: jar, headers: { 'x-csrf-token': jar.ofx_csrf! }, payload });
  const started = await call('/api/v1/auth/mfa/totp');
  expect(started.statusCode, started.body).toBe(201);
  const { secret } = started.json();
  expect((await call('/api/v1/auth/mfa/totp/confirm', { code: await code(secret) })).statusCode).toBe(200);
  return secret;
}

const postCode = (step: string | undefined, totp: string) =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/sso/mfa', cookies: step ? { ofx_sso_mfa: step } : {}, payload: { totp } });

async function oidcSignIn(login: string): Promise<Reply> {
  const start = await server.app.inject({ method: 'GET', url: `/api/v1/auth/sso/corp/start?tenant=${tenant.slug}` });
  expect(start.statusCode, start.body).toBe(302);
  const back = await idp.signIn(start.headers.location as string, login);
  return server.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, cookies: { ofx_sso: start.cookies.find((c) => c.name === 'ofx_sso')!.value } });
}

function samlSignIn(nameId: string, authnContext = PASSWORD_CONTEXT): Promise<Reply> {
  const assertion = assertionXml({ issuer: SAML_IDP, audience: `${PUBLIC_URL}${samlBase}/metadata`, acsUrl: `${PUBLIC_URL}${samlBase}/acs`, nameId, authnContext });
  return server.app.inject({
    method: 'POST', url: `${samlBase}/acs`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ SAMLResponse: responseB64(SAML_IDP, `${PUBLIC_URL}${samlBase}/acs`, signAssertion(assertion, keys)), RelayState: '' }).toString(),
  });
}

async function trust(provider: string, config: Record<string, unknown>): Promise<void> {
  const res = await client(server, tenant.token).patch(`/api/v1/data/auth_provider/${providers[provider]!.id}`, { config: { ...providers[provider]!.config, ...config } });
  expect(res.statusCode, res.body).toBe(200);
}

async function lastLogin(email: string): Promise<Record<string, unknown>> {
  const admin = client(server, tenant.token);
  const id = (await admin.get(`/api/v1/data/user?filter=${encodeURIComponent(JSON.stringify({ email }))}`)).json().data[0].id;
  const history = (await admin.get(`/api/v1/data/user/${id}/history?limit=100`)).json().data as Array<{ action: string; changes: Record<string, unknown> }>;
  return history.find((h) => h.action === 'auth.login')!.changes;
}

describe('second factor after an external sign-in', () => {
  it('ends an OpenID sign-in of a TOTP user in the same TOTP step as a password login', async () => {
    const secret = await enrolWithCookies(expectSession(await oidcSignIn('plain')));
    const step = expectSecondFactorStep(await oidcSignIn('plain'));
    expect((await postCode(undefined, await code(secret, 1))).statusCode).toBe(400);
    const wrong = await postCode(step, (await code(secret, 1)) === '123456' ? '654321' : '123456');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_mfa');
    const done = await postCode(step, await code(secret, 1));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ tokenType: 'Cookie', returnTo: '/app/' });
    const me = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: cookiesOf(done as Reply) });
    expect(me.json().user.email).toBe('plain@corp.test');
    expect(await lastLogin('plain@corp.test')).toMatchObject({ provider: 'corp', secondFactor: 'totp' });
  });

  it('skips the TOTP step only when the OpenID provider asserts two-factor authentication (amr, or a listed acr) and is trusted', async () => {
    await enrolWithCookies(expectSession(await oidcSignIn('with-amr')));
    // amr mfa/otp, mais le tenant ne fait pas confiance au fournisseur
    expectSecondFactorStep(await oidcSignIn('with-amr'));
    await trust('corp', { trustMfa: true, mfaAcrValues: [MFA_ACR] });
    try {
      expectSession(await oidcSignIn('with-amr'));
      expect(await lastLogin('amr@corp.test')).toMatchObject({ provider: 'corp', secondFactor: 'provider' });
      await enrolWithCookies(expectSession(await oidcSignIn('with-acr')));
      expectSession(await oidcSignIn('with-acr'));
      // rien d'attesté : l'étape reste
      expectSecondFactorStep(await oidcSignIn('plain'));
    } finally {
      await trust('corp', {});
    }
    expectSecondFactorStep(await oidcSignIn('with-acr'));
  });

  it('applies the same rule to SAML, with the AuthnContextClassRef of the signed assertion', async () => {
    const secret = await enrolWithCookies(expectSession(await samlSignIn('sam@corp.test')));
    expectSecondFactorStep(await samlSignIn('sam@corp.test'));
    expectSecondFactorStep(await samlSignIn('sam@corp.test', TWO_FACTOR_CONTEXT));
    await trust('corp-saml', { trustMfa: true, mfaAuthnContexts: [TWO_FACTOR_CONTEXT] });
    try {
      expectSession(await samlSignIn('sam@corp.test', TWO_FACTOR_CONTEXT));
      const step = expectSecondFactorStep(await samlSignIn('sam@corp.test'));
      expect((await postCode(step, await code(secret, 1))).statusCode).toBe(200);
    } finally {
      await trust('corp-saml', {});
    }
  });

  it('asks a directory user with TOTP for the code with the password, as a password login does', async () => {
    const ldapLogin = (totp?: string) => server.app.inject({
      method: 'POST', url: '/api/v1/auth/ldap/corp-ldap', headers: { 'x-forwarded-for': '10.11.0.1' },
      payload: { username: 'alice', password: 'alice-password', tenant: tenant.slug, ...(totp === undefined ? {} : { totp }) },
    });
    const first = await ldapLogin();
    expect(first.statusCode, first.body).toBe(200);
    const api = client(server, first.json().accessToken);
    const { secret } = (await api.post('/api/v1/auth/mfa/totp')).json();
    expect((await api.post('/api/v1/auth/mfa/totp/confirm', { code: await code(secret) })).statusCode).toBe(200);
    const missing = await ldapLogin();
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('mfa_required');
    const wrong = await ldapLogin((await code(secret, 1)) === '123456' ? '654321' : '123456');
    expect(wrong.json().code).toBe('invalid_mfa');
    expect((await ldapLogin(await code(secret, 1))).statusCode).toBe(200);
    // un annuaire n'atteste pas de second facteur : l'option est refusée
    const refused = await client(server, tenant.token).patch(`/api/v1/data/auth_provider/${providers['corp-ldap']!.id}`, { config: { ...providers['corp-ldap']!.config, trustMfa: true } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('config.trustMfa');
  });
});
