// Signal « des enregistrements de ces entités ont changé » par tenant, pour les écrans ouverts (tableaux de bord en
// direct) : l'outbox, distribuée une fois, rassemble les entités écrites d'un lot et les annonce par NOTIFY au commit ;
// chaque processus écoute le canal et relaie aux flux SSE ouverts chez lui. Le signal ne porte que des noms
// d'entités : chaque écran relit ses données avec les droits de son utilisateur.
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { OutboxDispatcher } from './outbox.js';

export const CHANGES_CHANNEL = 'opsflux_changes';
const CHANGE_TOPIC = /^([a-z][a-z0-9_]*)\.(created|updated|deleted|restored)$/;

/** Entité d'un événement d'écriture (suppression comprise), sinon rien. */
export function changedEntity(topic: string): string | undefined {
  return CHANGE_TOPIC.exec(topic)?.[1];
}

/** Annonce, au commit de chaque lot de l'outbox, les entités écrites par tenant. */
export function installChangeSignals(dispatcher: OutboxDispatcher): void {
  const pending = new Map<string, Set<string>>();
  dispatcher.subscribe('*', async (event) => {
    const entity = changedEntity(event.topic);
    if (!entity) return;
    let entities = pending.get(event.tenantId);
    if (!entities) pending.set(event.tenantId, (entities = new Set()));
    entities.add(entity);
  }, {
    flush: async (trx) => {
      const batch = [...pending.entries()];
      pending.clear();
      for (const [tenant, entities] of batch) {
        await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ t: tenant, e: [...entities] })})`.execute(trx);
      }
    },
  });
}

type Listener = (entities: string[]) => void;

/** Relais local des signaux : un abonnement par flux ouvert, une écoute du canal par processus. */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private unlisten?: () => Promise<void>;

  constructor(private readonly database: Pick<Database, 'listen'>) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(CHANGES_CHANNEL, (payload) => {
      let parsed: { t?: unknown; e?: unknown };
      try {
        parsed = JSON.parse(payload) as typeof parsed;
      } catch {
        return;
      }
      if (typeof parsed.t !== 'string' || !Array.isArray(parsed.e)) return;
      for (const listener of this.listeners.get(parsed.t) ?? []) listener(parsed.e.filter((e): e is string => typeof e === 'string'));
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.listeners.clear();
  }

  subscribe(tenantId: string, listener: Listener): () => void {
    let set = this.listeners.get(tenantId);
    if (!set) this.listeners.set(tenantId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }
}
