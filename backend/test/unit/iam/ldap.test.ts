// Connecteur LDAP contre un vrai slapd local : liaison, groupes, erreurs, injection dans le nom d'utilisateur.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeFilterValue, LdapConnector, LdapError, type LdapConfig } from '../../../src/iam/sso/ldap.js';
import { OutboundPolicy } from '../../../src/services/outbound/policy.js';
import { permittedAddress } from '../../../src/services/outbound/resolve.js';
import { directoryLdif, LDAP_ADMIN, LDAP_SUFFIX, startSlapd, type Slapd } from '../../support/slapd.js';

let slapd: Slapd;
let config: LdapConfig;
/** politique des connexions sortantes : l'annuaire local est permis, rien d'autre de privé */
const policy = new OutboundPolicy('ldap', { allowPrivate: false, allowList: ['127.0.0.1'] });
const connector = (settings: LdapConfig) => new LdapConnector(settings, async (host, port) => ({ address: await permittedAddress(policy, host, port) }));

beforeAll(async () => {
  slapd = await startSlapd(directoryLdif());
  config = {
    url: slapd.url, bindDn: LDAP_ADMIN.dn, bindPassword: LDAP_ADMIN.password, baseDn: `ou=people,${LDAP_SUFFIX}`,
    userFilter: '(uid={username})', groupBaseDn: `ou=groups,${LDAP_SUFFIX}`,
  };
}, 30_000);
afterAll(async () => slapd?.stop());

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(LdapError);
  return (error as LdapError).code;
};

describe('LDAP connector', () => {
  it('authenticates a user and returns mail, name and groups', async () => {
    expect(await connector(config).authenticate('alice', 'alice-password')).toEqual({
      dn: `uid=alice,ou=people,${LDAP_SUFFIX}`, username: 'alice', email: 'alice@corp.test', name: 'Alice Martin', groups: ['accounting', 'admins'],
    });
  });

  it('refuses a wrong password, an unknown user and an empty password', async () => {
    const ldap = connector(config);
    expect(await failure(ldap.authenticate('alice', 'wrong'))).toBe('invalid_credentials');
    expect(await failure(ldap.authenticate('nobody', 'whatever'))).toBe('not_found');
    expect(await failure(ldap.authenticate('alice', ''))).toBe('invalid_credentials');
  });

  it('never lets an injected username match someone else', async () => {
    const ldap = connector(config);
    for (const username of ['*', '*)(uid=*', 'alice)(|(uid=*', 'al*', '\\', 'alice\0', '*)(objectClass=*']) {
      expect(await failure(ldap.authenticate(username, 'alice-password'))).toBe('not_found');
    }
  });

  it('lists the directory users for a periodic sync', async () => {
    const users = await connector(config).listUsers();
    expect(users.map((u) => u.username).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(users.find((u) => u.username === 'carol')?.groups).toEqual([]);
  });

  it('reports an unreachable directory or a wrong service password as unavailable', async () => {
    expect(await failure(connector({ ...config, url: 'ldap://127.0.0.1:1', timeoutMs: 500 }).authenticate('alice', 'alice-password'))).toBe('unavailable');
    expect(await failure(connector({ ...config, bindPassword: 'wrong' }).authenticate('alice', 'alice-password'))).toBe('unavailable');
  });

  it('never connects to an address the outbound policy refuses', async () => {
    const error = await connector({ ...config, url: 'ldap://10.9.8.7:389' }).authenticate('alice', 'alice-password').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LdapError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('Refused: 10.9.8.7 is a loopback, private or shared address') });
  });

  it('escapes filter values as RFC 4515 says', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0')).toBe('a\\2ab\\28c\\29d\\5ce\\00');
    expect(escapeFilterValue('plain.name-1')).toBe('plain.name-1');
  });
});
