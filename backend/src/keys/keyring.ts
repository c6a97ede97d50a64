// Trousseau des clés de la plateforme : par sorte (chiffrement des secrets stockés, signature des jetons d'accès,
// signature des curseurs), une clé courante qui scelle ou signe, et des clés plus anciennes gardées pour ouvrir ou
// vérifier ce qu'elles ont produit. Chaque clé porte un identifiant stable dérivé d'une empreinte de la clé.
import { createHash, randomBytes } from 'node:crypto';

export const KEY_KINDS = ['encryption', 'jwt', 'cursor'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Configuration des clés refusée (clé mal formée, source exigée absente…) : l'exploitant doit la corriger. */
export class KeyConfigurationError extends Error {
  override name = 'KeyConfigurationError';
}

/** Où une clé a été lue : variable d'environnement, fichier de clés, base de données (développement). */
export type KeyOrigin = 'env' | 'file' | 'database';

export interface KeyEntry {
  kind: KeyKind;
  id: string;
  key: Buffer;
  origin: KeyOrigin;
  /** date de création quand la source la connaît */
  createdAt?: string;
}

/** Clés d'un trousseau telles que les lisent la boîte à secrets, le signataire des jetons et les curseurs. */
export interface KeySet {
  /** clé qui scelle ou signe */
  current(kind: KeyKind): KeyEntry;
  /** clé d'identifiant donné ; undefined si elle n'est pas (ou plus) dans le trousseau */
  find(kind: KeyKind, id: string): KeyEntry | undefined;
  /** toutes les clés de la sorte, la courante d'abord */
  all(kind: KeyKind): readonly KeyEntry[];
}

/** Tailles acceptées (octets) : AES-256 exactement, HMAC au moins 32 (la taille de l'empreinte SHA-256). */
const SIZE: Record<KeyKind, { min: number; max?: number }> = {
  encryption: { min: 32, max: 32 },
  jwt: { min: 32 },
  cursor: { min: 32 },
};
/** taille des clés générées */
const GENERATED: Record<KeyKind, number> = { encryption: 32, jwt: 48, cursor: 48 };

/** Raison du refus d'une clé de cette sorte, undefined si elle convient. */
export function keySizeProblem(kind: KeyKind, key: Buffer): string | undefined {
  const { min, max } = SIZE[kind];
  if (max !== undefined && key.length !== max) return `must hold exactly ${max} bytes (got ${key.length})`;
  if (key.length < min) return `must hold at least ${min} bytes (got ${key.length})`;
  return undefined;
}

/** Identifiant stable : empreinte tronquée de la sorte et de la clé (ne révèle rien d'utile de la clé). */
export function keyId(kind: KeyKind, key: Buffer): string {
  return createHash('sha256').update(`opsflux-key:${kind}:`).update(key).digest('hex').slice(0, 16);
}

export function keyEntry(kind: KeyKind, key: Buffer, origin: KeyOrigin, createdAt?: string): KeyEntry {
  const problem = keySizeProblem(kind, key);
  if (problem) throw new KeyConfigurationError(`the ${kind} key ${problem}`);
  return { kind, id: keyId(kind, key), key, origin, ...(createdAt ? { createdAt } : {}) };
}

export function generateKey(kind: KeyKind, origin: KeyOrigin): KeyEntry {
  return keyEntry(kind, randomBytes(GENERATED[kind]), origin, new Date().toISOString());
}

/** Trousseau immuable : par sorte, la liste des clés dont la première est la courante (doublons retirés). */
export class Keyring implements KeySet {
  private readonly byKind: Record<KeyKind, readonly KeyEntry[]>;

  constructor(keys: Partial<Record<KeyKind, readonly KeyEntry[]>>) {
    const byKind = {} as Record<KeyKind, readonly KeyEntry[]>;
    for (const kind of KEY_KINDS) {
      const seen = new Set<string>();
      byKind[kind] = (keys[kind] ?? []).filter((k) => {
        if (k.kind !== kind) throw new Error(`a ${k.kind} key cannot serve as ${kind} key`);
        if (seen.has(k.id)) return false;
        seen.add(k.id);
        return true;
      });
    }
    this.byKind = byKind;
  }

  /** Trousseau d'une seule clé (tests, outils) : les autres sortes sont vides. */
  static single(kind: KeyKind, key: Buffer): Keyring {
    return new Keyring({ [kind]: [keyEntry(kind, key, 'env')] });
  }

  current(kind: KeyKind): KeyEntry {
    const key = this.byKind[kind][0];
    if (!key) throw new Error(`no ${kind} key in the keyring`);
    return key;
  }

  find(kind: KeyKind, id: string): KeyEntry | undefined {
    return this.byKind[kind].find((k) => k.id === id);
  }

  all(kind: KeyKind): readonly KeyEntry[] {
    return this.byKind[kind];
  }
}
