// Connecteur SAML : assertions signées par une paire de clés de test, et les attaques classiques (audience, expiration,
// absence de signature, autre clé, rejeu, enveloppement de signature XSW).
import { beforeAll, describe, expect, it } from 'vitest';
import { SamlConnector, SamlError, type SamlReplayStore } from '../../../src/iam/sso/saml.js';
import { assertionXml, newKeyPair, responseB64, signAssertion, type AssertionSpec, type KeyPair } from '../../support/saml-idp.js';

const SP = 'https://erp.example.test/saml';
const ACS = 'https://erp.example.test/api/v1/auth/saml/acme/corp/acs';
const IDP = 'https://idp.example.test';
let keys: KeyPair;
let saml: SamlConnector;

class MemoryReplay implements SamlReplayStore {
  private readonly seen = new Set<string>();
  async remember(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }
}

const spec = (extra: Partial<AssertionSpec> = {}): AssertionSpec => ({
  issuer: IDP, audience: SP, acsUrl: ACS, nameId: 'alice@corp.test',
  attributes: { displayName: ['Alice Martin'], groups: ['staff', 'finance'] }, ...extra,
});
const signed = (extra: Partial<AssertionSpec> = {}, by = keys) => responseB64(IDP, ACS, signAssertion(assertionXml(spec(extra)), by));
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SamlError);
  return (error as SamlError).code;
};

beforeAll(() => {
  keys = newKeyPair();
  saml = new SamlConnector({ entityId: SP, acsUrl: ACS, idpEntityId: IDP, idpSsoUrl: `${IDP}/sso`, idpCert: keys.cert });
});

describe('SAML service provider', () => {
  it('accepts a signed assertion and returns the identity with its groups', async () => {
    expect(await saml.validate(signed(), new MemoryReplay())).toEqual({
      subject: 'alice@corp.test', email: 'alice@corp.test', name: 'Alice Martin', groups: ['staff', 'finance'], authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
    });
  });

  it('refuses another audience, an expired assertion, no signature and another key', async () => {
    expect(await failure(saml.validate(signed({ audience: 'https://other.test' }), new MemoryReplay()))).toBe('wrong_audience');
    expect(await failure(saml.validate(signed({ notOnOrAfter: new Date(Date.now() - 10 * 60_000) }), new MemoryReplay()))).toBe('expired');
    expect(await failure(saml.validate(responseB64(IDP, ACS, assertionXml(spec())), new MemoryReplay()))).toBe('invalid_signature');
    expect(await failure(saml.validate(signed({}, newKeyPair('intruder')), new MemoryReplay()))).toBe('invalid_signature');
  });

  it('refuses a replayed assertion', async () => {
    const replay = new MemoryReplay();
    const response = signed();
    await saml.validate(response, replay);
    expect(await failure(saml.validate(response, replay))).toBe('replayed');
  });

  it('never yields the identity injected by a signature-wrapping (XSW) attack', async () => {
    const genuine = signAssertion(assertionXml(spec({ nameId: 'bob@corp.test', attributes: { groups: [] } })), keys);
    const evil = assertionXml(spec({ nameId: 'admin@corp.test', attributes: { groups: ['admins'] } }));
    // 1 : l'assertion malveillante avant l'authentique ; 2 : l'authentique cachée dans l'assertion malveillante
    const wrapped = [
      responseB64(IDP, ACS, `${evil}${genuine}`),
      responseB64(IDP, ACS, evil.replace('</saml:Assertion>', `<saml:Advice>${genuine}</saml:Advice></saml:Assertion>`)),
      responseB64(IDP, ACS, genuine.replace('bob@corp.test', 'admin@corp.test')),
    ];
    for (const response of wrapped) {
      const outcome = await saml.validate(response, new MemoryReplay()).then((identity) => identity.subject, (e: unknown) => e);
      expect(outcome).toBeInstanceOf(SamlError);
    }
  });

  it('publishes metadata and builds a redirect to the identity provider', async () => {
    const metadata = saml.metadata();
    expect(metadata).toContain(`entityID="${SP}"`);
    expect(metadata).toContain(ACS);
    const url = new URL(await saml.loginUrl('relay'));
    expect(`${url.origin}${url.pathname}`).toBe(`${IDP}/sso`);
    expect(url.searchParams.get('SAMLRequest')).toBeTruthy();
  });
});
