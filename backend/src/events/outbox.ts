// Outbox transactionnelle : les événements sont écrits avec la modification et distribués après le commit.
import { sql, type RawBuilder } from 'kysely';
import { DrainWorker } from '../background/drain-loop.js';
import type { Db } from '../db/database.js';
import { enterPlatform, enterTenant, forgetContext, inPlatform, type Tx } from '../db/transaction.js';
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

/**
 * Abonné : `trx` est la transaction du répartiteur, passée au rôle applicatif dans le tenant de l'événement (RLS :
 * l'abonné ne voit que ce tenant) ; ce qu'un abonné y écrit est validé avec la suppression de l'événement (ni perte
 * ni doublon). Sur PGlite (une connexion), un abonné ne doit ouvrir aucune autre transaction. Un abonné qui y écrit
 * protège ses instructions par un point de sauvegarde : une instruction en échec annulerait sinon toute la
 * transaction du lot.
 */
export type Subscriber = (event: DispatchedEvent, trx: Tx) => void | Promise<void>;

/**
 * Fin d'un lot, dans la même transaction, avant la suppression des événements distribués : un abonné y écrit en
 * quelques instructions ce qu'il a regroupé pendant le lot, en passant dans chaque tenant par `enterTenant`. En échec
 * (annulé jusqu'à son point de sauvegarde), les événements du lot restent en attente et repartent plus tard, comme
 * l'échec d'un abonné pour un événement.
 */
export type BatchFlush = (trx: Tx) => Promise<void>;

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

// événements répartis par passe : taille de lot technique, sans effet sur ce qui est livré
const BATCH = 200;
// tentatives d'un événement dont un abonné échoue : au-delà c'est un défaut de code à corriger, pas un réglage
const MAX_ATTEMPTS = 10;

/**
 * Répartiteur : réserve les événements sous le rôle de plateforme (SKIP LOCKED : un seul nœud traite chaque
 * événement), appelle les abonnés du processus sous le rôle applicatif dans le tenant de chaque événement, puis
 * supprime l'événement distribué. Les événements restés en attente (processus tué) repartent au démarrage.
 */
export class OutboxDispatcher extends DrainWorker {
  private readonly subscribers: Array<{ pattern: string; fn: Subscriber; flush?: BatchFlush }> = [];

  constructor(
    private readonly db: Db,
    private readonly onError: (error: unknown, event?: DispatchedEvent) => void = () => undefined,
    /** ne distribue que les événements de ces tenants (tests qui partagent une base de serveur) */
    private readonly tenants?: () => readonly string[],
  ) {
    super((error) => onError(error), { settleMs: 20 });
  }

  /** `pattern` : sujet exact, `préfixe.*` ou `*` ; `flush` : écritures regroupées d'un lot. */
  subscribe(pattern: string, fn: Subscriber, options: { flush?: BatchFlush } = {}): () => void {
    const entry = { pattern, fn, flush: options.flush };
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
      const processed = await inPlatform(this.db, async (trx) => {
        const { rows } = await sql<OutboxRow>`
          SELECT id, tenant_id, topic, payload, created_at, attempts FROM outbox
          WHERE dispatched_at IS NULL AND attempts < ${MAX_ATTEMPTS} ${this.tenants ? sql`AND tenant_id = ANY(${[...this.tenants()]}::uuid[])` : sql``}
            AND (attempts = 0 OR created_at < now() - make_interval(secs => power(2, attempts)))
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`.execute(trx);
        const done: number[] = [];
        const failed: Array<{ id: number; error: string }> = [];
        const called = new Set<(typeof this.subscribers)[number]>();
        for (const row of rows) {
          const event: DispatchedEvent = { id: Number(row.id), tenantId: row.tenant_id, topic: row.topic, payload: row.payload, createdAt: row.created_at };
          const subscribers = this.subscribers.filter((s) => matches(s.pattern, row.topic));
          if (subscribers.length) await enterTenant(trx, event.tenantId);
          try {
            for (const s of subscribers) {
              called.add(s);
              await s.fn(event, trx);
            }
            done.push(event.id);
          } catch (error) {
            this.onError(error, event);
            failed.push({ id: event.id, error: String(error) });
          }
        }
        if (done.length && !(await this.flush(trx, called))) {
          failed.push(...done.map((id) => ({ id, error: 'batch flush failed' })));
          done.length = 0;
        }
        await enterPlatform(trx);
        if (failed.length) {
          await sql`UPDATE outbox SET attempts = attempts + 1, last_error = f.error
            FROM unnest(${failed.map((f) => f.id)}::bigint[], ${failed.map((f) => f.error)}::text[]) AS f(id, error) WHERE outbox.id = f.id`.execute(trx);
        }
        // distribué : supprimé (moins d'écritures qu'une mise à jour, et la table reste petite)
        if (done.length) await sql`DELETE FROM outbox WHERE id = ANY(${done}::bigint[])`.execute(trx);
        return rows.length;
      });
      if (processed < BATCH || this.loop.isStopped) return;
    }
  }

  /** Écritures regroupées des abonnés ; faux si l'une a échoué (annulée, la transaction reste utilisable). */
  private async flush(trx: Tx, called: ReadonlySet<(typeof this.subscribers)[number]>): Promise<boolean> {
    let ok = true;
    for (const s of called) {
      if (!s.flush) continue;
      await sql`SAVEPOINT outbox_flush`.execute(trx);
      try {
        await s.flush(trx);
        await sql`RELEASE SAVEPOINT outbox_flush`.execute(trx);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT outbox_flush`.execute(trx);
        forgetContext(trx); // le tenant posé depuis le point de sauvegarde est défait
        this.onError(error);
        ok = false;
      }
    }
    return ok;
  }
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*' || pattern === topic) return true;
  return pattern.endsWith('.*') && topic.startsWith(pattern.slice(0, -1));
}

const WRITE_TOPIC = /^([a-z][a-z0-9_]*)\.(created|updated|restored)$/;

/** Écriture d'un enregistrement qu'annonce un événement (`<entité>.created|updated|restored`), sinon rien. */
export function recordWrite(event: DispatchedEvent): { entity: string; id: string } | undefined {
  const match = WRITE_TOPIC.exec(event.topic);
  const id = event.payload.id;
  return match && typeof id === 'string' ? { entity: match[1]!, id } : undefined;
}
