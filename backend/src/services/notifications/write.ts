// Écriture des notifications d'un appel `notify` dans une transaction du tenant : destinataires, canaux retenus par
// leurs préférences, une seule instruction INSERT … ON CONFLICT pour tous (cumul d'un groupe dans sa fenêtre, plafond
// par minute et par utilisateur au-delà duquel les nouvelles se cumulent dans une notification « trop-plein »), puis
// NOTIFY au COMMIT (identifiants seulement) pour les flux SSE de tous les nœuds.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { executeAtCommit, type Tx } from '../../db/transaction.js';
import type { Catalog } from '../../engine/registry.js';
import { channelsFor, effectiveChannels } from './channels.js';
import { findRecipients } from './recipients.js';
import { signalPayload, NOTIFICATIONS_CHANNEL } from './signal.js';
import { resolveText, type NotificationTextDeps } from './texts.js';
import { PRIORITIES, type NotifyInput, type NotifyResult, type Priority } from './types.js';
import { uuidAt } from './uuid-time.js';

/** groupe réservé aux notifications cumulées au-delà du plafond par minute */
export const OVERFLOW_GROUP = '~overflow';
const OVERFLOW_TITLE = { en: 'More notifications', fr: 'Autres notifications' };
const OVERFLOW_BODY = {
  en: 'Notifications arrived faster than the per-minute limit; the extra ones are counted here.',
  fr: 'Des notifications sont arrivées plus vite que la limite par minute ; les suivantes sont comptées ici.',
};

export interface WriteLimits {
  /** fenêtre de cumul d'un groupe (minutes) */
  windowMinutes: number;
  /** nouvelles notifications par utilisateur et par minute */
  perMinute: number;
}

export function checkInput(input: NotifyInput): void {
  const priority = input.priority ?? 'normal';
  if (!PRIORITIES.includes(priority)) throw new Error(`notify: unknown priority "${String(priority)}"`);
  if (!input.title || (typeof input.title !== 'string' && (typeof input.title.en !== 'string' || typeof input.title.fr !== 'string'))) {
    throw new Error('notify: title must be a text key or { en, fr }');
  }
  if (input.link !== undefined && !(/^\/[^/\\]/.test(input.link) || /^https?:\/\//.test(input.link)) ) throw new Error('notify: link must be an application path or an http(s) URL');
  if (input.link && input.link.length > 2000) throw new Error('notify: link longer than 2000 characters');
  if (input.groupKey !== undefined && (input.groupKey.length === 0 || input.groupKey.length > 200 || input.groupKey === OVERFLOW_GROUP)) throw new Error('notify: invalid groupKey');
}

export async function writeNotifications(deps: NotificationTextDeps, trx: Tx, catalog: Catalog, input: NotifyInput, limits: WriteLimits, node: string): Promise<NotifyResult> {
  const recipients = await findRecipients(trx, catalog, input.users ?? [], input.roles ?? []);
  const priority: Priority = input.priority ?? 'normal';
  const category = input.category ?? null;
  const rows = recipients.flatMap((r) => {
    const channels = channelsFor(effectiveChannels({ channels: r.channels, email: r.emailSwitch }), priority, category);
    const email = channels.email && input.email !== false;
    // ni en application ni par courriel : rien à écrire ; courriel seul : la notification va directement aux archives
    if (!channels.inApp && !email) return [];
    return [{ id: uuidv7(), user: r.id, state: channels.inApp ? 'unread' : 'archived', email }];
  });
  if (rows.length === 0) return { ids: [], recipients: 0 };
  const title = await resolveText(deps, trx, input.title, input.params);
  const body = input.body === undefined ? null : await resolveText(deps, trx, input.body, input.params);
  const since = uuidAt(Date.now() - 60_000);
  const groupKey = input.groupKey ?? null;
  // fenêtre d'un groupe : celle de sa ligne ouverte depuis moins de `windowMinutes`, sinon la tranche de temps courante
  const bucket = sql`floor(extract(epoch FROM now()) / ${limits.windowMinutes * 60})::bigint`;
  const { rows: written } = await sql<{ id: string; user_id: string }>`
    WITH arriving AS (
      SELECT i.id, i.user_id, i.state, i.email, coalesce((
        SELECT n.group_window FROM notification n WHERE n.tenant_id = ${input.tenantId} AND n.user_id = i.user_id AND n.group_key = ${groupKey}
          AND n.created_at > now() - make_interval(mins => ${limits.windowMinutes}) ORDER BY n.created_at DESC LIMIT 1), ${bucket}) AS win
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.user)}::uuid[], ${rows.map((r) => r.state)}::text[], ${rows.map((r) => r.email)}::boolean[])
        AS i(id, user_id, state, email)),
    incoming AS (
      SELECT a.*,
        (SELECT count(*) FROM notification n WHERE n.tenant_id = ${input.tenantId} AND n.user_id = a.user_id AND n.id >= ${since}::uuid) >= ${limits.perMinute}
        AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.tenant_id = ${input.tenantId} AND n.user_id = a.user_id
          AND n.group_key = ${groupKey} AND n.group_window = a.win) AS capped
      FROM arriving a)
    INSERT INTO notification AS n (id, tenant_id, user_id, state, priority, category, title, body, link, group_key, group_window, email_pending, archived_at)
    SELECT i.id, ${input.tenantId}, i.user_id, i.state, ${PRIORITIES.indexOf(priority)},
      CASE WHEN i.capped THEN NULL ELSE ${category}::text END,
      CASE WHEN i.capped THEN ${JSON.stringify(OVERFLOW_TITLE)}::jsonb ELSE ${JSON.stringify(title)}::jsonb END,
      CASE WHEN i.capped THEN ${JSON.stringify(OVERFLOW_BODY)}::jsonb ELSE ${body === null ? null : JSON.stringify(body)}::jsonb END,
      CASE WHEN i.capped THEN NULL ELSE ${input.link ?? null}::text END,
      CASE WHEN i.capped THEN ${OVERFLOW_GROUP} ELSE ${groupKey}::text END,
      CASE WHEN i.capped THEN ${bucket} ELSE i.win END, i.email AND NOT i.capped, CASE WHEN i.state = 'archived' THEN now() END
    FROM incoming i
    ON CONFLICT (tenant_id, user_id, group_key, group_window) WHERE group_key IS NOT NULL DO UPDATE SET
      count = n.count + 1,
      priority = greatest(n.priority, EXCLUDED.priority),
      category = EXCLUDED.category, title = EXCLUDED.title, body = EXCLUDED.body, link = EXCLUDED.link,
      state = CASE WHEN EXCLUDED.state = 'unread' THEN 'unread' ELSE n.state END,
      read_at = CASE WHEN EXCLUDED.state = 'unread' THEN NULL ELSE n.read_at END,
      archived_at = CASE WHEN EXCLUDED.state = 'unread' THEN NULL ELSE n.archived_at END,
      updated_at = now(), changed_at = clock_timestamp(), seq = nextval('notification_seq')
    RETURNING n.id, n.user_id`.execute(trx);
  const payloads = [...new Set(written.map((w) => signalPayload(input.tenantId, w.user_id, node)))];
  await executeAtCommit(trx, sql`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`);
  return { ids: written.map((w) => w.id), recipients: written.length };
}
