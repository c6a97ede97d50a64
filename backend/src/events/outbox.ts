// Outbox transactionnelle : les événements sont écrits avec la modification et distribués après le commit.
import { sql, type RawBuilder } from 'kysely';
import { DrainWorker } from '../core/drain-loop.js';
import type { Db } from '../db/database.js';
import { jsonValue, type SqlOr } from '../db/sql-json.js';

export interface OutboxEvent {
  topic: string;
  payload: Record<string, unknown>;
}

export interface DispatchedEvent extends OutboxEvent {
  id: number;
  tenantId: string;
  createdAt: Date;
}

export type Subscriber = (event: DispatchedEvent) => void | Promise<void>;

/**
 * Instruction INSERT des événements (à composer, par exemple dans un WITH avec l'audit). Avec `from`, un seul
 * événement dont la charge peut être une expression SQL sur cette source : `INSERT … SELECT … FROM source`.
 */
export function outboxInsert(tenantId: string, events: Array<{ topic: string; payload: SqlOr<Record<string, unknown>> }>, from?: RawBuilder<unknown>): RawBuilder<unknown> {
  const row = (e: (typeof events)[number]) => sql`${tenantId}::uuid, ${e.topic}, ${jsonValue(e.payload)}::jsonb`;
  const head = sql`INSERT INTO outbox (tenant_id, topic, payload)`;
  if (from) return sql`${head} SELECT ${row(events[0]!)} FROM ${from}`;
  return sql`${head} VALUES ${sql.join(events.map((e) => sql`(${row(e)})`))}`;
}

interface OutboxRow {
  id: number;
  tenant_id: string;
  topic: string;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
}

const BATCH = 200;
const MAX_ATTEMPTS = 10;

/**
 * Répartiteur : lit l'outbox en propriétaire (SKIP LOCKED : un seul nœud traite chaque événement), appelle les abonnés
 * du processus et supprime l'événement distribué. Les événements restés en attente (processus tué) repartent au démarrage.
 */
export class OutboxDispatcher extends DrainWorker {
  private readonly subscribers: Array<{ pattern: string; fn: Subscriber }> = [];

  constructor(private readonly db: Db, private readonly onError: (error: unknown, event?: DispatchedEvent) => void = () => undefined) {
    super((error) => onError(error), { settleMs: 20 });
  }

  /** `pattern` : sujet exact, `préfixe.*` ou `*`. */
  subscribe(pattern: string, fn: Subscriber): () => void {
    const entry = { pattern, fn };
    this.subscribers.push(entry);
    return () => {
      const i = this.subscribers.indexOf(entry);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  override start(intervalMs = 5000): void {
    super.start(intervalMs);
  }

  protected async pass(): Promise<void> {
    for (;;) {
      const processed = await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<OutboxRow>`
          SELECT id, tenant_id, topic, payload, created_at, attempts FROM outbox
          WHERE dispatched_at IS NULL AND attempts < ${MAX_ATTEMPTS}
            AND (attempts = 0 OR created_at < now() - make_interval(secs => power(2, attempts)))
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`.execute(trx);
        const done: number[] = [];
        for (const row of rows) {
          const event: DispatchedEvent = { id: Number(row.id), tenantId: row.tenant_id, topic: row.topic, payload: row.payload, createdAt: row.created_at };
          try {
            for (const s of this.subscribers) if (matches(s.pattern, row.topic)) await s.fn(event);
            done.push(event.id);
          } catch (error) {
            this.onError(error, event);
            await sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${String(error)} WHERE id = ${event.id}`.execute(trx);
          }
        }
        // distribué : supprimé (moins d'écritures qu'une mise à jour, et la table reste petite)
        if (done.length) await sql`DELETE FROM outbox WHERE id = ANY(${done}::bigint[])`.execute(trx);
        return rows.length;
      });
      if (processed < BATCH || this.loop.isStopped) return;
    }
  }
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*' || pattern === topic) return true;
  return pattern.endsWith('.*') && topic.startsWith(pattern.slice(0, -1));
}
