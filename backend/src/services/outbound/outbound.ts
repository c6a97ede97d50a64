// Point d'entrée unique des connexions sortantes vers une adresse qu'un tenant ou la plateforme configure (webhooks,
// S3, fournisseur de taux, OpenID, LDAP, SMTP, catalogue de modules) : politique lue dans les réglages de la
// plateforme, requêtes HTTP gardées, adresse vérifiée pour les clients TCP/TLS, contrôles à l'enregistrement.
import { isIP } from 'node:net';
import type { Settings } from '../../config/settings.js';
import type { Tx } from '../../db/transaction.js';
import { message, type Locale } from '../../text/messages.js';
import { normalHost } from './allow-list.js';
import { GuardedHttp, type OutboundRequest } from './http.js';
import { describeTarget, OutboundPolicy, type OutboundKind } from './policy.js';
import { permittedAddress, savedTargetRefusal } from './resolve.js';

/** Où un client TCP/TLS se connecte : l'adresse vérifiée, et le nom à présenter et vérifier en TLS (absent pour une IP). */
export interface ConnectTarget {
  address: string;
  servername?: string;
}

/** Adresse vérifiée où connecter un client TCP/TLS pour cet hôte et ce port (résolue à chaque connexion). */
export type ResolveTarget = (host: string, port: number) => Promise<ConnectTarget>;

/** Valeur refusée à l'enregistrement : code stable et message dans la langue de l'appelant. */
export interface TargetProblem {
  code: 'invalid_url' | 'target_not_allowed';
  message: string;
}

/** Transaction de tenant déjà ouverte (crochets d'enregistrement) : les réglages y sont lus. */
export interface OpenTransaction {
  tenantId: string;
  trx: Tx;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ldap:': 389, 'ldaps:': 636 };

export class Outbound {
  private readonly http = new GuardedHttp();

  /** `extraAllowList` : entrées permises par le code qui ouvre la plateforme (ses propres services, tests). */
  constructor(private readonly settings: Settings, private readonly extraAllowList: () => readonly string[] = () => []) {}

  /** Politique en vigueur pour ce genre de connexion. */
  async policy(kind: OutboundKind, open?: OpenTransaction): Promise<OutboundPolicy> {
    const read = <T>(key: string) => (open ? this.settings.value<T>(key, { tenantId: open.tenantId }, open.trx) : this.settings.platformValue<T>(key));
    const allowList = [...(await read<string[]>('outbound.allowList')), ...this.extraAllowList()];
    const allowPrivate = kind === 'webhook' && (await read<boolean>('webhooks.allowPrivateTargets'));
    return new OutboundPolicy(kind, { allowPrivate, allowList });
  }

  /**
   * Requête HTTP(S) gardée ; `maxRedirects` (0 par défaut) redirections suivies, chacune sous la même garde. Une
   * politique déjà lue peut être donnée (appel depuis une transaction ouverte : les réglages ne s'y relisent pas).
   */
  async fetch(kind: OutboundKind | OutboundPolicy, url: string, init?: OutboundRequest) {
    return this.http.fetch(typeof kind === 'string' ? await this.policy(kind) : kind, url, init);
  }

  /** Adresse vérifiée où connecter un client LDAP ou SMTP, résolue au moment de la connexion. */
  async connectTarget(kind: OutboundKind, host: string, port: number): Promise<ConnectTarget> {
    const address = await permittedAddress(await this.policy(kind), host, port);
    const name = normalHost(host);
    return isIP(name) ? { address } : { address, servername: name };
  }

  /** Contrôle d'une adresse à l'enregistrement (schémas permis : http et https par défaut). */
  async urlProblem(kind: OutboundKind, text: string, locale: Locale, options: { schemes?: string[]; open?: OpenTransaction } = {}): Promise<TargetProblem | undefined> {
    const schemes = options.schemes ?? ['http:', 'https:'];
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || !schemes.includes(url.protocol) || !url.hostname) {
      return { code: 'invalid_url', message: message(locale, 'outbound_scheme', { schemes: schemes.map((s) => s.slice(0, -1)).join(', ') }) };
    }
    if (url.username || url.password) return { code: 'invalid_url', message: message(locale, 'outbound_credentials') };
    return this.hostProblem(kind, url.hostname, Number(url.port) || DEFAULT_PORTS[url.protocol], locale, options.open);
  }

  /** Contrôle d'un hôte à l'enregistrement ; `port` inconnu : les entrées de la liste avec un port s'appliquent. */
  async hostProblem(kind: OutboundKind, host: string, port: number | undefined, locale: Locale, open?: OpenTransaction): Promise<TargetProblem | undefined> {
    const refusal = await savedTargetRefusal(await this.policy(kind, open), host, port);
    if (!refusal) return undefined;
    return { code: 'target_not_allowed', message: message(locale, `outbound_${refusal.reason}`, { target: describeTarget(refusal) }) };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
