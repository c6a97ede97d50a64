// Travail `webhook.deliver` : un envoi d'un événement à un abonnement. Lecture de l'envoi (et, au premier envoi de
// l'événement, de l'instantané de l'enregistrement en contexte système), POST signé hors de toute transaction,
// puis résultat et compteur d'échecs ; un échec lève JobFailure : la file réessaie avec un délai croissant.
import { sql } from 'kysely';
import { GroupCommit } from '../../background/group-commit.js';
import type { Settings } from '../../config/settings.js';
import type { SecretBox } from '../../keys/secret-box.js';
import type { Db } from '../../db/database.js';
import { executeAtCommit, inTenant, type Tx } from '../../db/transaction.js';
import { type RequestContext, systemContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog, EntityRegistry } from '../../engine/registry.js';
import type { CatalogOf } from '../../engine/tenant-work.js';
import { appendAudit } from '../../audit/writer.js';
import type { NotifyAdministrators } from '../notifications/admin-notices.js';
import { JobFailure } from '../jobs/queue.js';
import type { JobRun } from '../jobs/types.js';
import type { DeliveryStore, PendingDelivery, SuccessResult } from './delivery-store.js';
import type { WebhookSender } from './sender.js';
import { signatureHeader } from './signature.js';
import { WEBHOOKS_CHANNEL, type SubscriptionCache } from './subscriptions.js';

export interface DeliveryPayload {
  deliveryId: string;
}

/** Services de la plateforme dont l'envoi a besoin. */
export interface DeliveryServices {
  db: Db;
  registry: EntityRegistry;
  records: RecordService;
  settings: Settings;
  catalog: CatalogOf;
  notifyAdministrators: NotifyAdministrators;
  /** secrets de signature scellés */
  box: SecretBox;
}

export interface DeliveryDeps extends DeliveryServices {
  store: DeliveryStore;
  sender: WebhookSender;
  cache: SubscriptionCache;
}

const USER_AGENT = 'OpsFlux-Webhooks/1';

/**
 * Données de l'événement : stockées, ou (premier envoi de l'événement) instantané de l'enregistrement chargé en
 * contexte système et gardé pour les tentatives et envois suivants (id seul si l'enregistrement a disparu).
 */
async function eventData(deps: DeliveryDeps, catalog: Catalog, row: PendingDelivery, ctx: RequestContext): Promise<unknown> {
  if (row.data !== null || !row.record_id) return row.data;
  const model = row.entity ? catalog.get(row.entity) : undefined;
  return inTenant(deps.db, ctx, async (trx) => {
    const record = model ? await deps.records.get(trx, ctx, catalog, model, row.record_id!, 'with').catch(() => undefined) : undefined;
    return deps.store.snapshot(trx, row.event_id, record ?? { id: row.record_id }, { last: true });
  });
}

/** Envois lus en une instruction (BEGIN, contexte, SELECT et COMMIT en un aller-retour sur le serveur). */
const readPending = (deps: DeliveryDeps, table: string, tenantId: string, ids: string[]) =>
  inTenant(deps.db, { tenantId }, (trx) => deps.store.pending(trx, table, ids), { singleStatement: true });

/** Envoi à faire (lu d'avance avec son lot, sinon maintenant), ou motif pour lequel il ne part pas. */
async function pendingDelivery(deps: DeliveryDeps, table: string, tenantId: string, id: string, read?: PendingDelivery): Promise<{ row?: PendingDelivery; skipped?: string }> {
  const row = read ?? (await readPending(deps, table, tenantId, [id]))[0];
  if (!row) return { skipped: 'unknown delivery' };
  if (['succeeded', 'failed', 'skipped'].includes(row.status)) return { skipped: 'already finished' };
  const skipped = row.deleted || row.url === null ? 'webhook deleted' : !row.active && !row.manual ? 'webhook inactive' : undefined;
  if (!skipped) return { row };
  await inTenant(deps.db, { tenantId }, (trx) => deps.store.skip(trx, row.id, `Skipped: ${skipped}`));
  return { skipped };
}

/** Travail `webhook.deliver` : lecture groupée des envois d'un lot réservé, puis un gestionnaire par envoi. */
export function deliveryJob(deps: DeliveryDeps) {
  const { store } = deps;
  const prefetched = new Map<string, PendingDelivery>();
  // un lot : une lecture par tenant (si son catalogue est en mémoire ; sinon chaque envoi lit le sien)
  const prepare = async (jobs: Array<JobRun<DeliveryPayload>>) => {
    const byTenant = new Map<string, string[]>();
    for (const job of jobs) byTenant.set(job.tenantId!, [...(byTenant.get(job.tenantId!) ?? []), job.payload.deliveryId]);
    for (const [tenantId, ids] of byTenant) {
      const table = deps.registry.peek(tenantId)?.get('webhook')?.table;
      if (table) for (const row of await readPending(deps, table, tenantId, ids)) prefetched.set(row.id, row);
    }
  };
  // succès d'un tenant écrits par lots : sous charge, une transaction pour des dizaines d'envois
  const successes = new Map<string, GroupCommit<SuccessResult & { table: string }>>();
  const successesOf = (tenantId: string) => {
    let group = successes.get(tenantId);
    if (!group) {
      group = new GroupCommit((batch) => inTenant(deps.db, { tenantId }, (trx) => store.recordSuccesses(trx, batch[0]!.table, batch)));
      successes.set(tenantId, group);
    }
    return group;
  };
  const handler = async (job: JobRun<DeliveryPayload>): Promise<unknown> => {
    const read = prefetched.get(job.payload.deliveryId);
    prefetched.delete(job.payload.deliveryId);
    const tenantId = job.tenantId!;
    const ctx = systemContext(tenantId, `webhook-${job.payload.deliveryId}`);
    // lus hors transaction (caches) : sur PGlite, une seule connexion
    const catalog = await deps.catalog(tenantId);
    const table = catalog.get('webhook')!.table;
    const timeoutSeconds = await deps.settings.value<number>('webhooks.timeoutSeconds', { tenantId });
    const { row, skipped } = await pendingDelivery(deps, table, tenantId, job.payload.deliveryId, read);
    if (!row) return { skipped };
    const data = await eventData(deps, catalog, row, ctx);
    const body = JSON.stringify({ id: row.event_id, topic: row.topic, occurredAt: new Date(row.occurred_at).toISOString(), tenant: tenantId, data });
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await deps.sender.send({
      url: row.url!,
      body,
      timeoutMs: timeoutSeconds * 1000,
      signal: job.signal,
      headers: {
        ...(row.headers ?? {}),
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-opsflux-event': row.topic,
        'x-opsflux-delivery': row.id,
        'x-opsflux-timestamp': String(timestamp),
        'x-opsflux-signature': signatureHeader(deps.box.open(row.secret!), body, timestamp),
      },
    });
    if (outcome.ok) {
      await successesOf(tenantId).add({ id: row.id, attempt: job.attempt, status: outcome.status, durationMs: outcome.durationMs, body: outcome.body, table });
      return { status: outcome.status, durationMs: outcome.durationMs };
    }
    const final = job.attempt >= job.maxAttempts;
    const maxFailures = !final ? 0 : await deps.settings.value<number>('webhooks.maxFailures', { tenantId });
    const disabled = await inTenant(deps.db, { tenantId }, async (trx) => {
      // nouvelle tentative à venir : rien ne suit, l'instruction part avec le COMMIT
      const failures = await store.record(trx, table, row.id, { ...outcome, final, attempt: job.attempt }, { last: !final });
      if (failures === undefined || failures < maxFailures) return undefined;
      return disable(trx, ctx, table, row.webhook_id, failures);
    });
    if (disabled) {
      deps.cache.invalidate(tenantId);
      void deps.notifyAdministrators(tenantId, disabledNotice(disabled.name, disabled.url, disabled.reason)).catch(() => undefined);
    }
    throw new JobFailure(outcome.error ?? 'Delivery failed');
  };
  return { handler, prepare };
}

/** Désactivation automatique : motif gardé, audit, caches oubliés sur tous les nœuds. */
async function disable(trx: Tx, ctx: RequestContext, table: string, webhookId: string, failures: number) {
  const reason = `${failures} consecutive failed deliveries`;
  const { rows } = await sql<{ name: string; url: string }>`UPDATE ${sql.table(table)} SET active = false, disabled_at = now(), disabled_reason = ${reason},
    version = version + 1, updated_at = now() WHERE id = ${webhookId} AND active RETURNING name, url`.execute(trx);
  if (!rows[0]) return undefined;
  await appendAudit(trx, ctx, [{ action: 'webhook.disabled', entity: 'webhook', recordId: webhookId, changes: { active: { from: true, to: false }, disabledReason: { from: null, to: reason } } }]);
  await executeAtCommit(trx, sql`SELECT pg_notify(${WEBHOOKS_CHANNEL}, ${ctx.tenantId})`);
  return { ...rows[0], reason };
}

function disabledNotice(name: string, url: string, reason: string) {
  return {
    subject: { en: `Webhook "${name}" disabled`, fr: `Webhook « ${name} » désactivé` },
    body: {
      en: `The webhook "${name}" (${url}) was disabled after ${reason}. Check the receiver, look at its delivery log, then enable it again: the failure counter restarts from zero.`,
      fr: `Le webhook « ${name} » (${url}) a été désactivé après ${reason.replace('consecutive failed deliveries', 'envois échoués consécutifs')}. Vérifiez le destinataire et le journal des envois, puis réactivez-le : le compteur d’échecs repart de zéro.`,
    },
  };
}
