// Lignes du journal des envois (`webhook_event`, `webhook_delivery`) : écriture en lot d'un événement et de ses
// envois, lecture d'un envoi à faire, résultat d'une tentative, liste paginée. Aucune logique d'envoi ici.
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { executeFinal, type Tx } from '../../db/transaction.js';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed' | 'skipped';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'retrying', 'succeeded', 'failed', 'skipped'];

export interface NewEvent {
  topic: string;
  occurredAt: Date;
  entity?: string | null;
  recordId?: string | null;
  /** null : instantané de l'enregistrement à charger au premier envoi */
  data: unknown;
}

/** Envoi à faire, avec son événement et son abonnement. */
export interface PendingDelivery {
  id: string;
  status: DeliveryStatus;
  manual: boolean;
  event_id: string;
  topic: string;
  occurred_at: Date;
  entity: string | null;
  record_id: string | null;
  data: unknown;
  webhook_id: string;
  url: string | null;
  secret: string | null;
  headers: Record<string, string> | null;
  active: boolean | null;
  deleted: boolean | null;
}

export interface AttemptResult {
  ok: boolean;
  /** dernière tentative permise : un échec est alors définitif */
  final: boolean;
  attempt: number;
  status: number | null;
  durationMs: number;
  body: string | null;
  error: string | null;
}

/** Tentative réussie, écrite avec d'autres (voir recordSuccesses). */
export interface SuccessResult {
  id: string;
  attempt: number;
  status: number | null;
  durationMs: number;
  body: string | null;
}

/** `last` : dernière instruction de la transaction (sur le serveur, elle part avec le COMMIT) */
interface LastStatement {
  last?: boolean;
}

const run = <R>(query: RawBuilder<R>, trx: Tx, options: LastStatement) => (options.last ? executeFinal(trx, query) : query.execute(trx));

const DELIVERY_COLUMNS = sql`d.id, d.webhook_id AS "webhookId", d.event_id AS "eventId", e.topic, d.status, d.manual, d.replay_of AS "replayOf",
  d.attempts, d.response_status AS "responseStatus", d.duration_ms AS "durationMs", d.response_body AS "responseBody", d.error,
  d.created_at AS "createdAt", d.last_attempt_at AS "lastAttemptAt", d.finished_at AS "finishedAt"`;

export class DeliveryStore {
  /**
   * Événements et un envoi par abonnement de chacun, en une instruction (tableaux dépliés : même forme quel que soit le
   * nombre) ; renvoie les ids des envois, dans l'ordre des événements puis des abonnements.
   */
  async insertEvents(trx: Tx, tenantId: string, items: Array<{ event: NewEvent; webhookIds: string[] }>): Promise<string[]> {
    const eventIds = items.map(() => uuidv7());
    const deliveries = items.flatMap((item, i) => item.webhookIds.map((webhookId) => ({ id: uuidv7(), webhookId, eventId: eventIds[i]! })));
    const text = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    await sql`WITH event AS (
        INSERT INTO webhook_event (id, tenant_id, topic, occurred_at, entity, record_id, data)
        SELECT e.id, ${tenantId}::uuid, e.topic, e.occurred_at, e.entity, e.record_id, e.data::jsonb
        FROM unnest(${eventIds}::uuid[], ${items.map((i) => i.event.topic)}::text[], ${items.map((i) => i.event.occurredAt.toISOString())}::timestamptz[],
                    ${items.map((i) => i.event.entity ?? null)}::text[], ${items.map((i) => i.event.recordId ?? null)}::text[],
                    ${items.map((i) => text(i.event.data))}::text[]) AS e(id, topic, occurred_at, entity, record_id, data))
      INSERT INTO webhook_delivery (id, tenant_id, webhook_id, event_id)
      SELECT d.id, ${tenantId}::uuid, d.webhook_id, d.event_id
      FROM unnest(${deliveries.map((d) => d.id)}::uuid[], ${deliveries.map((d) => d.webhookId)}::uuid[], ${deliveries.map((d) => d.eventId)}::uuid[])
        AS d(id, webhook_id, event_id)`.execute(trx);
    return deliveries.map((d) => d.id);
  }

  /**
   * Un envoi d'un événement à un abonnement : nouvel événement, ou (`eventId`) événement existant rejoué. Les envois
   * manuels (essai, rejeu) partent même vers un abonnement inactif et ne comptent pas dans ses échecs consécutifs.
   */
  async insertOne(trx: Tx, tenantId: string, event: NewEvent | { eventId: string }, webhookId: string, options: { manual?: boolean; replayOf?: string } = {}): Promise<string> {
    const id = uuidv7();
    const eventId = 'eventId' in event ? event.eventId : uuidv7();
    const delivery = sql`INSERT INTO webhook_delivery (id, tenant_id, webhook_id, event_id, manual, replay_of)
      VALUES (${id}::uuid, ${tenantId}::uuid, ${webhookId}::uuid, ${eventId}::uuid, ${options.manual ?? false}, ${options.replayOf ?? null}::uuid)`;
    if ('eventId' in event) await delivery.execute(trx);
    else {
      await sql`WITH event AS (INSERT INTO webhook_event (id, tenant_id, topic, occurred_at, data)
        VALUES (${eventId}::uuid, ${tenantId}::uuid, ${event.topic}, ${event.occurredAt.toISOString()}::timestamptz, ${JSON.stringify(event.data ?? {})}::jsonb)) ${delivery}`.execute(trx);
    }
    return id;
  }

  /** Envois, avec leur événement et leur abonnement (absents : inconnus) ; `webhookTable` : table de l'entité webhook. */
  async pending(trx: Tx, webhookTable: string, ids: string[]): Promise<PendingDelivery[]> {
    const { rows } = await sql<PendingDelivery>`
      SELECT d.id, d.status, d.manual, d.event_id, e.topic, e.occurred_at, e.entity, e.record_id, e.data, d.webhook_id,
             w.url, w.secret, w.headers, w.active, w.deleted_at IS NOT NULL AS deleted
      FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id LEFT JOIN ${sql.table(webhookTable)} w ON w.id = d.webhook_id
      WHERE d.id = ANY(${ids}::uuid[])`.execute(trx);
    return rows;
  }

  /** Garde l'instantané de l'événement ; le premier écrit l'emporte (envois concurrents d'un même événement). */
  async snapshot(trx: Tx, eventId: string, data: unknown, options: LastStatement = {}): Promise<unknown> {
    const { rows } = await run(sql<{ data: unknown }>`UPDATE webhook_event SET data = coalesce(data, ${JSON.stringify(data)}::jsonb)
      WHERE id = ${eventId} RETURNING data`, trx, options);
    return rows[0]?.data ?? data;
  }

  async skip(trx: Tx, id: string, reason: string): Promise<void> {
    await sql`UPDATE webhook_delivery SET status = 'skipped', error = ${reason}, finished_at = now() WHERE id = ${id}`.execute(trx);
  }

  /**
   * Échec d'une tentative et compteur d'échecs consécutifs de l'abonnement (un envoi manuel — essai, rejeu — n'y
   * touche pas), augmenté par un échec définitif ; renvoie alors le compteur. Les succès : recordSuccesses.
   */
  async record(trx: Tx, webhookTable: string, id: string, result: AttemptResult, options: LastStatement = {}): Promise<number | undefined> {
    const status: DeliveryStatus = result.ok ? 'succeeded' : result.final ? 'failed' : 'retrying';
    const finished = status !== 'retrying';
    const update = sql`UPDATE webhook_delivery SET status = ${status}, attempts = ${result.attempt}, response_status = ${result.status},
      duration_ms = ${result.durationMs}, response_body = ${result.body}, error = ${result.error}, last_attempt_at = now(),
      finished_at = ${finished ? sql`now()` : sql`NULL`} WHERE id = ${id} RETURNING webhook_id, manual`;
    const webhook = sql.table(webhookTable);
    if (!result.final) {
      await run(update, trx, options);
      return undefined;
    }
    const { rows } = await run(sql<{ failure_count: number }>`WITH d AS (${update}) UPDATE ${webhook} AS w SET failure_count = w.failure_count + 1 FROM d
      WHERE w.id = d.webhook_id AND NOT d.manual RETURNING w.failure_count`, trx, options);
    return rows[0]?.failure_count;
  }

  /** Succès de plusieurs envois en une instruction (dernière de la transaction) ; compteurs d'échecs remis à zéro. */
  async recordSuccesses(trx: Tx, webhookTable: string, results: SuccessResult[]): Promise<void> {
    const column = <K extends keyof SuccessResult>(key: K) => results.map((r) => r[key]);
    await executeFinal(trx, sql`WITH d AS (
        UPDATE webhook_delivery SET status = 'succeeded', attempts = v.attempt, response_status = v.status, duration_ms = v.duration,
          response_body = v.body, error = NULL, last_attempt_at = now(), finished_at = now()
        FROM unnest(${column('id')}::uuid[], ${column('attempt')}::int[], ${column('status')}::int[], ${column('durationMs')}::int[], ${column('body')}::text[])
          AS v(id, attempt, status, duration, body)
        WHERE webhook_delivery.id = v.id RETURNING webhook_delivery.webhook_id, webhook_delivery.manual)
      UPDATE ${sql.table(webhookTable)} AS w SET failure_count = 0 FROM (SELECT DISTINCT webhook_id FROM d WHERE NOT manual) AS x
      WHERE w.id = x.webhook_id AND w.failure_count <> 0`);
  }

  async list(trx: Tx, webhookId: string, filter: { status?: DeliveryStatus; cursor?: string; limit: number }) {
    const { rows } = await sql<Record<string, unknown>>`SELECT ${DELIVERY_COLUMNS}
      FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id
      WHERE d.webhook_id = ${webhookId}
        ${filter.status ? sql`AND d.status = ${filter.status}` : sql``}
        ${filter.cursor ? sql`AND d.id < ${filter.cursor}::uuid` : sql``}
      ORDER BY d.id DESC LIMIT ${filter.limit + 1}`.execute(trx);
    const more = rows.length > filter.limit;
    const data = rows.slice(0, filter.limit);
    return { data, meta: { nextCursor: more ? String(data.at(-1)!.id) : null } };
  }

  async get(trx: Tx, id: string): Promise<Record<string, unknown> | undefined> {
    const { rows } = await sql<Record<string, unknown>>`SELECT ${DELIVERY_COLUMNS}
      FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id WHERE d.id = ${id}::uuid`.execute(trx);
    return rows[0];
  }
}
