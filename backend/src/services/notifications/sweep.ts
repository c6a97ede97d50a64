// Vieillissement des notifications, tenant par tenant selon ses réglages, en instructions ensemblistes : une non
// lue restée trop longtemps à sa priorité monte d'un cran (`notifications.escalateAfterHours`), une notification plus
// ancienne que `notifications.expireAfterDays` disparaît ; les utilisateurs touchés sont signalés (flux SSE). Les
// courriels restés en attente (nœud arrêté avant l'envoi) repartent.
import { sql } from 'kysely';
import type { Settings } from '../../config/settings.js';
import { executeAtCommit, inTenant } from '../../db/transaction.js';
import { sendPending, type EmailChannelDeps } from './email-channel.js';
import { NOTIFICATIONS_CHANNEL, signalPayload } from './signal.js';
import { uuidAt } from './uuid-time.js';

export interface SweepReport {
  escalated: number;
  expired: number;
  emailed: number;
}

export interface SweepDeps extends EmailChannelDeps {
  settings: Settings;
}

export type EscalationHours = Record<'low' | 'normal' | 'high', number>;

// durée d'un jour : une unité, pas un réglage
const DAY_MS = 86_400_000;

export async function sweepTenant(deps: SweepDeps, tenantId: string, now: Date): Promise<SweepReport> {
  const hours = await deps.settings.value<EscalationHours>('notifications.escalateAfterHours', { tenantId });
  const expireDays = await deps.settings.value<number>('notifications.expireAfterDays', { tenantId });
  // un courriel en attente depuis plus longtemps a perdu le nœud qui devait l'envoyer
  const staleEmailMs = (await deps.settings.platformValue<number>('notifications.email.catchUpSeconds')) * 1000;
  const { escalated, expired } = await inTenant(deps.db, { tenantId }, async (trx) => {
    const up = await sql<{ user_id: string; n: number }>`
      WITH rules (priority, hours) AS (SELECT * FROM unnest(ARRAY[0, 1, 2]::smallint[], ${[hours.low, hours.normal, hours.high]}::int[])),
      up AS (
        UPDATE notification n SET priority = n.priority + 1, priority_at = ${now}, seq = nextval('notification_seq'), changed_at = clock_timestamp()
        FROM rules r
        WHERE n.state = 'unread' AND n.priority = r.priority AND r.hours > 0
          AND n.priority_at <= ${now}::timestamptz - make_interval(hours => r.hours)
        RETURNING n.user_id)
      SELECT user_id, count(*)::int AS n FROM up GROUP BY user_id`.execute(trx);
    const gone = expireDays > 0
      ? await sql<{ user_id: string; n: number }>`
          WITH gone AS (DELETE FROM notification WHERE id < ${uuidAt(now.getTime() - expireDays * DAY_MS)}::uuid RETURNING user_id)
          SELECT user_id, count(*)::int AS n FROM gone GROUP BY user_id`.execute(trx)
      : { rows: [] };
    const users = [...new Set([...up.rows, ...gone.rows].map((r) => r.user_id))];
    if (users.length) {
      const payloads = users.map((u) => signalPayload(tenantId, u, ''));
      await executeAtCommit(trx, sql`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`);
    }
    const total = (rows: Array<{ n: number }>) => rows.reduce((sum, r) => sum + r.n, 0);
    return { escalated: total(up.rows), expired: total(gone.rows) };
  });
  const emailed = await sendPending(deps, tenantId, new Date(now.getTime() - staleEmailMs));
  return { escalated, expired, emailed };
}
