// Fournisseur d'identité SAML de test : paire de clés et certificat auto-signé générés par openssl, réponses SAML
// construites et signées (xml-crypto) comme le ferait un vrai IdP, avec de quoi fabriquer les attaques.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedXml } from 'xml-crypto';

export interface KeyPair {
  key: string;
  cert: string;
}

export function newKeyPair(name = 'test-idp'): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'opsflux-saml-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', `/CN=${name}`], { stdio: 'pipe' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AssertionSpec {
  issuer: string;
  audience: string;
  acsUrl: string;
  nameId: string;
  attributes?: Record<string, string[]>;
  /** fin de validité (par défaut dans 5 minutes) */
  notOnOrAfter?: Date;
  id?: string;
  /** classe du contexte d'authentification (par défaut : mot de passe) */
  authnContext?: string;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function assertionXml(spec: AssertionSpec): string {
  const now = new Date();
  const until = spec.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const before = new Date(Math.min(now.getTime(), until.getTime()) - 60_000);
  const attributes = Object.entries(spec.attributes ?? {}).map(([name, values]) =>
    `<saml:Attribute Name="${escape(name)}">${values.map((v) => `<saml:AttributeValue>${escape(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('');
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${spec.id ?? `_${randomUUID()}`}" Version="2.0" IssueInstant="${iso(before)}">`
    + `<saml:Issuer>${escape(spec.issuer)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(spec.nameId)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(until)}" Recipient="${escape(spec.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(before)}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${escape(spec.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(before)}" SessionIndex="_s${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>${escape(spec.authnContext ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password')}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '')
    + '</saml:Assertion>';
}

/** Signe l'assertion (signature enveloppée placée après son Issuer). */
export function signAssertion(xml: string, keys: KeyPair): string {
  const signer = new SignedXml({
    privateKey: keys.key, publicCert: keys.cert,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return signer.getSignedXml();
}

/** Réponse SAML (non signée elle-même) qui porte les assertions données, encodée en base64 comme dans le POST. */
export function responseB64(issuer: string, acsUrl: string, assertions: string): string {
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomUUID()}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${escape(acsUrl)}">`
    + `<saml:Issuer>${escape(issuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + `${assertions}</samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}
