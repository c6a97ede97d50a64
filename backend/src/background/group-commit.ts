// Écritures groupées (« group commit ») : pendant qu'une écriture part, les éléments suivants s'accumulent et partent
// ensemble dans la suivante. Sous charge, une instruction pour des dizaines d'éléments ; au calme, aucune attente.
// Chaque appelant attend l'écriture qui emporte son élément (et en reçoit l'erreur éventuelle).
export class GroupCommit<T> {
  private pending: T[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly write: (batch: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    this.pending.push(item);
    const written = this.chain.then(() => this.flush());
    this.chain = written.catch(() => undefined);
    return written;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    await this.write(batch);
  }
}
