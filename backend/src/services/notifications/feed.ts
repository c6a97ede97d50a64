// Flux d'un abonné SSE : au réveil (signal NOTIFY de l'utilisateur, regroupé sur un court délai), relit les
// changements de ses notifications depuis le dernier numéro envoyé et le nombre de non lues. Une rafale de
// centaines de cumuls d'un même groupe donne quelques événements, pas des centaines.
import { DrainLoop } from '../../background/drain-loop.js';
import { inTenant } from '../../db/transaction.js';
import type { Db } from '../../db/database.js';
import type { NotificationHub } from './hub.js';
import { changesSince, lastSeq, toView, unreadCount } from './store.js';
import type { NotificationView } from './types.js';

export type FeedEvent =
  | { event: 'notification'; id: number; data: NotificationView }
  | { event: 'unread'; data: { count: number } };

export interface FeedOwner {
  tenantId: string;
  userId: string;
  locale: string;
}

/** Fenêtres de rattrapage réglables (`notifications.feed.*`), lues par le service à l'ouverture des flux. */
export interface FeedTiming {
  /** relecture de sécurité périodique : rattrape un signal de réveil perdu */
  catchUpMs: number;
  /** fenêtre relue à chaque passe pour les transactions validées après d'autres plus récentes */
  lookbackSeconds: number;
}

export const DEFAULT_FEED_TIMING: FeedTiming = { catchUpMs: 30_000, lookbackSeconds: 10 };
// regroupement des réveils d'une rafale : une latence perçue, pas une limite d'exploitation
const SETTLE_MS = 250;
// lignes lues par passe (la passe suivante suit aussitôt) : taille de lot technique
const BATCH = 200;
// notifications déjà envoyées gardées pour dédoublonner la fenêtre relue : borne mémoire par flux
const REMEMBERED = 1000;

export class NotificationFeed {
  private readonly loop: DrainLoop;
  private readonly delivered = new Map<string, number>();
  private unsubscribe?: () => void;
  private last?: number;
  private unread?: number;
  private first = true;

  /** `lastEventId` : reprise après ce numéro (en-tête Last-Event-ID) ; absent : à partir de maintenant. */
  constructor(
    private readonly db: Db,
    private readonly hub: NotificationHub,
    private readonly owner: FeedOwner,
    lastEventId: number | undefined,
    private readonly send: (event: FeedEvent) => void,
    onError: (error: unknown) => void,
    private readonly timing: FeedTiming = DEFAULT_FEED_TIMING,
  ) {
    this.last = lastEventId;
    this.loop = new DrainLoop(() => this.pass(), onError, { settleMs: SETTLE_MS });
  }

  start(): void {
    this.unsubscribe = this.hub.subscribe(this.owner.tenantId, this.owner.userId, () => this.loop.kick());
    this.loop.start(this.timing.catchUpMs);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /** Attend la fin de la passe en cours (tests). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  private async pass(): Promise<void> {
    const { tenantId, userId, locale } = this.owner;
    const lookback = this.first ? 0 : this.timing.lookbackSeconds;
    this.first = false;
    const { rows, unread } = await inTenant(this.db, { tenantId, userId }, async (trx) => {
      this.last ??= await lastSeq(trx, userId);
      const sent = lookback ? [...this.delivered.values()] : [];
      return { rows: await changesSince(trx, userId, this.last, { seconds: lookback, sent }, BATCH), unread: await unreadCount(trx, userId) };
    });
    for (const row of rows) {
      this.remember(row.id, row.seq);
      this.last = Math.max(this.last!, row.seq);
      this.send({ event: 'notification', id: row.seq, data: toView(row, locale) });
    }
    if (unread !== this.unread) {
      this.unread = unread;
      this.send({ event: 'unread', data: { count: unread } });
    }
    if (rows.length === BATCH) this.loop.kick();
  }

  private remember(id: string, seq: number): void {
    this.delivered.delete(id);
    this.delivered.set(id, seq);
    if (this.delivered.size > REMEMBERED) this.delivered.delete(this.delivered.keys().next().value!);
  }
}
