// Licences Ed25519 vérifiées hors ligne : signature, module, tenant, échéance, sièges, clé brute ou PEM.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, licenceProblem, parseLicence, type LicenceTerms } from '../../../src/modules/licence.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
const other = generateKeyPairSync('ed25519');

const signWith = (key: typeof privateKey, licence: LicenceTerms) => ({ licence, signature: sign(null, Buffer.from(canonicalJson(licence)), key).toString('base64') });
const terms: LicenceTerms = { module: 'paid', tenant: 'acme', expires: '2030-01-01', seats: 5 };
const check = { module: 'paid', tenantSlug: 'acme', activeUsers: 3, now: new Date('2027-01-01') };

describe('module licences', () => {
  it('accepts a licence signed by a trusted key, given as PEM or raw base64', () => {
    expect(licenceProblem(signWith(privateKey, terms), [pem], check)).toBeNull();
    expect(licenceProblem(signWith(privateKey, terms), ['garbage-key-that-is-long-enough-to-pass-the-schema', raw], check)).toBeNull();
    expect(licenceProblem(signWith(privateKey, { ...terms, tenant: '*' }), [pem], check)).toBeNull();
  });

  it('refuses forged, tampered, foreign, expired and oversubscribed licences', () => {
    expect(licenceProblem(signWith(other.privateKey, terms), [pem], check)).toMatch(/signature/);
    const tampered = { ...signWith(privateKey, terms), licence: { ...terms, seats: 500 } };
    expect(licenceProblem(tampered, [pem], check)).toMatch(/signature/);
    expect(licenceProblem(signWith(privateKey, { ...terms, module: 'other' }), [pem], check)).toMatch(/for module other/);
    expect(licenceProblem(signWith(privateKey, { ...terms, tenant: 'globex' }), [pem], check)).toMatch(/for tenant globex/);
    expect(licenceProblem(signWith(privateKey, { ...terms, expires: '2026-12-31' }), [pem], check)).toMatch(/expired/);
    expect(licenceProblem(signWith(privateKey, terms), [pem], { ...check, activeUsers: 6 })).toMatch(/covers 5 users/);
    expect(licenceProblem(signWith(privateKey, terms), [], check)).toMatch(/signature/);
  });

  it('signs a canonical text that does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });

  it('checks the shape of a licence file', () => {
    expect(parseLicence('x')).toMatch(/JSON object/);
    expect(parseLicence({ licence: { module: 'm', tenant: 't' }, signature: 's' })).toMatch(/required/);
    expect(parseLicence({ licence: { ...terms, expires: 'soon' }, signature: 's' })).toMatch(/ISO 8601/);
    expect(parseLicence({ licence: { ...terms, seats: 0 }, signature: 's' })).toMatch(/seats/);
  });
});
