// Cache des secrets déjà vérifiés (jetons personnels, clés d'API) : le résultat d'une vérification — identité ou
// refus — est gardé un court instant, pour qu'une requête authentifiée ne coûte pas une lecture en base.
export class VerifiedCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  /** Valeur gardée pour ce secret, sinon chargée par `load` puis gardée `ttlMs`. */
  async get(secret: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(secret);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await load();
    // borne mémoire : des secrets forgés en masse ne doivent pas faire grossir le cache
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(secret, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** Oublie les entrées dont la valeur répond au critère (révocation, rotation, modification). */
  forget(matches: (value: T) => boolean): void {
    for (const [secret, entry] of this.entries) if (matches(entry.value)) this.entries.delete(secret);
  }
}
