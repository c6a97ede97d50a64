// Limitation des échecs de connexion par compte et par adresse IP (fenêtre glissante, en mémoire du nœud).
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

/** Limites en vigueur (lues dans les réglages à chaque contrôle : un changement vaut aussitôt). */
export type ThrottleLimits = () => Promise<ThrottleOptions>;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private options: ThrottleOptions = { maxFailures: 10, windowMs: 15 * 60_000 };

  constructor(private readonly limits: ThrottleLimits) {}

  /** Secondes à attendre si la clé est bloquée, sinon 0. */
  async retryAfter(keys: string[], now = Date.now()): Promise<number> {
    this.options = await this.limits();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.options.maxFailures) wait = Math.max(wait, Math.ceil((recent[0]! + this.options.windowMs - now) / 1000));
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.failures.clear(); // borne mémoire face à une attaque distribuée
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
  }
}

/** Limites d'un type de tentative, tirées des réglages de la plateforme. */
export function throttleFromSettings(settings: { platformValue<T>(key: string): Promise<T> }, failuresKey: string): ThrottleLimits {
  return async () => ({
    maxFailures: await settings.platformValue<number>(failuresKey),
    windowMs: (await settings.platformValue<number>('security.throttle.windowMinutes')) * 60_000,
  });
}
