// Politique des connexions sortantes : une destination (nom, port, adresse résolue) est permise si son adresse est
// publique, ou privée et ouverte par la liste d'autorisation de la plateforme ; les adresses interdites (lien local,
// métadonnées, réservées…) ne le sont jamais.
import { bareAddress, classifyAddress } from './addresses.js';
import { allowed, normalHost, parseAllowList, type AllowEntry, type Destination } from './allow-list.js';

/** Genres de connexions qu'un tenant ou la plateforme configure (messages, ancien réglage des webhooks). */
export type OutboundKind = 'webhook' | 's3' | 'rates' | 'oidc' | 'ldap' | 'smtp' | 'catalog' | 'ai';

export interface OutboundRules {
  /** toutes les adresses privées permises (ancien réglage `webhooks.allowPrivateTargets`, pour les webhooks seulement) */
  allowPrivate: boolean;
  /** entrées de `outbound.allowList` (et celles données par le code qui ouvre la plateforme) */
  allowList: readonly string[];
}

export interface Refusal {
  host: string;
  address: string;
  reason: 'private' | 'forbidden';
}

export class OutboundPolicy {
  /** même clé, mêmes décisions : les connexions ouvertes sous une politique ne servent pas sous une autre */
  readonly key: string;
  private readonly entries: AllowEntry[];

  constructor(readonly kind: OutboundKind, private readonly rules: OutboundRules) {
    this.entries = parseAllowList(rules.allowList);
    this.key = JSON.stringify([kind === 'webhook', rules.allowPrivate, [...rules.allowList].sort()]);
  }

  /** Raison du refus d'une destination ; undefined si elle est permise. */
  refusal(destination: Destination): Refusal | undefined {
    const reason = classifyAddress(destination.address);
    if (reason === 'public') return undefined;
    if (reason === 'private' && (this.rules.allowPrivate || allowed(this.entries, destination))) return undefined;
    return { host: destination.host, address: destination.address, reason };
  }
}

/** `localhost (127.0.0.1)`, ou l'adresse seule quand c'est elle qui a été donnée. */
export function describeTarget(refusal: Pick<Refusal, 'host' | 'address'>): string {
  const host = normalHost(refusal.host);
  const address = bareAddress(refusal.address);
  return host === address ? address : `${host} (${address})`;
}

/** Connexion refusée par la politique (à la connexion ou à une redirection) : rien n'a été envoyé à cette adresse. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  readonly code = 'EADDRBLOCKED';

  constructor(readonly refusal: Refusal, kind: OutboundKind) {
    const legacy = kind === 'webhook' ? ' or webhooks.allowPrivateTargets' : '';
    super(refusal.reason === 'private'
      ? `Refused: ${describeTarget(refusal)} is a loopback, private or shared address (allowed only by the platform setting outbound.allowList${legacy})`
      : `Refused: ${describeTarget(refusal)} is a reserved, link-local, multicast or metadata address`);
  }
}
