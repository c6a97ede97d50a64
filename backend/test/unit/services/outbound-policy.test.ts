// Politique des connexions sortantes, parties pures : classes d'adresses, entrées de la liste d'autorisation, décision
// pour une destination (nom, port, adresse), messages de refus, et résolution contrôlée (adresse permise choisie).
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../../src/services/outbound/addresses.js';
import { parseAllowEntry } from '../../../src/services/outbound/allow-list.js';
import { httpTarget } from '../../../src/services/outbound/http.js';
import { describeTarget, OutboundPolicy, OutboundRefusedError } from '../../../src/services/outbound/policy.js';
import { permittedAddress, savedTargetRefusal } from '../../../src/services/outbound/resolve.js';

const policy = (allowList: string[] = [], allowPrivate = false) => new OutboundPolicy('s3', { allowPrivate, allowList });

describe('address classes', () => {
  it('tells public, private and forbidden addresses apart', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '[2a00:1450::1]']) expect(classifyAddress(address), address).toBe('public');
    for (const address of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '100.64.0.1', '::1', '[::1]', 'fc00::1', 'fd12::1']) {
      expect(classifyAddress(address), address).toBe('private');
    }
    for (const address of ['169.254.169.254', '169.254.0.1', '0.0.0.0', '100.100.100.200', 'fd00:ec2::254', '224.0.0.1', '255.255.255.255', '192.0.2.1',
      '198.18.0.1', '::', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::', 'localhost', 'not-an-ip']) {
      expect(classifyAddress(address), address).toBe('forbidden');
    }
  });
});

describe('allow-list entries', () => {
  it('reads host names, addresses and ranges, each with an optional port', () => {
    for (const text of ['minio.internal', 'MINIO.internal:9000', 'smtp-relay', '10.0.0.5', '10.0.0.5:389', '[fd00::5]', '[fd00::5]:636', 'fd00::5', '10.20.0.0/16', 'fd00::/8', ' 127.0.0.1:8080 ']) {
      expect(parseAllowEntry(text), text).toBeDefined();
    }
    for (const text of ['', ' ', 'http://minio.internal', 'minio.internal:0', 'minio.internal:70000', 'minio.internal:port', '10.0.0.0/33', 'fd00::/129', '10.0.0.5/8:22',
      '[minio.internal]', '[fd00::5', 'a b', 'host/path', '*.internal', '-bad.internal', 'fd00::5:636:x']) {
      expect(parseAllowEntry(text), text).toBeUndefined();
    }
  });
});

describe('outbound policy', () => {
  it('refuses private addresses unless an allow-list entry matches the name, the address or the range, and the port', () => {
    expect(policy().refusal({ host: 'example.com', port: 443, address: '93.184.215.14' })).toBeUndefined();
    expect(policy().refusal({ host: '127.0.0.1', port: 9000, address: '127.0.0.1' })).toEqual({ host: '127.0.0.1', address: '127.0.0.1', reason: 'private' });
    const listed = policy(['127.0.0.1:9000', 'minio.internal', '10.20.0.0/16', 'ldap.corp:636']);
    expect(listed.refusal({ host: '127.0.0.1', port: 9000, address: '127.0.0.1' })).toBeUndefined();
    expect(listed.refusal({ host: '127.0.0.1', port: 9001, address: '127.0.0.1' })?.reason).toBe('private');
    // un nom permis ouvre les adresses privées qu'il résout ; un autre nom vers la même adresse reste refusé
    expect(listed.refusal({ host: 'MINIO.internal.', port: 80, address: '10.1.1.1' })).toBeUndefined();
    expect(listed.refusal({ host: 'evil.example', port: 80, address: '10.1.1.1' })?.reason).toBe('private');
    expect(listed.refusal({ host: 'anything', port: 25, address: '10.20.3.4' })).toBeUndefined();
    expect(listed.refusal({ host: 'anything', port: 25, address: '10.21.3.4' })?.reason).toBe('private');
    expect(listed.refusal({ host: 'ldap.corp', port: 389, address: '10.9.9.9' })?.reason).toBe('private');
    // port inconnu (hôte SMTP enregistré sans son port) : l'entrée avec port s'applique
    expect(listed.refusal({ host: 'ldap.corp', address: '10.9.9.9' })).toBeUndefined();
  });

  it('never opens link-local, metadata or reserved addresses, not even through the allow-list or the webhooks setting', () => {
    const open = policy(['169.254.169.254', '169.254.0.0/16', '100.64.0.0/10', 'metadata.internal', '0.0.0.0/0'], true);
    for (const address of ['169.254.169.254', '100.100.100.200', '0.0.0.0', '::ffff:10.0.0.1', 'fe80::1']) {
      expect(open.refusal({ host: 'metadata.internal', port: 80, address }), address).toMatchObject({ reason: 'forbidden' });
    }
    expect(open.refusal({ host: 'x', port: 80, address: '10.0.0.1' })).toBeUndefined();
  });

  it('explains a refusal with the name, the address and the setting that opens private addresses', () => {
    expect(describeTarget({ host: 'LocalHost.', address: '127.0.0.1' })).toBe('localhost (127.0.0.1)');
    expect(describeTarget({ host: '[::1]', address: '::1' })).toBe('::1');
    expect(new OutboundRefusedError({ host: 'localhost', address: '127.0.0.1', reason: 'private' }, 'smtp').message)
      .toBe('Refused: localhost (127.0.0.1) is a loopback, private or shared address (allowed only by the platform setting outbound.allowList)');
    expect(new OutboundRefusedError({ host: '10.0.0.1', address: '10.0.0.1', reason: 'private' }, 'webhook').message).toContain('outbound.allowList or webhooks.allowPrivateTargets');
    expect(new OutboundRefusedError({ host: '169.254.169.254', address: '169.254.169.254', reason: 'forbidden' }, 'rates').message)
      .toBe('Refused: 169.254.169.254 is a reserved, link-local, multicast or metadata address');
  });

  it('gives policies with the same decisions the same key', () => {
    expect(policy(['b', 'a']).key).toBe(policy(['a', 'b']).key);
    expect(policy(['a']).key).not.toBe(policy(['a', 'b']).key);
    expect(policy([], true).key).not.toBe(policy([], false).key);
  });
});

describe('checked resolution', () => {
  it('connects only to a permitted address and refuses with the reason of the first refused one', async () => {
    expect(await permittedAddress(policy(['127.0.0.1:7000']), '127.0.0.1', 7000)).toBe('127.0.0.1');
    expect(await permittedAddress(policy(['localhost:7000']), 'localhost', 7000)).toMatch(/^(127\.0\.0\.1|::1)$/);
    const refused = await permittedAddress(policy(), '[::1]', 7000).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(OutboundRefusedError);
    expect(refused).toMatchObject({ code: 'EADDRBLOCKED', refusal: { address: '::1', reason: 'private' } });
    await expect(permittedAddress(policy(), '169.254.169.254', 80)).rejects.toThrow('Refused: 169.254.169.254 is a reserved');
  });

  it('reports a refused value at save time and accepts a name that does not resolve yet', async () => {
    expect(await savedTargetRefusal(policy(), '169.254.169.254', 80)).toMatchObject({ reason: 'forbidden' });
    expect(await savedTargetRefusal(policy(), 'localhost', 25)).toMatchObject({ host: 'localhost', reason: 'private' });
    expect(await savedTargetRefusal(policy(['localhost']), 'localhost', undefined)).toBeUndefined();
    expect(await savedTargetRefusal(policy(), 'no-such-host.invalid', 443)).toBeUndefined();
  });

  it('takes only absolute http(s) addresses without credentials', () => {
    expect(httpTarget('https://s3.example.com/bucket').host).toBe('s3.example.com');
    expect(() => httpTarget('file:///etc/passwd')).toThrow('Only http and https addresses are allowed');
    expect(() => httpTarget('http://user:secret@example.com/')).toThrow('credentials');
    expect(() => httpTarget('/relative')).toThrow();
  });
});
