// Liaison des identités externes aux comptes, contre un vrai fournisseur OpenID : une identité mène au compte qui lui
// est lié (fournisseur, sujet), jamais au compte qu'une adresse désigne ; liaison par adresse vérifiée seulement si le
// fournisseur et la plateforme le permettent ; liaison et retrait par un administrateur ou par l'utilisateur, audités.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { createUser } from '../../../src/iam/bootstrap.js';
import { designateSuperAdmin } from '../../../src/iam/super-admins.js';
import { memberKit } from '../../support/members.js';
import { startIdp, type IdpAccount, type TestIdp } from '../../support/oidc-idp.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const PUBLIC_URL = 'http://127.0.0.1:3998';
const REDIRECT = `${PUBLIC_URL}/api/v1/auth/sso/corp/callback`;
const PASSWORD = 'long enough password';
let idp: TestIdp;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let providerId: string;
let providerConfig: Record<string, unknown>;

const accounts: Record<string, IdpAccount> = {
  // identités qui portent l'adresse d'un compte existant, vérifiée ou non par le fournisseur
  mallory: { email: 'victim@corp.test', name: 'Mallory', groups: [], emailVerified: false },
  'mallory-verified': { email: 'victim@corp.test', name: 'Mallory', groups: [], emailVerified: true },
  'root-lookalike': { email: 'root@corp.test', name: 'Root', groups: [], emailVerified: true },
  alice: { email: 'alice@corp.test', name: 'Alice', groups: [] },
  'carol-idp': { email: 'carol.idp@corp.test', name: 'Carol', groups: [] },
  'dave-idp': { email: 'dave.idp@corp.test', name: 'Dave', groups: [] },
  'erin-idp': { email: 'erin.idp@corp.test', name: 'Erin', groups: [] },
};

beforeAll(async () => {
  idp = await startIdp(REDIRECT, accounts);
  server = await startServer({ publicUrl: PUBLIC_URL, outboundAllowList: () => [new URL(idp.issuer).host] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  providerConfig = { issuer: idp.issuer, clientId: 'opsflux' };
  const res = await admin.post('/api/v1/data/auth_provider', { name: 'corp', label: 'Corporate SSO', kind: 'oidc', config: providerConfig, secret: 'opsflux-client-secret' });
  expect(res.statusCode, res.body).toBe(201);
  providerId = res.json().id;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await idp?.stop();
});

/** Connexion complète par le fournisseur sous le compte `login` de l'IdP ; `session` : cookies d'une session ouverte. */
async function ssoSignIn(login: string, options: { locale?: string; link?: boolean; session?: Record<string, string> } = {}) {
  const start = await server.app.inject({
    method: 'GET', url: `/api/v1/auth/sso/corp/start?tenant=${tenant.slug}${options.link ? '&link=true' : ''}`, cookies: options.session ?? {},
  });
  expect(start.statusCode, start.body).toBe(302);
  const state = start.cookies.find((c) => c.name === 'ofx_sso')!.value;
  const back = await idp.signIn(start.headers.location as string, login);
  return server.app.inject({
    method: 'GET', url: `${back.pathname}${back.search}`, cookies: { ...options.session, ofx_sso: state },
    headers: options.locale ? { 'accept-language': options.locale } : {},
  });
}

const sessionOf = (res: { cookies: Array<{ name: string; value: string }> }) =>
  Object.fromEntries(res.cookies.filter((c) => c.name.startsWith('ofx_') && c.value).map((c) => [c.name, c.value]));

/** Compte ouvert par une connexion réussie (cookies de session). */
async function signedInAs(res: Awaited<ReturnType<typeof ssoSignIn>>): Promise<{ id: string; email: string }> {
  expect(res.statusCode, res.body).toBe(302);
  const me = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: sessionOf(res) });
  expect(me.statusCode, me.body).toBe(200);
  return me.json().user;
}

async function user(name: string): Promise<string> {
  return (await createUser(server.platform, { email: `${name}@corp.test`, password: PASSWORD, tenant: tenant.slug, superAdmin: false })).id;
}

async function actions(userId: string): Promise<Array<{ action: string; changes: Record<string, unknown> }>> {
  return (await admin.get(`/api/v1/data/user/${userId}/history?limit=100`)).json().data;
}

async function setProvider(config: Record<string, unknown>) {
  const res = await admin.patch(`/api/v1/data/auth_provider/${providerId}`, { config: { ...providerConfig, ...config } });
  expect(res.statusCode, res.body).toBe(200);
}

describe('external identities are linked to accounts by (provider, subject)', () => {
  it('never opens an existing account for an unlinked identity that carries its address, verified or not', async () => {
    const victim = await user('victim');
    for (const login of ['mallory', 'mallory-verified']) {
      const res = await ssoSignIn(login);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ code: 'identity_not_linked', errors: [{ field: 'email', code: 'identity_not_linked' }] });
      expect(res.json().detail).toContain('ask an administrator');
      expect(sessionOf(res)).toEqual({});
    }
    const french = await ssoSignIn('mallory', { locale: 'fr' });
    expect(french.json().detail).toContain('demandez à un administrateur');
    expect((await admin.get(`/api/v1/users/${victim}/identities`)).json().data).toEqual([]);
  });

  it('links by verified address only when the provider option and the platform setting both allow it, never to a super-administrator', async () => {
    const victim = await user('linked-victim');
    accounts['mallory-verified']!.email = 'linked-victim@corp.test';
    accounts.mallory!.email = 'linked-victim@corp.test';
    await setProvider({ linkByVerifiedEmail: true });
    try {
      // l'option du fournisseur seule ne suffit pas
      expect((await ssoSignIn('mallory-verified')).json().code).toBe('identity_not_linked');
      expect((await admin.put('/api/v1/settings/security.sso.linkByVerifiedEmail', { value: true })).statusCode).toBe(200);
      try {
        expect((await ssoSignIn('mallory')).json().code).toBe('identity_not_linked');
        accounts['root-lookalike']!.email = tenant.email;
        expect((await ssoSignIn('root-lookalike')).json().code).toBe('identity_not_linked');
        expect((await signedInAs(await ssoSignIn('mallory-verified'))).id).toBe(victim);
      } finally {
        expect((await admin.delete('/api/v1/settings/security.sso.linkByVerifiedEmail?level=platform')).statusCode).toBe(204);
      }
    } finally {
      await setProvider({});
      accounts['mallory-verified']!.email = 'victim@corp.test';
      accounts.mallory!.email = 'victim@corp.test';
    }
    const linked = (await actions(victim)).filter((a) => a.action === 'auth.identity_linked');
    expect(linked).toHaveLength(1);
    expect(linked[0]!.changes).toMatchObject({ provider: 'corp', subject: 'mallory-verified', method: 'verified_email' });
  });

  it('keeps opening the linked account after the address changes in OpsFlux or at the provider', async () => {
    const first = await signedInAs(await ssoSignIn('alice'));
    expect(first.email).toBe('alice@corp.test');
    expect((await admin.patch(`/api/v1/data/user/${first.id}`, { email: 'alice.renamed@corp.test' })).statusCode).toBe(200);
    accounts.alice!.email = 'alice.elsewhere@corp.test';
    try {
      const again = await signedInAs(await ssoSignIn('alice'));
      expect(again).toMatchObject({ id: first.id, email: 'alice.renamed@corp.test' });
    } finally {
      accounts.alice!.email = 'alice@corp.test';
    }
    const links = (await admin.get(`/api/v1/users/${first.id}/identities`)).json().data;
    expect(links).toEqual([expect.objectContaining({ provider: 'corp', subject: 'alice', method: 'provisioned', email: 'alice@corp.test' })]);
    expect(links[0].lastLoginAt).not.toBeNull();
  });

  it('lets an administrator link and unlink an identity, audited, and refuses links to a super-administrator', async () => {
    const carol = await user('carol');
    const linked = await admin.post(`/api/v1/users/${carol}/identities`, { provider: 'corp', subject: 'carol-idp' });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json()).toMatchObject({ provider: 'corp', kind: 'oidc', subject: 'carol-idp', method: 'administrator', createdBy: tenant.userId });
    expect((await signedInAs(await ssoSignIn('carol-idp'))).id).toBe(carol);

    const other = await user('carol-twin');
    const taken = await admin.post(`/api/v1/users/${other}/identities`, { provider: 'corp', subject: 'carol-idp' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('identity_taken');
    expect((await admin.post(`/api/v1/users/${carol}/identities`, { provider: 'corp', subject: 'another' })).json().code).toBe('identity_already_linked');
    expect((await admin.post(`/api/v1/users/${carol}/identities`, { provider: 'nope', subject: 'x' })).statusCode).toBe(400);
    const root = await admin.post(`/api/v1/users/${tenant.userId}/identities`, { provider: 'corp', subject: 'root-idp' });
    expect(root.statusCode).toBe(403);
    expect(root.json().code).toBe('sso_super_admin');

    expect((await admin.delete(`/api/v1/users/${carol}/identities/${linked.json().id}`)).statusCode).toBe(204);
    // sans liaison, l'identité crée son propre compte (son adresse n'est celle de personne)
    const fresh = await signedInAs(await ssoSignIn('carol-idp'));
    expect(fresh.id).not.toBe(carol);
    expect(fresh.email).toBe('carol.idp@corp.test');
    expect((await actions(carol)).map((a) => a.action)).toEqual(expect.arrayContaining(['auth.identity_linked', 'auth.identity_unlinked']));
  });

  it('lets users see and link their own identities, and only administrators those of others', async () => {
    const { member } = memberKit(server, tenant, admin);
    const dave = await member('dave');
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `dave@${tenant.slug}.test`, password: PASSWORD, tenant: tenant.slug, cookie: true } });
    expect(login.statusCode).toBe(200);
    const done = await ssoSignIn('dave-idp', { link: true, session: sessionOf(login) });
    expect(done.statusCode, done.body).toBe(302);
    const mine = await server.app.inject({ method: 'GET', url: `/api/v1/users/${dave.id}/identities`, cookies: sessionOf(login) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().data).toEqual([expect.objectContaining({ subject: 'dave-idp', method: 'self' })]);
    // un jeton d'accès personnel ne gère pas les identités liées (une session le fait)
    const pat = (await dave.api.post('/api/v1/auth/tokens', { name: 'script' })).json().token as string;
    const byToken = await client(server, pat).get(`/api/v1/users/${dave.id}/identities`);
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json().code).toBe('session_required');
    expect((await signedInAs(await ssoSignIn('dave-idp'))).id).toBe(dave.id);
    const others = await server.app.inject({ method: 'GET', url: `/api/v1/users/${tenant.userId}/identities`, cookies: sessionOf(login) });
    expect(others.statusCode).toBe(403);
  });

  it('never opens a session of a super-administrator through a provider', async () => {
    const erin = await user('erin');
    expect((await admin.post(`/api/v1/users/${erin}/identities`, { provider: 'corp', subject: 'erin-idp' })).statusCode).toBe(201);
    await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) => designateSuperAdmin(trx, tenant.tenantId, erin));
    const res = await ssoSignIn('erin-idp');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('sso_super_admin');
    expect(sessionOf(res)).toEqual({});
  });
});
