// Travail de fond « à vider » (outbox, chaînage de l'audit) : relancé après les commits d'écriture, avec un délai
// minimal entre deux passes pour qu'une passe traite un lot plutôt qu'une ligne (sous charge, des centaines de
// commits par seconde ne font que quelques passes) ; un minuteur rattrape ce que d'autres nœuds ou un arrêt ont laissé.
export interface DrainLoopOptions {
  /** délai minimal entre la fin d'une passe et le début de la suivante (ms) */
  settleMs?: number;
}

export class DrainLoop {
  private running?: Promise<void>;
  private again = false;
  private delayed?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private lastEnd = 0;

  /** `drain` vide tout ce qui est en attente ; ses erreurs vont à `onError` (la passe suivante réessaiera). */
  constructor(
    private readonly drain: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly options: DrainLoopOptions = {},
  ) {}

  start(intervalMs: number): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.cancelDelayed();
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Demande une passe : tout de suite si la précédente est assez ancienne, sinon à la fin du délai. */
  kick(): void {
    if (this.stopped || this.delayed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const wait = this.lastEnd + (this.options.settleMs ?? 0) - Date.now();
    if (wait <= 0) this.pass();
    else this.delayed = setTimeout(() => {
      this.delayed = undefined;
      this.pass();
    }, wait);
  }

  /** Vide tout de suite ce qui attend (passe différée comprise) et attend la fin (tests, arrêt propre). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.delayed) {
        this.cancelDelayed();
        if (this.running) this.again = true;
        else this.pass();
      }
      if (!this.running) return;
      await this.running;
    }
  }

  private pass(): void {
    this.running = this.drain()
      .catch((error) => this.onError(error))
      .finally(() => {
        this.running = undefined;
        this.lastEnd = Date.now();
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private cancelDelayed(): void {
    if (this.delayed) clearTimeout(this.delayed);
    this.delayed = undefined;
  }
}

/** Travailleur de fond bâti sur une DrainLoop : `start`, `stop`, `kick`, `idle` délégués. */
export abstract class DrainWorker {
  protected readonly loop: DrainLoop;

  constructor(onError: (error: unknown) => void, options: DrainLoopOptions = {}) {
    this.loop = new DrainLoop(() => this.pass(), onError, options);
  }

  /** Une passe complète : vide tout ce qui attend. */
  protected abstract pass(): Promise<void>;

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Demande une passe (après un commit) ; les demandes rapprochées sont regroupées. */
  kick(): void {
    this.loop.kick();
  }

  /** Vide ce qui attend et attend la fin (tests, arrêt propre). */
  idle(): Promise<void> {
    return this.loop.idle();
  }
}
