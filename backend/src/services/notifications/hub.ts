// Abonnés locaux aux signaux des notifications, par tenant et utilisateur (les flux SSE ouverts sur ce nœud).
export type Wake = () => void;

export class NotificationHub {
  private readonly listeners = new Map<string, Set<Wake>>();

  subscribe(tenantId: string, userId: string, wake: Wake): () => void {
    const key = `${tenantId}:${userId}`;
    const set = this.listeners.get(key) ?? new Set<Wake>();
    set.add(wake);
    this.listeners.set(key, set);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  /** Réveille les flux de cet utilisateur (et d'aucun autre : ni autre utilisateur, ni autre tenant). */
  wake(tenantId: string, userId: string): void {
    for (const wake of this.listeners.get(`${tenantId}:${userId}`) ?? []) wake();
  }

  get size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
