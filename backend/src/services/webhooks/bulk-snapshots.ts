// Instantanés des enregistrements chargés en bloc à la fin d'un lot de l'outbox, une instruction par entité, dans la
// transaction du répartiteur : chaque envoi part ensuite sans relire l'enregistrement. Seulement si le catalogue du
// tenant est déjà en mémoire (le charger demanderait une autre transaction : impossible sur PGlite pendant le lot) ;
// sinon l'instantané est pris au premier envoi, comme avant.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { fromChain, projection } from '../../engine/query/projection.js';
import type { EntityRegistry } from '../../engine/registry.js';
import type { NewEvent } from './delivery-store.js';

export type SnapshotLoader = (trx: Tx, tenantId: string, events: NewEvent[]) => Promise<void>;

export function bulkSnapshots(registry: EntityRegistry): SnapshotLoader {
  return async (trx, tenantId, events) => {
    const catalog = registry.peek(tenantId);
    if (!catalog) return;
    const byEntity = new Map<string, NewEvent[]>();
    for (const event of events) {
      if (event.data !== null || !event.entity || !event.recordId) continue;
      byEntity.set(event.entity, [...(byEntity.get(event.entity) ?? []), event]);
    }
    for (const [entity, list] of byEntity) {
      const model = catalog.get(entity);
      if (!model) continue;
      const ids = list.map((e) => e.recordId!);
      const { rows } = await sql<Record<string, unknown>>`SELECT ${projection(model)} FROM ${fromChain(model)} WHERE t0.id = ANY(${ids}::uuid[])`.execute(trx);
      const byId = new Map(rows.map((row) => [String(row.id), row]));
      for (const event of list) event.data = byId.get(event.recordId!) ?? null;
    }
  };
}
