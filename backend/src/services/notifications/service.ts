// NotificationService : API des autres services (`notify`), lectures et changements d'état de l'utilisateur,
// préférences de canaux, flux SSE (signaux NOTIFY de tous les nœuds), courriels après commit et vieillissement.
import { randomUUID } from 'node:crypto';
import { activeTenants } from '../../tenancy/tenants.js';
import type { Database } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import { validationFailed } from '../../errors/problem.js';
import type { Preferences } from '../../iam/preferences.js';
import {
  CHANNELS_KEY, EMAIL_SWITCH_KEY, channelsPreference, effectiveChannels, nextChannels, payloadErrors,
  type ChannelPreferences, type ChannelsPayload,
} from './channels.js';
import { EmailSender } from './email-channel.js';
import { DEFAULT_FEED_TIMING, NotificationFeed, type FeedEvent, type FeedTiming } from './feed.js';
import { NotificationHub } from './hub.js';
import { NOTIFICATIONS_CHANNEL, parseSignal } from './signal.js';
import { changeState, listPage, readAll, toView, type ListState, type StateAction } from './store.js';
import { sweepTenant, type SweepDeps, type SweepReport } from './sweep.js';
import type { NotificationTextDeps } from './texts.js';
import type { NotificationView, NotifyInput, NotifyResult } from './types.js';
import { checkInput, writeNotifications } from './write.js';

export interface NotificationDeps extends SweepDeps, NotificationTextDeps {
  /** signaux NOTIFY de tous les nœuds */
  listen: Database['listen'];
  preferences: Preferences;
  tenantTx: TenantTx;
}

export interface NotificationList {
  data: NotificationView[];
  meta: { nextCursor: string | null; unreadCount: number };
}

export class NotificationService {
  /** identifiant de ce nœud dans les signaux : seul le nœud qui écrit envoie les courriels */
  readonly node = randomUUID();
  readonly hub = new NotificationHub();
  private readonly emails: EmailSender;
  private readonly feeds = new Set<NotificationFeed>();
  /** fenêtres de rattrapage des flux (réglages `notifications.feed.*`), relues à chaque ouverture pour les suivantes */
  private feedTiming: FeedTiming = DEFAULT_FEED_TIMING;
  private unlisten?: () => Promise<void>;

  constructor(private readonly deps: NotificationDeps, private readonly onError: (error: unknown) => void = () => undefined) {
    deps.preferences.declare(channelsPreference);
    this.emails = new EmailSender(deps, onError);
  }

  /** Écoute les signaux de tous les nœuds ; l'envoi des courriels de ce nœud démarre. */
  async start(): Promise<void> {
    await this.readFeedTiming();
    this.emails.start(60_000);
    this.unlisten = await this.deps.listen(NOTIFICATIONS_CHANNEL, (payload) => {
      const signal = parseSignal(payload);
      if (!signal) return;
      this.hub.wake(signal.tenantId, signal.userId);
      if (signal.node === this.node) this.emails.request(signal.tenantId);
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.feeds].map((feed) => feed.stop()));
    await this.unlisten?.();
    await this.emails.stop();
  }

  /**
   * Notifie des utilisateurs et les membres de rôles. Avec `trx`, les lignes sont écrites dans cette transaction
   * (validées ou annulées avec l'écriture métier) ; sinon dans une transaction à elles.
   */
  async notify(input: NotifyInput): Promise<NotifyResult> {
    checkInput(input);
    const catalog = await this.deps.catalog(input.tenantId);
    const audience = { tenantId: input.tenantId };
    const limits = {
      windowMinutes: await this.deps.settings.value<number>('notifications.coalesceMinutes', audience, input.trx),
      perMinute: await this.deps.settings.value<number>('notifications.maxPerUserPerMinute', audience, input.trx),
    };
    const write = (trx: NonNullable<NotifyInput['trx']>) => writeNotifications(this.deps, trx, catalog, input, limits, this.node);
    return input.trx ? write(input.trx) : inTenant(this.deps.db, audience, write);
  }

  async list(ctx: RequestContext, state: ListState, limit: number, cursor?: string): Promise<NotificationList> {
    const page = await this.deps.tenantTx(ctx, (trx) => listPage(trx, ctx.userId!, state, limit, cursor));
    return { data: page.rows.map((row) => toView(row, ctx.locale)), meta: { nextCursor: page.nextCursor, unreadCount: page.unread } };
  }

  /** undefined : pas une notification de l'appelant. */
  async setState(ctx: RequestContext, id: string, action: StateAction): Promise<NotificationView | undefined> {
    const row = await this.deps.tenantTx(ctx, (trx) => changeState(trx, ctx.tenantId, ctx.userId!, id, action));
    return row && toView(row, ctx.locale);
  }

  async readAll(ctx: RequestContext): Promise<number> {
    return this.deps.tenantTx(ctx, (trx) => readAll(trx, ctx.tenantId, ctx.userId!));
  }

  async preferences(ctx: RequestContext): Promise<ChannelPreferences> {
    const catalog = await this.deps.catalog(ctx.tenantId);
    const values = await this.deps.tenantTx(ctx, (trx) => this.deps.preferences.effective(trx, catalog, ctx.userId!));
    return effectiveChannels({ channels: values[CHANNELS_KEY], email: values[EMAIL_SWITCH_KEY] });
  }

  /** Remplace les préférences données (priorités fusionnées, catégories remplacées) ; 400 avec les champs fautifs. */
  async setPreferences(ctx: RequestContext, payload: unknown): Promise<ChannelPreferences> {
    const errors = payloadErrors(payload, ctx.locale);
    if (errors.length) throw validationFailed(errors);
    const patch = payload as ChannelsPayload;
    const next = nextChannels(await this.preferences(ctx), patch);
    const catalog = await this.deps.catalog(ctx.tenantId);
    await this.deps.tenantTx(ctx, async (trx) => {
      await this.deps.preferences.set(trx, ctx, catalog, CHANNELS_KEY, next);
      if (patch.email !== undefined) await this.deps.preferences.set(trx, ctx, catalog, EMAIL_SWITCH_KEY, patch.email);
    }, { write: true });
    return this.preferences(ctx);
  }

  /** Flux d'un abonné SSE ; `stop()` à la fermeture de la connexion. */
  openFeed(owner: { tenantId: string; userId: string; locale: string }, lastEventId: number | undefined, send: (event: FeedEvent) => void): { stop(): Promise<void> } {
    const feed = new NotificationFeed(this.deps.db, this.hub, owner, lastEventId, send, this.onError, this.feedTiming);
    this.feeds.add(feed);
    feed.start();
    // l'ouverture reste synchrone : un réglage changé vaut pour les flux ouverts ensuite
    void this.readFeedTiming().catch(this.onError);
    return {
      stop: async () => {
        this.feeds.delete(feed);
        await feed.stop();
      },
    };
  }

  private async readFeedTiming(): Promise<void> {
    const { settings } = this.deps;
    this.feedTiming = {
      catchUpMs: (await settings.platformValue<number>('notifications.feed.catchUpSeconds')) * 1000,
      lookbackSeconds: await settings.platformValue<number>('notifications.feed.lookbackSeconds'),
    };
  }

  /**
   * Vieillissement à l'instant `now` des tenants actifs (ou de ceux donnés) ; public pour un planificateur cron.
   * Une instruction par règle et par tenant, jamais une par notification.
   */
  async sweep(now: Date = new Date(), tenantIds?: string[]): Promise<SweepReport> {
    const report: SweepReport = { escalated: 0, expired: 0, emailed: 0 };
    const tenants = tenantIds ?? (await activeTenants(this.deps.db)).map((t) => t.id);
    for (const tenantId of tenants) {
      const one = await sweepTenant(this.deps, tenantId, now).catch((error: unknown) => {
        this.onError(error);
        return undefined;
      });
      if (one) for (const key of ['escalated', 'expired', 'emailed'] as const) report[key] += one[key];
    }
    return report;
  }
}
