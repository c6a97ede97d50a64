// D'où viennent les clés, et le trousseau qu'elles composent. Par sorte, la clé courante vient de l'environnement
// (OPSFLUX_ENCRYPTION_KEY, OPSFLUX_JWT_SECRET, OPSFLUX_CURSOR_SECRET), sinon du fichier de clés (OPSFLUX_KEY_FILE),
// sinon de la base (`system_secret`, développement seulement). Les clés plus anciennes de ces sources restent dans le
// trousseau pour ouvrir et vérifier. Avec un fichier de clés, la base n'est plus lue : le fichier, créé au premier
// démarrage, reprend alors les clés que la base gardait (rien de ce qu'elles ont scellé n'est perdu).
import { isAbsolute, relative, resolve } from 'node:path';
import type { Db } from '../db/database.js';
import { databaseKeys, ensureFirstDatabaseKey } from './db-keys.js';
import { ENV_KEY_VARIABLES, envKeys } from './env-keys.js';
import { readKeyFile, writeKeyFile, type FileKeys } from './key-file.js';
import { generateKey, KEY_KINDS, KeyConfigurationError, Keyring, type KeyEntry, type KeyKind } from './keyring.js';

export interface KeySourceOptions {
  /** variables lues (par défaut celles du processus) */
  env?: NodeJS.ProcessEnv;
  /**
   * refuser toute clé gardée dans la base ; par défaut avec NODE_ENV=production ou OPSFLUX_REQUIRE_EXTERNAL_KEYS=1
   * (false pour les commandes `opsflux secrets`, qui sortent justement les clés de la base)
   */
  requireExternal?: boolean;
  /** dossier de la base embarquée : le fichier de clés doit être ailleurs (une copie du dossier ne doit pas les contenir) */
  dataDir?: string;
}

export interface KeySources {
  env: NodeJS.ProcessEnv;
  /** chemin absolu du fichier de clés, s'il est configuré */
  file?: string;
  requireExternal: boolean;
}

/** Clés lues, par source ; la base n'est pas lue quand un fichier de clés est configuré. */
export interface KeyParts {
  env: Record<KeyKind, KeyEntry[]>;
  file?: FileKeys;
  database?: Record<KeyKind, KeyEntry[]>;
}

export const KEY_FILE_VARIABLE = 'OPSFLUX_KEY_FILE';
export const REQUIRE_EXTERNAL_VARIABLE = 'OPSFLUX_REQUIRE_EXTERNAL_KEYS';

const WHY = 'keys kept in the database sit next to the secrets they protect, so one database dump would hold both';
const SWITCH = `NODE_ENV=production or ${REQUIRE_EXTERNAL_VARIABLE}=1`;

/**
 * Sources configurées, contrôlées avant d'ouvrir quoi que ce soit : clés de l'environnement bien formées, fichier de
 * clés hors du dossier de données, et en production une source hors de la base pour chaque sorte.
 */
export function keySources(options: KeySourceOptions = {}): KeySources {
  const env = options.env ?? process.env;
  const requireExternal = options.requireExternal ?? (env.NODE_ENV === 'production' || ['1', 'true'].includes(env[REQUIRE_EXTERNAL_VARIABLE] ?? ''));
  const given = env[KEY_FILE_VARIABLE];
  const file = given ? resolve(given) : undefined;
  if (file && options.dataDir && isInside(file, resolve(options.dataDir))) {
    throw new KeyConfigurationError(`${KEY_FILE_VARIABLE} (${file}) is inside the data directory ${resolve(options.dataDir)}: keep the key file elsewhere, so that a copy of the data holds no key`);
  }
  const missing = missingFromEnv(readEnv(env));
  if (requireExternal && !file && missing.length) {
    throw new KeyConfigurationError(`no key source outside the database for ${missing.join(', ')} (${SWITCH}): set ${KEY_FILE_VARIABLE} to a key file `
      + `outside the data directory (created on first start, mode 0600), or set ${missing.map((k) => ENV_KEY_VARIABLES[k]).join(', ')}; ${WHY}`);
  }
  return { env, requireExternal, ...(file ? { file } : {}) };
}

const missingFromEnv = (env: Record<KeyKind, KeyEntry[]>) => KEY_KINDS.filter((kind) => env[kind].length === 0);

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Trousseau des parties lues : par sorte, environnement puis fichier puis base ; la première clé est la courante. */
export function composeRing(parts: KeyParts): Keyring {
  return new Keyring(Object.fromEntries(KEY_KINDS.map((kind) => [kind, [
    ...parts.env[kind], ...(parts.file?.[kind] ?? []), ...(parts.database?.[kind] ?? []),
  ]])));
}

function readEnv(env: NodeJS.ProcessEnv): Record<KeyKind, KeyEntry[]> {
  return Object.fromEntries(KEY_KINDS.map((kind) => [kind, envKeys(kind, env)])) as Record<KeyKind, KeyEntry[]>;
}

/** Relecture des sources sans rien créer (changement annoncé par un autre processus). */
export async function readKeyParts(db: Db, sources: KeySources): Promise<KeyParts> {
  const env = readEnv(sources.env);
  if (sources.file) return { env, file: readKeyFile(sources.file) ?? {} };
  return { env, database: await databaseKeys(db) };
}

/**
 * Clés au démarrage : contrôles (taille des clés de l'environnement, source externe exigée), puis création de ce qui
 * manque — le fichier de clés, ou la première clé d'une sorte dans la base en développement.
 */
export async function loadKeyParts(db: Db, sources: KeySources): Promise<KeyParts> {
  const env = readEnv(sources.env);
  const missing = missingFromEnv(env);
  if (sources.requireExternal) await refuseDatabaseKeys(db);
  if (sources.file) return { env, file: await ensureKeyFile(db, sources.file, missing) };
  let database = await databaseKeys(db);
  const absent = missing.filter((kind) => database[kind].length === 0);
  if (absent.length) {
    for (const kind of absent) await ensureFirstDatabaseKey(db, kind);
    database = await databaseKeys(db);
  }
  return { env, database };
}

async function refuseDatabaseKeys(db: Db): Promise<void> {
  const stored = Object.values(await databaseKeys(db)).flat();
  if (stored.length) {
    throw new KeyConfigurationError(`the database still holds ${stored.length} platform key(s) in system_secret (${SWITCH}): with ${KEY_FILE_VARIABLE} `
      + `(or the key variables) set, run "npx opsflux secrets rotate" then "npx opsflux secrets retire" to re-seal the stored secrets `
      + `and delete those keys; ${WHY}`);
  }
}

/**
 * Clés du fichier, qu'on crée s'il n'existe pas : il reprend les clés de la base (anciennes, pour ouvrir ce qu'elles ont
 * scellé ; courantes pour les sortes sans autre clé) et reçoit une clé neuve pour chaque sorte qui n'en a aucune.
 */
async function ensureKeyFile(db: Db, path: string, missing: KeyKind[]): Promise<FileKeys> {
  const existing = readKeyFile(path);
  const base: FileKeys = existing ?? asFileKeys(await databaseKeys(db));
  const absent = missing.filter((kind) => !base[kind]?.length);
  if (existing && absent.length === 0) return existing;
  const keys: FileKeys = { ...base, ...Object.fromEntries(absent.map((kind) => [kind, [generateKey(kind, 'file')]])) };
  // plusieurs nœuds qui créent le fichier en même temps : le premier écrit, les autres relisent son contenu
  if (existing) writeKeyFile(path, keys);
  else if (!writeKeyFile(path, keys, { exclusive: true })) return readKeyFile(path) ?? keys;
  return keys;
}

function asFileKeys(keys: Record<KeyKind, KeyEntry[]>): FileKeys {
  return Object.fromEntries(KEY_KINDS.map((kind) => [kind, keys[kind].map((k) => ({ ...k, origin: 'file' as const }))]));
}
