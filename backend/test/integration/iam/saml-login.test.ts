// Connexion SAML de bout en bout : fournisseur configuré par l'API, assertion signée par la clé d'un IdP de test,
// POST sur l'ACS, provisionnement, rôles, anti-rejeu partagé en base.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';
import { assertionXml, newKeyPair, responseB64, signAssertion, type KeyPair } from '../../support/saml-idp.js';

const PUBLIC_URL = 'https://erp.example.test';
const IDP = 'https://idp.example.test';
let keys: KeyPair;
let server: TestServer;
let tenant: TestTenant;
let base: string;

beforeAll(async () => {
  keys = newKeyPair();
  server = await startServer({ publicUrl: PUBLIC_URL });
  tenant = await newTenant(server);
  base = `/api/v1/auth/saml/${tenant.slug}/corp`;
  const admin = client(server, tenant.token);
  expect((await admin.post('/api/v1/data/role', { name: 'Finance' })).statusCode).toBe(201);
  const res = await admin.post('/api/v1/data/auth_provider', {
    name: 'corp', label: 'Corporate SAML', kind: 'saml',
    config: { idpEntityId: IDP, idpSsoUrl: `${IDP}/sso`, idpCert: keys.cert }, roleMapping: { finance: ['Finance'] },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => server?.close());

function response(nameId: string, extra: { audience?: string; groups?: string[] } = {}): string {
  const assertion = assertionXml({
    issuer: IDP, audience: extra.audience ?? `${PUBLIC_URL}${base}/metadata`, acsUrl: `${PUBLIC_URL}${base}/acs`, nameId,
    attributes: { displayName: ['Sam Lee'], groups: extra.groups ?? ['finance'] },
  });
  return responseB64(IDP, `${PUBLIC_URL}${base}/acs`, signAssertion(assertion, keys));
}

const post = (samlResponse: string) => server.app.inject({
  method: 'POST', url: `${base}/acs`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
});

describe('SAML login', () => {
  it('accepts a signed assertion posted to the ACS, provisions the user and opens a cookie session', async () => {
    const res = await post(response('sam@corp.test'));
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/app/');
    const jar = Object.fromEntries(res.cookies.filter((c) => c.name.startsWith('ofx_') && c.value).map((c) => [c.name, c.value]));
    const me = (await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: jar })).json();
    expect(me.user).toMatchObject({ email: 'sam@corp.test', displayName: 'Sam Lee', authProvider: 'corp' });
    expect(me.roles).toEqual(['Finance']);
  });

  it('refuses a replayed assertion, another audience and a missing response', async () => {
    const once = response('replay@corp.test');
    expect((await post(once)).statusCode).toBe(302);
    const again = await post(once);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('saml_replayed');
    const audience = await post(response('x@corp.test', { audience: 'https://elsewhere.test' }));
    expect(audience.json().code).toBe('saml_wrong_audience');
    expect((await post('')).statusCode).toBe(400);
    expect((await post('not base64 xml')).statusCode).toBe(401);
  });

  it('publishes SP metadata and redirects to the identity provider', async () => {
    const metadata = await server.app.inject({ method: 'GET', url: `${base}/metadata` });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.body).toContain(`entityID="${PUBLIC_URL}${base}/metadata"`);
    expect(metadata.body).toContain(`${PUBLIC_URL}${base}/acs`);
    const login = await server.app.inject({ method: 'GET', url: `${base}/login` });
    expect(login.statusCode).toBe(302);
    expect(login.headers.location).toMatch(/^https:\/\/idp\.example\.test\/sso\?SAMLRequest=/);
    expect((await server.app.inject({ method: 'GET', url: `/api/v1/auth/saml/${tenant.slug}/nope/metadata` })).statusCode).toBe(404);
  });
});
