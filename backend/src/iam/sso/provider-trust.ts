// Ce qu'un fournisseur d'identité atteste et ce que le tenant accepte d'en croire, réglé par provider
// (`auth_provider.config`) : adresse vérifiée (OIDC : `email_verified` ; LDAP et SAML : `emailVerified`), liaison
// automatique par adresse vérifiée (`linkByVerifiedEmail`, permise seulement si le réglage de plateforme
// `security.sso.linkByVerifiedEmail` l'est aussi), et double authentification faite chez le fournisseur
// (`trustMfa`, avec `mfaAcrValues` en OIDC et `mfaAuthnContexts` en SAML).
import type { FieldError } from '@opsflux/sdk';
import type { ProviderKind, ProviderSettings } from '../providers.js';

/** Réglage de plateforme qui autorise l'option `linkByVerifiedEmail` des fournisseurs. */
export const LINK_BY_VERIFIED_EMAIL_SETTING = 'security.sso.linkByVerifiedEmail';

/**
 * Méthodes d'authentification (RFC 8176) qui attestent un facteur autre qu'un secret mémorisé : mfa, canaux multiples,
 * mot de passe à usage unique, clés matérielle ou logicielle, SMS ou appel, carte à puce, biométrie.
 */
const MFA_METHODS = new Set(['mfa', 'mca', 'otp', 'hwk', 'swk', 'sms', 'tel', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm']);

/** Ce que la réponse du fournisseur atteste de l'authentification. */
export interface AuthnEvidence {
  amr?: string[];
  acr?: string | null;
  authnContext?: string | null;
}

const flag = (provider: ProviderSettings, key: string) => provider.config[key] === true;
const list = (provider: ProviderSettings, key: string): string[] => {
  const value = provider.config[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** Le fournisseur atteste-t-il une double authentification à laquelle le tenant fait confiance ? */
export function providerAssertsMfa(provider: ProviderSettings, evidence: AuthnEvidence): boolean {
  if (!flag(provider, 'trustMfa')) return false;
  if (provider.kind === 'oidc') {
    return (evidence.amr ?? []).some((m) => MFA_METHODS.has(m)) || (typeof evidence.acr === 'string' && list(provider, 'mfaAcrValues').includes(evidence.acr));
  }
  if (provider.kind === 'saml') return typeof evidence.authnContext === 'string' && list(provider, 'mfaAuthnContexts').includes(evidence.authnContext);
  return false;
}

/** Adresse vérifiée selon le fournisseur : revendication OIDC, option du fournisseur pour LDAP et SAML. */
export function emailVerifiedBy(provider: ProviderSettings, claimed?: boolean): boolean {
  return provider.kind === 'oidc' ? claimed === true : flag(provider, 'emailVerified');
}

/** Le fournisseur demande-t-il la liaison automatique par adresse vérifiée ? (encore faut-il que la plateforme la permette) */
export function linksByVerifiedEmail(provider: ProviderSettings): boolean {
  return flag(provider, 'linkByVerifiedEmail');
}

/** Options de confiance valides pour ce protocole ; une erreur par option fautive. */
export function trustOptionErrors(kind: ProviderKind, config: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const boolean = (key: string) => {
    if (config[key] !== undefined && typeof config[key] !== 'boolean') errors.push({ field: `config.${key}`, code: 'invalid_type', message: `config.${key} is true or false` });
  };
  const strings = (key: string, kinds: ProviderKind[]) => {
    const value = config[key];
    if (value === undefined) return;
    if (!kinds.includes(kind)) errors.push({ field: `config.${key}`, code: 'invalid_value', message: `config.${key} is a ${kinds.join('/')} setting` });
    else if (!Array.isArray(value) || value.length > 20 || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 500)) {
      errors.push({ field: `config.${key}`, code: 'invalid_value', message: `config.${key} is a list of at most 20 values` });
    }
  };
  boolean('linkByVerifiedEmail');
  boolean('trustMfa');
  boolean('emailVerified');
  if (config.emailVerified !== undefined && kind === 'oidc') {
    errors.push({ field: 'config.emailVerified', code: 'invalid_value', message: 'OpenID providers say it in each token (email_verified)' });
  }
  if (config.trustMfa !== undefined && kind === 'ldap') errors.push({ field: 'config.trustMfa', code: 'invalid_value', message: 'A directory does not assert two-factor authentication' });
  strings('mfaAcrValues', ['oidc']);
  strings('mfaAuthnContexts', ['saml']);
  return errors;
}
