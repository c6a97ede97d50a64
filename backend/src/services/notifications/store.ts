// Lectures et changements d'état des notifications d'un utilisateur, dans une transaction de son tenant (RLS) et
// toujours filtrés par son identifiant : un autre utilisateur ne voit ni ne change rien (404).
import { sql, type RawBuilder } from 'kysely';
import { executeAtCommit, type Tx } from '../../db/transaction.js';
import { NOTIFICATIONS_CHANNEL, signalPayload } from './signal.js';
import { textIn, type StoredText } from './texts.js';
import { PRIORITIES, type NotificationState, type NotificationView } from './types.js';

export interface NotificationRow {
  id: string;
  seq: number;
  state: NotificationState;
  priority: number;
  category: string | null;
  title: StoredText;
  body: StoredText | null;
  link: string | null;
  group_key: string | null;
  count: number;
  created_at: Date;
  updated_at: Date;
  read_at: Date | null;
  archived_at: Date | null;
}

const COLUMNS = sql`id, seq, state, priority, category, title, body, link, group_key, count, created_at, updated_at, read_at, archived_at`;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toView(row: NotificationRow, locale: string): NotificationView {
  return {
    id: row.id, state: row.state, priority: PRIORITIES[row.priority]!, category: row.category,
    title: textIn(row.title, locale)!, body: textIn(row.body, locale), link: row.link, groupKey: row.group_key, count: row.count,
    createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!, readAt: iso(row.read_at), archivedAt: iso(row.archived_at),
  };
}

/** `inbox` : non lues et lues ; `all` : archives comprises. */
export type ListState = NotificationState | 'inbox' | 'all';

const STATE_FILTER: Record<ListState, RawBuilder<unknown>> = {
  unread: sql`state = 'unread'`,
  read: sql`state = 'read'`,
  archived: sql`state = 'archived'`,
  inbox: sql`state <> 'archived'`,
  all: sql`true`,
};

export interface Page {
  rows: NotificationRow[];
  nextCursor: string | null;
  unread: number;
}

export async function listPage(trx: Tx, userId: string, state: ListState, limit: number, before?: string): Promise<Page> {
  const { rows } = await sql<NotificationRow & { unread: number }>`
    SELECT ${COLUMNS}, (SELECT count(*)::int FROM notification WHERE user_id = ${userId} AND state = 'unread') AS unread
    FROM notification WHERE user_id = ${userId} AND ${STATE_FILTER[state]} ${before ? sql`AND id < ${before}` : sql``}
    ORDER BY id DESC LIMIT ${limit + 1}`.execute(trx);
  const unread = rows[0]?.unread ?? (await unreadCount(trx, userId));
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null, unread };
}

export async function unreadCount(trx: Tx, userId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification WHERE user_id = ${userId} AND state = 'unread'`.execute(trx);
  return rows[0]!.n;
}

export type StateAction = 'read' | 'unread' | 'archive';

const TRANSITIONS: Record<StateAction, RawBuilder<unknown>> = {
  read: sql`state = CASE WHEN state = 'archived' THEN state ELSE 'read' END, read_at = coalesce(read_at, now())`,
  unread: sql`state = 'unread', read_at = NULL, archived_at = NULL`,
  archive: sql`state = 'archived', archived_at = coalesce(archived_at, now()), read_at = coalesce(read_at, now())`,
};

/** Change l'état d'une notification de l'utilisateur ; undefined si elle n'est pas à lui (ou n'existe pas). */
export async function changeState(trx: Tx, tenantId: string, userId: string, id: string, action: StateAction): Promise<NotificationRow | undefined> {
  const { rows } = await sql<NotificationRow>`
    UPDATE notification SET ${TRANSITIONS[action]}, seq = nextval('notification_seq'), changed_at = clock_timestamp()
    WHERE id = ${id} AND user_id = ${userId} RETURNING ${COLUMNS}`.execute(trx);
  if (rows[0]) await signalUser(trx, tenantId, userId);
  return rows[0];
}

/** Tout marquer lu : les lignes ne sont pas renvoyées une à une par le flux, seul le compteur l'est. */
export async function readAll(trx: Tx, tenantId: string, userId: string): Promise<number> {
  const result = await sql`UPDATE notification SET state = 'read', read_at = now() WHERE user_id = ${userId} AND state = 'unread'`.execute(trx);
  const changed = Number(result.numAffectedRows ?? 0);
  if (changed) await signalUser(trx, tenantId, userId);
  return changed;
}

function signalUser(trx: Tx, tenantId: string, userId: string): Promise<void> {
  return executeAtCommit(trx, sql`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, ${signalPayload(tenantId, userId, '')})`);
}

/** Plus grand numéro de changement de l'utilisateur (point de départ d'un flux sans Last-Event-ID). */
export async function lastSeq(trx: Tx, userId: string): Promise<number> {
  const { rows } = await sql<{ seq: number | null }>`SELECT max(seq) AS seq FROM notification WHERE user_id = ${userId}`.execute(trx);
  return Number(rows[0]?.seq ?? 0);
}

/**
 * Changements de l'utilisateur après `afterSeq`, plus ceux des dernières secondes (une transaction plus ancienne,
 * donc de numéro plus petit, peut valider après une plus récente) ; `sent` : numéros déjà envoyés, exclus.
 */
export async function changesSince(trx: Tx, userId: string, afterSeq: number, lookback: { seconds: number; sent: number[] }, limit: number): Promise<NotificationRow[]> {
  const { rows } = await sql<NotificationRow>`
    SELECT ${COLUMNS} FROM notification
    WHERE user_id = ${userId} AND seq <> ALL(${lookback.sent}::bigint[])
      AND (seq > ${afterSeq} OR changed_at > clock_timestamp() - make_interval(secs => ${lookback.seconds}))
    ORDER BY seq LIMIT ${limit}`.execute(trx);
  return rows;
}
