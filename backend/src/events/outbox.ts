// Outbox transactionnelle : les événements sont écrits avec la modification et distribués après le commit.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';

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

/** Instruction INSERT des événements (à composer, par exemple dans un WITH avec l'audit). */
export function outboxInsert(tenantId: string, events: OutboxEvent[]): RawBuilder<unknown> {
  const rows = events.map((e) => sql`(${tenantId}::uuid, ${e.topic}, ${JSON.stringify(e.payload)}::jsonb)`);
  return sql`INSERT INTO outbox (tenant_id, topic, payload) VALUES ${sql.join(rows)}`;
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
 * du processus et marque l'événement distribué. Les événements restés en attente (processus tué) repartent au démarrage.
 */
export class OutboxDispatcher {
  private readonly subscribers: Array<{ pattern: string; fn: Subscriber }> = [];
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly db: Db, private readonly onError: (error: unknown, event?: DispatchedEvent) => void = () => undefined) {}

  /** `pattern` : sujet exact, `préfixe.*` ou `*`. */
  subscribe(pattern: string, fn: Subscriber): () => void {
    const entry = { pattern, fn };
    this.subscribers.push(entry);
    return () => {
      const i = this.subscribers.indexOf(entry);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  start(intervalMs = 5000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Demande une distribution (après un commit) ; les demandes concurrentes sont regroupées. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error) => this.onError(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Attend la fin de la distribution en cours (tests, arrêt propre). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
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
        if (done.length) await sql`UPDATE outbox SET dispatched_at = now() WHERE id = ANY(${done}::bigint[])`.execute(trx);
        return rows.length;
      });
      if (processed < BATCH || this.stopped) return;
    }
  }
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*' || pattern === topic) return true;
  return pattern.endsWith('.*') && topic.startsWith(pattern.slice(0, -1));
}
