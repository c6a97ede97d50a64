// Abonné de l'outbox : pour chaque événement, les abonnements actifs du tenant dont un motif couvre le sujet (cache) ;
// à la fin du lot, dans la transaction du répartiteur (validée avec la suppression des événements : ni perte ni
// doublon), les événements, un envoi par abonnement et un travail par envoi, en trois instructions par tenant.
import { sql } from 'kysely';
import { enterTenant, type Tx } from '../../db/transaction.js';
import type { DispatchedEvent } from '../../events/outbox.js';
import type { JobQueue } from '../jobs/queue.js';
import type { SnapshotLoader } from './bulk-snapshots.js';
import type { DeliveryStore, NewEvent } from './delivery-store.js';
import type { SubscriptionCache } from './subscriptions.js';

export const DELIVER_JOB = 'webhook.deliver';

/** Actions d'enregistrement dont les données sont l'instantané de l'enregistrement (chargé au premier envoi). */
const SNAPSHOT_ACTIONS = new Set(['created', 'updated', 'restored']);

/** Événement à envoyer : instantané à charger, id/eid d'un enregistrement supprimé, ou charge de l'événement. */
export function eventOf(event: DispatchedEvent): NewEvent {
  const { payload, topic } = event;
  const entity = typeof payload.entity === 'string' ? payload.entity : null;
  const id = typeof payload.id === 'string' ? payload.id : null;
  const action = entity && topic.startsWith(`${entity}.`) ? topic.slice(entity.length + 1) : null;
  const base = { topic, occurredAt: event.createdAt, entity, recordId: id };
  if (id && action && SNAPSHOT_ACTIONS.has(action)) return { ...base, data: null };
  if (id && action === 'deleted') return { ...base, data: { id, eid: payload.eid ?? null } };
  return { ...base, data: payload };
}

interface Pending {
  event: NewEvent;
  webhookIds: string[];
}

export class EventFanOut {
  /** envois à écrire à la fin du lot, par transaction puis par tenant */
  private readonly pending = new WeakMap<Tx, Map<string, Pending[]>>();

  constructor(
    private readonly cache: SubscriptionCache,
    private readonly store: DeliveryStore,
    private readonly jobs: JobQueue,
    private readonly snapshots: SnapshotLoader,
  ) {}

  /** Pour chaque événement : abonnements concernés (cache), mis de côté jusqu'à la fin du lot. */
  async handle(event: DispatchedEvent, trx: Tx): Promise<void> {
    let subscriptions = this.cache.known(event.tenantId) ? this.cache.cachedMatch(event.tenantId, event.topic) : undefined;
    if (!subscriptions) {
      // premier événement du tenant depuis un changement : lecture protégée (la transaction du lot reste utilisable) ;
      // le répartiteur a posé le rôle applicatif et le tenant de l'événement
      await sql`SAVEPOINT webhook_subscriptions`.execute(trx);
      try {
        subscriptions = await this.cache.matching(trx, event.tenantId, event.topic);
        await sql`RELEASE SAVEPOINT webhook_subscriptions`.execute(trx);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT webhook_subscriptions`.execute(trx);
        throw error;
      }
    }
    if (!subscriptions.length) return;
    let byTenant = this.pending.get(trx);
    if (!byTenant) this.pending.set(trx, (byTenant = new Map()));
    const list = byTenant.get(event.tenantId) ?? [];
    list.push({ event: eventOf(event), webhookIds: subscriptions.map((s) => s.id) });
    byTenant.set(event.tenantId, list);
  }

  /** Fin du lot : par tenant, les événements et leurs envois en une instruction, leurs travaux en une autre. */
  async flush(trx: Tx): Promise<void> {
    const byTenant = this.pending.get(trx);
    if (!byTenant) return;
    this.pending.delete(trx);
    for (const [tenantId, items] of byTenant) {
      await enterTenant(trx, tenantId);
      await this.snapshots(trx, tenantId, items.map((i) => i.event));
      const ids = await this.store.insertEvents(trx, tenantId, items);
      await this.jobs.enqueueMany(trx, tenantId, DELIVER_JOB, ids.map((deliveryId) => ({ deliveryId })));
    }
  }
}
