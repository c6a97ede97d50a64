// Parcours OpenID Connect côté OpsFlux : connecteurs découverts une fois par fournisseur (5 min), état de la connexion
// en cours gardé dans un cookie chiffré (SecretBox) entre la redirection et le retour. Toutes les requêtes vers le
// fournisseur passent par les connexions sortantes gardées (la découverte part d'une route sans authentification).
import type { CustomFetch } from 'openid-client';
import type { SecretBox } from '../../keys/secret-box.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { ProviderSettings } from '../providers.js';
import { OidcConnector, OidcError, type OidcPending } from './oidc.js';

// découverte d'un fournisseur gardée : fraîcheur de ses métadonnées et de ses clés, pas un réglage
const CONNECTOR_TTL_MS = 5 * 60_000;

export interface PendingSignIn extends OidcPending {
  tenantId: string;
  provider: string;
  /** page de l'application où revenir (chemin relatif seulement) */
  returnTo: string;
  /** liaison demandée par l'utilisateur connecté : l'identité est liée à ce compte, sans nouvelle session */
  linkUserId?: string;
}

export class OidcFlows {
  private readonly connectors = new Map<string, { connector: Promise<OidcConnector>; until: number }>();

  private readonly fetch: CustomFetch;

  constructor(private readonly box: SecretBox, private readonly publicUrl: string, outbound: Outbound) {
    // redirections jamais suivies (openid-client les traite comme des réponses invalides)
    this.fetch = async (url, { redirect: _manual, ...init }) => (await outbound.fetch('oidc', url, init)) as unknown as Response;
  }

  redirectUri(provider: string): string {
    return `${this.publicUrl}/api/v1/auth/sso/${encodeURIComponent(provider)}/callback`;
  }

  connector(tenantId: string, provider: ProviderSettings): Promise<OidcConnector> {
    const key = `${tenantId}:${provider.id}:${JSON.stringify(provider.config)}`;
    const cached = this.connectors.get(key);
    if (cached && cached.until > Date.now()) return cached.connector;
    const config = provider.config as { issuer: string; clientId: string; scopes?: string[]; groupsClaim?: string };
    const issuer = new URL(config.issuer);
    // http seulement pour un émetteur sur la machine même (développement, tests)
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    if (issuer.protocol !== 'https:' && !loopback) return Promise.reject(new OidcError('unavailable', 'The issuer must use https'));
    const connector = OidcConnector.discover({
      issuer: config.issuer, clientId: config.clientId, clientSecret: provider.secret, redirectUri: this.redirectUri(provider.name),
      scopes: config.scopes ?? ['openid', 'email', 'profile', 'groups'], groupsClaim: config.groupsClaim, allowInsecure: loopback, fetch: this.fetch,
    });
    connector.catch(() => this.connectors.delete(key));
    this.connectors.set(key, { connector, until: Date.now() + CONNECTOR_TTL_MS });
    return connector;
  }

  seal(pending: PendingSignIn): string {
    return this.box.seal(JSON.stringify(pending));
  }

  /** État de la connexion en cours ; undefined s'il est absent, altéré ou d'une autre clé. */
  open(sealed: string | undefined): PendingSignIn | undefined {
    if (!sealed) return undefined;
    try {
      return JSON.parse(this.box.open(sealed)) as PendingSignIn;
    } catch {
      return undefined;
    }
  }
}
