// Étape du second facteur après une connexion par redirection (OIDC, SAML) : le fournisseur a authentifié le compte,
// il reste le code TOTP. Ce qui est acquis (tenant, compte, fournisseur, page de retour) est gardé cinq minutes dans
// un cookie chiffré et authentifié (SecretBox) que seul ce serveur peut produire ; le code est posté ensuite à
// `POST /api/v1/auth/sso/mfa`, avec la même vérification, le même compte des échecs et le même verrouillage qu'un login.
import type { SecretBox } from '../../keys/secret-box.js';

export const SECOND_FACTOR_COOKIE = 'ofx_sso_mfa';
// délai de saisie du code après l'étape SSO : fenêtre de sécurité fixe, comme celle d'un code TOTP
export const SECOND_FACTOR_TTL_SECONDS = 300;
/** page de l'application qui demande le code */
export const SECOND_FACTOR_PAGE = '/app/login?mfa=sso';

export interface PendingSecondFactor {
  tenantId: string;
  userId: string;
  provider: string;
  /** page de l'application où revenir (chemin relatif seulement) */
  returnTo: string;
  createdAt: number;
}

export class SecondFactorStep {
  constructor(private readonly box: SecretBox) {}

  seal(pending: Omit<PendingSecondFactor, 'createdAt'>): string {
    return this.box.seal(JSON.stringify({ ...pending, createdAt: Date.now() }));
  }

  /** Étape en cours ; undefined si le cookie manque, est altéré, d'une autre clé ou expiré. */
  open(sealed: string | undefined): PendingSecondFactor | undefined {
    if (!sealed) return undefined;
    try {
      const pending = JSON.parse(this.box.open(sealed)) as PendingSecondFactor;
      return Date.now() - pending.createdAt <= SECOND_FACTOR_TTL_SECONDS * 1000 ? pending : undefined;
    } catch {
      return undefined;
    }
  }
}
