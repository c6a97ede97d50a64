// Fichier de clés (OPSFLUX_KEY_FILE) : JSON lisible par l'exploitant, la première clé de chaque liste est la courante.
//   {"version": 1, "keys": {"encryption": [{"id": "…", "key": "<base64>", "createdAt": "…"}, …], "jwt": […], "cursor": […]}}
// Écrit d'un seul coup (fichier temporaire en mode 0600 puis renommage) : un lecteur voit l'ancien ou le nouveau
// contenu, jamais un fichier à moitié écrit. Lu de façon synchrone (rechargement à la volée, voir platform-keys.ts).
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { KEY_KINDS, KeyConfigurationError, keyEntry, type KeyEntry, type KeyKind } from './keyring.js';

// version du format du fichier de clés : un format, pas une limite
const VERSION = 1;

export type FileKeys = Partial<Record<KeyKind, readonly KeyEntry[]>>;

interface StoredKey {
  id?: unknown;
  key?: unknown;
  createdAt?: unknown;
}

/** Clés du fichier ; undefined s'il n'existe pas ; erreur s'il est illisible ou mal formé. */
export function readKeyFile(path: string): FileKeys | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyConfigurationError(`cannot read the key file ${path}: ${(error as Error).message}`);
  }
  let doc: { version?: unknown; keys?: Record<string, unknown> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new KeyConfigurationError(`the key file ${path} is not valid JSON`);
  }
  if (doc.version !== VERSION || typeof doc.keys !== 'object' || doc.keys === null) throw new KeyConfigurationError(`the key file ${path} is not an OpsFlux key file (version ${VERSION})`);
  const out: Record<string, KeyEntry[]> = {};
  for (const [kind, list] of Object.entries(doc.keys)) {
    if (!(KEY_KINDS as readonly string[]).includes(kind)) throw new KeyConfigurationError(`the key file ${path} has an unknown key kind "${kind}"`);
    if (!Array.isArray(list)) throw new KeyConfigurationError(`the key file ${path}: "${kind}" must be a list of keys`);
    out[kind] = list.map((stored: StoredKey, i) => parseKey(path, kind as KeyKind, i, stored));
  }
  return out;
}

function parseKey(path: string, kind: KeyKind, index: number, stored: StoredKey): KeyEntry {
  const where = `the key file ${path}, ${kind} key #${index + 1}`;
  if (typeof stored?.key !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(stored.key)) throw new KeyConfigurationError(`${where}: "key" must be base64`);
  let entry: KeyEntry;
  try {
    entry = keyEntry(kind, Buffer.from(stored.key, 'base64'), 'file', typeof stored.createdAt === 'string' ? stored.createdAt : undefined);
  } catch (error) {
    throw new KeyConfigurationError(`${where}: ${(error as Error).message}`);
  }
  // l'identifiant écrit n'est qu'un repère pour l'exploitant : il doit correspondre à la clé
  if (stored.id !== undefined && stored.id !== entry.id) throw new KeyConfigurationError(`${where}: "id" ${String(stored.id)} does not match the key (${entry.id})`);
  return entry;
}

/**
 * Écrit le fichier d'un seul coup, en mode 0600. `exclusive` : seulement s'il n'existe pas encore (plusieurs nœuds qui
 * démarrent en même temps) ; renvoie false s'il existait déjà.
 */
export function writeKeyFile(path: string, keys: FileKeys, options: { exclusive?: boolean } = {}): boolean {
  const doc = {
    version: VERSION,
    keys: Object.fromEntries(KEY_KINDS.filter((kind) => keys[kind]?.length).map((kind) => [
      kind, keys[kind]!.map((k) => ({ id: k.id, key: k.key.toString('base64'), ...(k.createdAt ? { createdAt: k.createdAt } : {}) })),
    ])),
  };
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(doc, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.exclusive) {
      try {
        linkSync(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    } else {
      renameSync(temporary, path);
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // déjà renommé
    }
  }
  syncDirectory(dirname(path));
  return true;
}

/** Le renommage survit à une coupure de courant (sans effet là où un dossier ne s'ouvre pas ainsi). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // systèmes sans fsync de dossier
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
