// Fournisseur de service SAML 2.0 (@node-saml/node-saml) : métadonnées, requête d'authentification (redirection),
// validation de la réponse — assertion signée exigée, audience, émetteur, validité dans le temps — et anti-rejeu par
// identifiant d'assertion (magasin partagé par les nœuds). Connexions initiées par le fournisseur d'identité admises.
import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';

export interface SamlConfig {
  /** identifiant de l'entité OpsFlux, aussi l'audience attendue */
  entityId: string;
  acsUrl: string;
  idpEntityId: string;
  idpSsoUrl: string;
  /** certificat de signature du fournisseur d'identité (PEM ou base64) */
  idpCert: string;
  clockSkewMs?: number;
  /** attribut qui porte les groupes (par défaut `groups`) */
  groupsAttribute?: string;
}

export interface SamlReplayStore {
  /** true si l'assertion n'avait jamais été vue (elle est alors retenue jusqu'à `expiresAt`) */
  remember(assertionId: string, expiresAt: Date): Promise<boolean>;
}

export interface SamlIdentity {
  subject: string;
  email: string | null;
  name: string | null;
  groups: string[];
  /** classe du contexte d'authentification (`AuthnContextClassRef`) de l'assertion signée */
  authnContext: string | null;
}

export type SamlErrorCode = 'invalid_signature' | 'wrong_audience' | 'expired' | 'replayed' | 'invalid_response';

export class SamlError extends Error {
  constructor(readonly code: SamlErrorCode, message: string) {
    super(message);
  }
}

const EMAIL_ATTRIBUTES = ['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
const NAME_ATTRIBUTES = ['displayName', 'name', 'cn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

export class SamlConnector {
  private readonly saml: SAML;

  constructor(private readonly config: SamlConfig) {
    this.saml = new SAML({
      issuer: config.entityId,
      callbackUrl: config.acsUrl,
      entryPoint: config.idpSsoUrl,
      idpIssuer: config.idpEntityId,
      idpCert: config.idpCert,
      audience: config.entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
      acceptedClockSkewMs: config.clockSkewMs ?? 60_000,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    });
  }

  metadata(): string {
    return this.saml.generateServiceProviderMetadata(null);
  }

  loginUrl(relayState = ''): Promise<string> {
    return this.saml.getAuthorizeUrlAsync(relayState, undefined, {});
  }

  async validate(samlResponse: string, replay: SamlReplayStore): Promise<SamlIdentity> {
    let profile: Profile | null;
    try {
      ({ profile } = await this.saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (error) {
      throw classify(error);
    }
    if (!profile?.nameID) throw new SamlError('invalid_response', 'The response carries no identity');
    const assertion = profile.getAssertionXml?.() ?? '';
    const id = /<(?:\w+:)?Assertion\b[^>]*\sID="([^"]+)"/.exec(assertion)?.[1];
    const notOnOrAfter = /NotOnOrAfter="([^"]+)"/.exec(assertion)?.[1];
    if (!id) throw new SamlError('invalid_response', 'The assertion has no ID');
    const expiresAt = new Date(Math.max(Date.now() + (this.config.clockSkewMs ?? 60_000), notOnOrAfter ? Date.parse(notOnOrAfter) : 0) + 5 * 60_000);
    if (!(await replay.remember(id, expiresAt))) throw new SamlError('replayed', 'This assertion was already used');
    const attribute = (names: string[]) => names.map((n) => profile![n]).find((v) => v !== undefined);
    const groups = profile[this.config.groupsAttribute ?? 'groups'];
    const email = attribute(EMAIL_ATTRIBUTES) ?? (profile.nameIDFormat?.includes('emailAddress') ? profile.nameID : undefined);
    return {
      subject: profile.nameID,
      email: typeof email === 'string' ? email.toLowerCase() : null,
      name: typeof attribute(NAME_ATTRIBUTES) === 'string' ? (attribute(NAME_ATTRIBUTES) as string) : null,
      groups: (Array.isArray(groups) ? groups : groups === undefined ? [] : [groups]).filter((g): g is string => typeof g === 'string'),
      authnContext: /<(?:\w+:)?AuthnContextClassRef>\s*([^<\s]+)\s*<\//.exec(assertion)?.[1] ?? null,
    };
  }
}

/** Erreur de node-saml → catégorie stable. */
function classify(error: unknown): SamlError {
  const message = error instanceof Error ? error.message : String(error);
  if (/audience/i.test(message)) return new SamlError('wrong_audience', message);
  if (/expired|NotOnOrAfter|NotBefore|too old/i.test(message)) return new SamlError('expired', message);
  if (/signature/i.test(message)) return new SamlError('invalid_signature', message);
  return new SamlError('invalid_response', message);
}
