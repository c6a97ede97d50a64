// Connexion OpenID Connect (openid-client) : code d'autorisation + PKCE S256, `state` et `nonce` vérifiés, jeton
// d'identité validé ; les groupes viennent de la revendication `groups` (ou de celle que le fournisseur configure).
import * as oidc from 'openid-client';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  redirectUri: string;
  scopes?: string[];
  /** revendication qui porte les groupes (par défaut `groups`) */
  groupsClaim?: string;
  /** émetteur en http (tests, réseau interne) */
  allowInsecure?: boolean;
  /** toutes les requêtes vers le fournisseur (découverte, jeton, userinfo, clés) : connexions sortantes gardées */
  fetch: oidc.CustomFetch;
}

/** Ce qu'il faut garder entre la redirection et le retour (côté serveur ou dans un cookie chiffré). */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
  createdAt: number;
}

export interface OidcIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
  /** méthodes d'authentification (RFC 8176) et classe de contexte attestées par le jeton d'identité */
  amr: string[];
  acr: string | null;
}

export type OidcErrorCode = 'state_mismatch' | 'nonce_mismatch' | 'provider_error' | 'invalid_response' | 'expired' | 'unavailable';

export class OidcError extends Error {
  constructor(readonly code: OidcErrorCode, message: string) {
    super(message);
  }
}

// durée d'une connexion OIDC en cours (aller-retour chez le fournisseur) : protection contre le rejeu, pas un réglage
const PENDING_TTL_MS = 10 * 60_000;

export class OidcConnector {
  private constructor(private readonly config: OidcConfig, private readonly client: oidc.Configuration) {}

  static async discover(config: OidcConfig): Promise<OidcConnector> {
    const auth = config.clientSecret ? oidc.ClientSecretPost(config.clientSecret) : oidc.None();
    try {
      const client = await oidc.discovery(new URL(config.issuer), config.clientId, undefined, auth,
        { [oidc.customFetch]: config.fetch, ...(config.allowInsecure ? { execute: [oidc.allowInsecureRequests] } : {}) });
      return new OidcConnector(config, client);
    } catch (error) {
      // openid-client enveloppe la cause (refus de la politique des connexions sortantes, connexion refusée…)
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      throw new OidcError('unavailable', `Discovery failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
  }

  async begin(): Promise<{ url: string; pending: OidcPending }> {
    const pending: OidcPending = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), createdAt: Date.now() };
    const url = oidc.buildAuthorizationUrl(this.client, {
      redirect_uri: this.config.redirectUri,
      scope: (this.config.scopes ?? ['openid', 'email', 'profile']).join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  async complete(callbackUrl: string | URL, pending: OidcPending): Promise<OidcIdentity> {
    if (Date.now() - pending.createdAt > PENDING_TTL_MS) throw new OidcError('expired', 'The sign-in took too long, start again');
    const url = new URL(callbackUrl);
    if (url.searchParams.has('error')) throw new OidcError('provider_error', `The provider refused: ${url.searchParams.get('error')}`);
    if (url.searchParams.get('state') !== pending.state) throw new OidcError('state_mismatch', 'The sign-in answer does not belong to this session');
    let claims: Record<string, unknown> & { sub: string };
    try {
      const tokens = await oidc.authorizationCodeGrant(this.client, url, {
        pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcError('invalid_response', 'No identity token');
      // beaucoup de fournisseurs ne mettent e-mail, nom et groupes que dans userinfo (pour le même sujet, vérifié)
      const info = this.client.serverMetadata().userinfo_endpoint
        ? await oidc.fetchUserInfo(this.client, tokens.access_token, idToken.sub) : {};
      claims = { ...info, ...idToken };
    } catch (error) {
      if (error instanceof OidcError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (mentionsNonce(error)) throw new OidcError('nonce_mismatch', 'The identity token does not belong to this sign-in');
      throw new OidcError('invalid_response', `The provider answer was refused: ${message}`);
    }
    const groups = claims[this.config.groupsClaim ?? 'groups'];
    return {
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
      emailVerified: claims.email_verified === true,
      name: typeof claims.name === 'string' ? claims.name : null,
      groups: (Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : []).filter((g): g is string => typeof g === 'string'),
      amr: Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [],
      acr: typeof claims.acr === 'string' ? claims.acr : null,
    };
  }
}

/** L'erreur (ou l'une de ses causes) porte-t-elle sur la revendication `nonce` ? */
function mentionsNonce(error: unknown): boolean {
  for (let e = error as { message?: unknown; cause?: unknown; claim?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.claim === 'nonce' || (typeof e.message === 'string' && /"nonce"/.test(e.message))) return true;
  }
  return false;
}
