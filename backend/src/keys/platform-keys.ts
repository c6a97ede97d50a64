// Trousseau vivant d'un nœud : relu quand un autre processus annonce un changement de clés (`opsflux_keys`, envoyé
// par `opsflux secrets rotate|retire`), et relu à la volée depuis le fichier de clés quand une clé inconnue se présente
// (valeur re-scellée par la commande avant que l'annonce n'arrive ici), au plus une fois par seconde.
import type { Db } from '../db/database.js';
import { readKeyFile } from './key-file.js';
import { KEY_KINDS, type KeyEntry, type KeyKind, type Keyring, type KeySet } from './keyring.js';
import { composeRing, loadKeyParts, readKeyParts, type KeyParts, type KeySources } from './sources.js';

export const KEYS_CHANNEL = 'opsflux_keys';
// relecture du fichier de clés au plus une fois par seconde : anti-rafale technique
const FILE_REFRESH_INTERVAL_MS = 1000;

export class PlatformKeys implements KeySet {
  private ringNow: Keyring;
  private lastFileRefresh = 0;

  private constructor(private readonly db: Db, readonly sources: KeySources, private parts: KeyParts) {
    this.ringNow = composeRing(parts);
  }

  /** Clés du démarrage, des sources contrôlées par `keySources` (contrôles et création de ce qui manque : voir sources.ts). */
  static async open(db: Db, sources: KeySources): Promise<PlatformKeys> {
    return new PlatformKeys(db, sources, await loadKeyParts(db, sources));
  }

  get ring(): Keyring {
    return this.ringNow;
  }

  current(kind: KeyKind): KeyEntry {
    return this.ringNow.current(kind);
  }

  find(kind: KeyKind, id: string): KeyEntry | undefined {
    return this.ringNow.find(kind, id) ?? (this.refreshFromFile() ? this.ringNow.find(kind, id) : undefined);
  }

  all(kind: KeyKind): readonly KeyEntry[] {
    return this.ringNow.all(kind);
  }

  /** Relit toutes les sources ; en cas d'échec (fichier illisible), le trousseau en place reste. */
  async reload(): Promise<void> {
    this.use(await readKeyParts(this.db, this.sources));
  }

  private use(parts: KeyParts): void {
    const ring = composeRing(parts);
    for (const kind of KEY_KINDS) ring.current(kind); // une sorte restée sans clé : erreur, l'ancien trousseau reste
    this.parts = parts;
    this.ringNow = ring;
  }

  private refreshFromFile(): boolean {
    if (!this.sources.file || Date.now() - this.lastFileRefresh < FILE_REFRESH_INTERVAL_MS) return false;
    this.lastFileRefresh = Date.now();
    try {
      this.use({ ...this.parts, file: readKeyFile(this.sources.file) ?? {} });
      return true;
    } catch {
      return false;
    }
  }
}
