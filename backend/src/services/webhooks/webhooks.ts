// Webhooks : abonnements (entité `webhook`), distribution des événements de l'outbox, envois par la file des travaux
// (nouvelles tentatives espacées), journal des envois, rejeu, essai, secret de signature (lecture et rotation par un
// administrateur) et dépôt d'un envoi par le moteur de règles (`enqueue`).
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import type { HookBus } from '../../events/hooks.js';
import type { OutboxDispatcher } from '../../events/outbox.js';
import { appendAudit } from '../../audit/writer.js';
import { notFound } from '../../errors/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Outbound } from '../outbound/outbound.js';
import { deliveryJob, type DeliveryPayload, type DeliveryServices } from './delivery-job.js';
import { DeliveryStore, type DeliveryStatus } from './delivery-store.js';
import { bulkSnapshots } from './bulk-snapshots.js';
import { DELIVER_JOB, EventFanOut } from './fan-out.js';
import { WebhookSender } from './sender.js';
import { generateSecret } from './signature.js';
import { SubscriptionCache } from './subscriptions.js';
import { installWebhookRules } from './webhook-rules.js';

export interface WebhookDeps extends DeliveryServices {
  hooks: HookBus;
  dispatcher: OutboxDispatcher;
  jobs: JobQueue;
  outbound: Outbound;
  tenantTx: TenantTx;
}

export interface WebhookOptions {
  /** tentatives par envoi (défaut 8 : la dernière environ 21 minutes après la première) */
  maxAttempts?: number;
  /** délai avant la 2e tentative, doublé ensuite (défaut 10 s) */
  backoffMs?: number;
}

/** délai d'un travail d'envoi : au-delà du plus long délai d'envoi permis (maximum de webhooks.timeoutSeconds, 60 s) ; il le suit */
const JOB_TIMEOUT_MS = 90_000;
const PING_TOPIC = 'webhook.ping';

export class Webhooks {
  readonly store = new DeliveryStore();
  readonly cache: SubscriptionCache;
  private readonly sender: WebhookSender;

  constructor(private readonly deps: WebhookDeps, private readonly options: WebhookOptions = {}) {
    this.cache = new SubscriptionCache(() => deps.registry.global().get('webhook')!.table);
    this.sender = new WebhookSender(deps.outbound);
  }

  install(): void {
    const { deps } = this;
    installWebhookRules(deps.hooks, deps.outbound, deps.box, this.cache);
    const fanOut = new EventFanOut(this.cache, this.store, deps.jobs, bulkSnapshots(deps.registry));
    deps.dispatcher.subscribe('*', (event, trx) => fanOut.handle(event, trx), { flush: (trx) => fanOut.flush(trx) });
    deps.jobs.register<DeliveryPayload>({
      name: DELIVER_JOB,
      label: { en: 'Deliver a webhook', fr: 'Envoyer un webhook' },
      ...deliveryJob({ ...deps, store: this.store, sender: this.sender, cache: this.cache }),
      maxAttempts: this.options.maxAttempts ?? 8,
      backoffMs: this.options.backoffMs ?? 10_000,
      timeoutMs: JOB_TIMEOUT_MS,
    });
  }

  /** Abonnements d'un tenant changés (ce nœud ou un autre). */
  invalidate(tenantId?: string): void {
    this.cache.invalidate(tenantId);
  }

  /**
   * Un envoi d'un événement à un abonnement, dans la transaction de l'appelant (tenant posé) : pour le moteur de
   * règles. L'envoi part après le commit, même si l'abonnement ne suit pas ce sujet ; renvoie l'id de l'envoi.
   */
  async enqueue(trx: Tx, tenantId: string, webhookId: string, topic: string, data: unknown): Promise<string> {
    const id = await this.store.insertOne(trx, tenantId, { topic, occurredAt: new Date(), data }, webhookId);
    await this.deps.jobs.enqueueMany(trx, tenantId, DELIVER_JOB, [{ deliveryId: id }]);
    return id;
  }

  /** Journal des envois d'un abonnement visible de l'appelant, du plus récent au plus ancien. */
  async deliveries(ctx: RequestContext, webhookId: string, filter: { status?: DeliveryStatus; cursor?: string; limit: number }) {
    return this.withWebhook(ctx, webhookId, 'read', (trx) => this.store.list(trx, webhookId, filter));
  }

  /** Nouvel envoi du même événement (même id d'événement : le destinataire peut écarter un doublon). */
  async replay(ctx: RequestContext, deliveryId: string) {
    const catalog = await this.deps.catalog(ctx.tenantId);
    const model = this.deps.records.entity(ctx, catalog, 'webhook', 'update');
    return this.deps.tenantTx(ctx, async (trx) => {
      const original = await this.store.get(trx, deliveryId);
      if (!original) throw notFound('Unknown delivery');
      await this.deps.records.get(trx, ctx, catalog, model, String(original.webhookId));
      const id = await this.store.insertOne(trx, ctx.tenantId, { eventId: String(original.eventId) }, String(original.webhookId), { manual: true, replayOf: deliveryId });
      await this.deps.jobs.enqueueMany(trx, ctx.tenantId, DELIVER_JOB, [{ deliveryId: id }]);
      await appendAudit(trx, ctx, [{ action: 'webhook.replayed', entity: 'webhook', recordId: String(original.webhookId), changes: { delivery: id, replayOf: deliveryId } }]);
      return (await this.store.get(trx, id))!;
    }, { write: true });
  }

  /** Envoi d'essai (`webhook.ping`), même à un abonnement inactif ; il ne compte pas dans les échecs consécutifs. */
  async test(ctx: RequestContext, webhookId: string) {
    return this.withWebhook(ctx, webhookId, 'update', async (trx, webhook) => {
      const data = { webhook: { id: webhookId, eid: webhook.eid, name: webhook.name }, message: 'Test delivery from OpsFlux' };
      const id = await this.store.insertOne(trx, ctx.tenantId, { topic: PING_TOPIC, occurredAt: new Date(), data }, webhookId, { manual: true });
      await this.deps.jobs.enqueueMany(trx, ctx.tenantId, DELIVER_JOB, [{ deliveryId: id }]);
      return (await this.store.get(trx, id))!;
    });
  }

  /** Secret de signature en clair (administrateurs) ; la lecture est auditée. */
  async secret(ctx: RequestContext, webhookId: string): Promise<string> {
    return this.withWebhook(ctx, webhookId, 'read', async (trx, webhook) => {
      const table = sql.table(this.deps.registry.global().get('webhook')!.table);
      const { rows } = await sql<{ secret: string }>`SELECT secret FROM ${table} WHERE id = ${webhook.id as string}`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'webhook.secret_read', entity: 'webhook', recordId: webhookId }]);
      return this.deps.box.open(rows[0]!.secret);
    });
  }

  /** Nouveau secret (l'ancien cesse aussitôt de signer) ; renvoyé en clair une fois. */
  async rotateSecret(ctx: RequestContext, webhookId: string): Promise<string> {
    const secret = generateSecret();
    const catalog = await this.deps.catalog(ctx.tenantId);
    const model = this.deps.records.entity(ctx, catalog, 'webhook', 'update');
    await this.deps.tenantTx(ctx, async (trx) => {
      await this.deps.records.update(trx, ctx, catalog, model, webhookId, { secret });
      await appendAudit(trx, ctx, [{ action: 'webhook.secret_rotated', entity: 'webhook', recordId: webhookId }]);
    }, { write: true });
    return secret;
  }

  /** Travail sur un abonnement que l'appelant peut lire / modifier (403 sans le droit, 404 s'il ne le voit pas). */
  private async withWebhook<T>(ctx: RequestContext, id: string, action: 'read' | 'update', work: (trx: Tx, webhook: Record<string, unknown>) => Promise<T>): Promise<T> {
    const catalog = await this.deps.catalog(ctx.tenantId);
    const model = this.deps.records.entity(ctx, catalog, 'webhook', action);
    return this.deps.tenantTx(ctx, async (trx) => work(trx, await this.deps.records.get(trx, ctx, catalog, model, id)), { write: action === 'update' });
  }
}
