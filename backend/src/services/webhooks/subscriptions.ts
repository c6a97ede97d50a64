// Abonnements actifs par tenant, en cache : lus au premier événement du tenant (dans la transaction du répartiteur),
// oubliés à chaque écriture d'un webhook sur n'importe quel nœud (canal NOTIFY).
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { topicMatches } from './topics.js';

/** Canal NOTIFY : les abonnements d'un tenant (charge utile : son id) ont changé. */
export const WEBHOOKS_CHANNEL = 'opsflux_webhooks';
// borne mémoire du cache des abonnements (identifiants de tenant forgés compris) : une protection, pas un réglage
const MAX_CACHED_TENANTS = 10_000;

export interface Subscription {
  id: string;
  events: string[];
}

export class SubscriptionCache {
  private readonly tenants = new Map<string, Subscription[]>();
  /** incrémentée à chaque oubli : une lecture commencée avant n'entre pas dans le cache */
  private generation = 0;

  constructor(private readonly table: () => string) {}

  invalidate(tenantId?: string): void {
    this.generation++;
    if (tenantId) this.tenants.delete(tenantId);
    else this.tenants.clear();
  }

  /** Les abonnements du tenant sont-ils en cache ? */
  known(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  /** Abonnements en cache du tenant dont un motif couvre le sujet ([] si le tenant n'est pas en cache). */
  cachedMatch(tenantId: string, topic: string): Subscription[] {
    return (this.tenants.get(tenantId) ?? []).filter((s) => s.events.some((pattern) => topicMatches(pattern, topic)));
  }

  /** Abonnements actifs du tenant dont un motif couvre le sujet ; `trx` : transaction déjà ouverte, tenant posé. */
  async matching(trx: Tx, tenantId: string, topic: string): Promise<Subscription[]> {
    let list = this.tenants.get(tenantId);
    if (!list) {
      const generation = this.generation;
      const { rows } = await sql<Subscription>`SELECT id, events FROM ${sql.table(this.table())}
        WHERE tenant_id = ${tenantId} AND active AND deleted_at IS NULL`.execute(trx);
      list = rows.map((r) => ({ id: r.id, events: r.events ?? [] }));
      // borne mémoire : au pire, tout est relu
      if (this.tenants.size >= MAX_CACHED_TENANTS) this.tenants.clear();
      if (generation === this.generation) this.tenants.set(tenantId, list);
      return list.filter((s) => s.events.some((pattern) => topicMatches(pattern, topic)));
    }
    return this.cachedMatch(tenantId, topic);
  }
}
