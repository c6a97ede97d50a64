// Cycle de vie de la plateforme : chaque domaine y inscrit ses écoutes (canaux NOTIFY entre nœuds), ses services
// démarrés et ses travailleurs de fond au moment où il est assemblé ; la fermeture arrête tout dans l'ordre inverse.
import type { Database } from '../db/database.js';

/** Travailleur de fond : boucle démarrée quand la plateforme distribue, arrêtée à la fermeture. */
export interface BackgroundWorker {
  start(): void;
  stop(): Promise<void>;
}

export class Lifecycle {
  private readonly stops: Array<() => Promise<void>> = [];
  private readonly workers: BackgroundWorker[] = [];

  constructor(private readonly database: Database) {}

  /** Un message sur le canal, émis par n'importe quel nœud, appelle `onMessage` ; l'écoute cesse à la fermeture. */
  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    this.stops.push(await this.database.listen(channel, onMessage));
  }

  /** Démarre un service tout de suite (écoute, cache, bascule) ; il sera arrêté à la fermeture. */
  async started(service: { start(): Promise<void>; stop(): Promise<void> }): Promise<void> {
    await service.start();
    this.stops.push(() => service.stop());
  }

  /** Ressource à libérer à la fermeture (connexions, travaux en cours). */
  onClose(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  /** Travailleur de fond, démarré par `startWorkers` une fois toute la plateforme assemblée. */
  worker(worker: BackgroundWorker): void {
    this.workers.push(worker);
  }

  /** Démarre les travailleurs inscrits, dans l'ordre d'inscription. */
  startWorkers(): void {
    for (const worker of this.workers) worker.start();
  }

  /**
   * Arrête d'abord tous les travailleurs inscrits (démarrés ici ou à la main, comme la file des travaux des tests ;
   * arrêter un travailleur jamais démarré ne fait rien), puis le reste, le plus récent d'abord : écoutes, services,
   * connexions.
   */
  async close(): Promise<void> {
    for (const worker of this.workers.splice(0).reverse()) await worker.stop();
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }
}
