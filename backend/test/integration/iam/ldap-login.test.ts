// Connexion LDAP de bout en bout : fournisseur configuré par l'API, vrai slapd, provisionnement juste-à-temps,
// rôles tenus à jour par les groupes de l'annuaire, synchronisation par l'administrateur.
import { Attribute, Change, Client as LdapClient } from 'ldapts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { directoryLdif, LDAP_ADMIN, LDAP_SUFFIX, startSlapd, type Slapd } from '../../support/slapd.js';

let slapd: Slapd;
let server: TestServer;
let tenant: TestTenant;
let admin: Client;

beforeAll(async () => {
  slapd = await startSlapd(directoryLdif());
  // l'annuaire est sur la boucle locale : permis explicitement (politique des connexions sortantes)
  server = await startServer({ outboundAllowList: () => [new URL(slapd.url).host] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  for (const name of ['Accountant', 'Directory admin', 'Manual']) expect((await admin.post('/api/v1/data/role', { name })).statusCode).toBe(201);
  const provider = await admin.post('/api/v1/data/auth_provider', {
    name: 'corp-ldap', label: 'Corporate directory', kind: 'ldap',
    // adresses de l'annuaire tenues pour vérifiées (option du fournisseur ; un annuaire ne l'atteste pas de lui-même)
    config: { url: slapd.url, bindDn: LDAP_ADMIN.dn, baseDn: `ou=people,${LDAP_SUFFIX}`, userFilter: '(uid={username})', groupBaseDn: `ou=groups,${LDAP_SUFFIX}`, emailVerified: true },
    secret: LDAP_ADMIN.password,
    roleMapping: { accounting: ['Accountant'], admins: ['Directory admin'] },
  });
  expect(provider.statusCode, provider.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await slapd?.stop();
});

const ldapLogin = (username: string, password: string) =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/ldap/corp-ldap', payload: { username, password, tenant: tenant.slug }, headers: { 'x-forwarded-for': '10.6.0.1' } });

async function me(username: string, password: string) {
  const res = await ldapLogin(username, password);
  expect(res.statusCode, res.body).toBe(200);
  return (await client(server, res.json().accessToken).get('/api/v1/auth/me')).json();
}

describe('LDAP login', () => {
  it('provisions the user on first login with the roles of its directory groups', async () => {
    const profile = await me('alice', 'alice-password');
    expect(profile.user).toMatchObject({ email: 'alice@corp.test', displayName: 'Alice Martin', authProvider: 'corp-ldap', externalId: `uid=alice,ou=people,${LDAP_SUFFIX}` });
    expect(profile.user.emailVerifiedAt).not.toBeNull();
    expect(profile.roles.sort()).toEqual(['Accountant', 'Directory admin']);
    // deuxième connexion : même compte
    expect((await me('alice', 'alice-password')).user.id).toBe(profile.user.id);
    const users = (await admin.get(`/api/v1/data/user?${qs({ filter: { email: 'alice@corp.test' }, count: 'true' })}`)).json();
    expect(users.meta.count).toBe(1);
  });

  it('refuses a wrong password, an injected username and an unknown provider with the same answer', async () => {
    for (const [u, p] of [['alice', 'wrong'], ['*', 'alice-password'], ['alice)(uid=*', 'alice-password'], ['nobody', 'x']]) {
      const res = await ldapLogin(u!, p!);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_credentials');
    }
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/auth/ldap/nope', payload: { username: 'alice', password: 'alice-password', tenant: tenant.slug } })).statusCode).toBe(404);
  });

  it('follows group changes in the directory and keeps roles given by hand', async () => {
    const first = await me('bob', 'bob-password');
    expect(first.roles).toEqual(['Accountant']);
    const manual = (await admin.get(`/api/v1/data/role?${qs({ filter: { name: 'Manual' } })}`)).json().data[0].id;
    const accountant = (await admin.get(`/api/v1/data/role?${qs({ filter: { name: 'Accountant' } })}`)).json().data[0].id;
    expect((await admin.patch(`/api/v1/data/user/${first.user.id}`, { roles: [accountant, manual] })).statusCode).toBe(200);
    // bob quitte le groupe accounting dans l'annuaire
    const directory = new LdapClient({ url: slapd.url });
    await directory.bind(LDAP_ADMIN.dn, LDAP_ADMIN.password);
    await directory.modify(`cn=accounting,ou=groups,${LDAP_SUFFIX}`, new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [`uid=bob,ou=people,${LDAP_SUFFIX}`] }) }));
    await directory.unbind();
    expect((await me('bob', 'bob-password')).roles).toEqual(['Manual']);
  });

  it('lets an administrator synchronise the directory', async () => {
    const res = await admin.post('/api/v1/auth/ldap/corp-ldap/sync', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ synced: 3, skipped: [] });
    const carol = (await admin.get(`/api/v1/data/user?${qs({ filter: { email: 'carol@corp.test' } })}`)).json().data;
    expect(carol).toHaveLength(1);
    expect(carol[0].authProvider).toBe('corp-ldap');
  });

  it('synchronises periodically, one node per interval, and keeps the result on the provider', async () => {
    const provider = (await admin.get(`/api/v1/data/auth_provider?${qs({ filter: { name: 'corp-ldap' } })}`)).json().data[0];
    expect((await admin.patch(`/api/v1/data/auth_provider/${provider.id}`, { config: { ...provider.config, syncIntervalMinutes: 0.5 } })).statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/data/auth_provider/${provider.id}`, { lastSyncAt: null })).statusCode).toBe(400); // lecture seule
    const patched = await admin.patch(`/api/v1/data/auth_provider/${provider.id}`, { config: { ...provider.config, syncIntervalMinutes: 60 } });
    expect(patched.statusCode, patched.body).toBe(200);
    const addPerson = async (uid: string) => {
      const directory = new LdapClient({ url: slapd.url });
      await directory.bind(LDAP_ADMIN.dn, LDAP_ADMIN.password);
      await directory.add(`uid=${uid},ou=people,${LDAP_SUFFIX}`, { objectClass: 'inetOrgPerson', uid, cn: `${uid} Test`, sn: 'Test', mail: `${uid}@corp.test`, userPassword: `${uid}-password` });
      await directory.unbind();
    };
    const exists = async (uid: string) => (await admin.get(`/api/v1/data/user?${qs({ filter: { email: `${uid}@corp.test` }, count: 'true' })}`)).json().meta.count;
    const runPass = async () => {
      const sync = server.platform.directorySync;
      sync.start(3_600_000); // une passe tout de suite, puis rien pendant le test
      await sync.idle();
      await sync.stop();
    };
    // la synchronisation manuelle du test précédent compte : on la fait remonter à deux heures
    await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) =>
      sql`UPDATE auth_provider SET last_sync_at = now() - interval '2 hours' WHERE id = ${provider.id}`.execute(trx));
    await addPerson('dave');
    await runPass();
    expect(await exists('dave')).toBe(1);
    const after = (await admin.get(`/api/v1/data/auth_provider/${provider.id}`)).json();
    expect(after.lastSyncAt).not.toBeNull();
    expect(after.lastSyncResult).toMatchObject({ ok: true, synced: 4, skipped: [] });
    // l'échéance est prise : une autre passe dans l'intervalle (de ce nœud ou d'un autre) ne refait rien
    await addPerson('erin');
    await runPass();
    expect(await exists('erin')).toBe(0);
  });
});
