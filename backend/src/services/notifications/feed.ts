// Flux d'un abonné SSE : au réveil (signal NOTIFY de l'utilisateur, regroupé sur un court délai), relit les
// changements de ses notifications depuis le dernier numéro envoyé et le nombre de non lues. Une rafale de
// centaines de cumuls d'un même groupe donne quelques événements, pas des centaines.
import { DrainLoop } from '../../core/drain-loop.js';
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

const SETTLE_MS = 250;
const CATCH_UP_MS = 30_000;
const LOOKBACK_SECONDS = 10;
const BATCH = 200;
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
  ) {
    this.last = lastEventId;
    this.loop = new DrainLoop(() => this.pass(), onError, { settleMs: SETTLE_MS });
  }

  start(): void {
    this.unsubscribe = this.hub.subscribe(this.owner.tenantId, this.owner.userId, () => this.loop.kick());
    this.loop.start(CATCH_UP_MS);
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
    const lookback = this.first ? 0 : LOOKBACK_SECONDS;
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
