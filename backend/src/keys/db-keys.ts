// Clés gardées dans la base (`system_secret`) : la source par défaut en développement seulement, puisqu'une copie de
// la base contient alors les secrets et la clé qui les protège. Lignes `jwt`, `cursor`, `encryption` (première clé,
// 48 octets aléatoires ; le chiffrement en prend les 32 premiers) et `<sorte>:<id>` (clés ajoutées par rotation).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { platformStatement } from '../db/transaction.js';
import { KEY_KINDS, keyEntry, type KeyEntry, type KeyKind } from './keyring.js';

interface Row {
  name: string;
  value: string;
  created_at: Date | string;
}

function toEntry(row: Row): KeyEntry | undefined {
  const [kind, versioned] = row.name.split(':') as [string, string | undefined];
  if (!(KEY_KINDS as readonly string[]).includes(kind)) return undefined;
  const bytes = Buffer.from(row.value, 'base64');
  const key = kind === 'encryption' && versioned === undefined ? bytes.subarray(0, 32) : bytes;
  return keyEntry(kind as KeyKind, key, 'database', new Date(row.created_at).toISOString());
}

async function rows(db: Db): Promise<Row[]> {
  const { rows } = await platformStatement(db, sql<Row>`SELECT name, value, created_at FROM system_secret ORDER BY created_at DESC, name DESC`);
  return rows;
}

/** Clés de la base par sorte, la plus récente (la courante) d'abord. */
export async function databaseKeys(db: Db): Promise<Record<KeyKind, KeyEntry[]>> {
  const out = { encryption: [], jwt: [], cursor: [] } as Record<KeyKind, KeyEntry[]>;
  for (const row of await rows(db)) {
    const entry = toEntry(row);
    if (entry) out[entry.kind].push(entry);
  }
  return out;
}

/** Première clé d'une sorte : plusieurs nœuds qui démarrent ensemble gardent la même (la première écrite). */
export async function ensureFirstDatabaseKey(db: Db, kind: KeyKind): Promise<void> {
  await platformStatement(db, sql`INSERT INTO system_secret (name, value) VALUES (${kind}, ${randomBytes(48).toString('base64')})
    ON CONFLICT (name) DO NOTHING`);
}

/** Nouvelle clé courante d'une sorte (rotation) : la plus récente de la base. */
export async function addDatabaseKey(db: Db, entry: KeyEntry): Promise<void> {
  await platformStatement(db, sql`INSERT INTO system_secret (name, value, created_at)
    VALUES (${`${entry.kind}:${entry.id}`}, ${entry.key.toString('base64')}, clock_timestamp())`);
}

/** Supprime les clés de la base sauf celles gardées ; renvoie le nombre de clés supprimées. */
export async function deleteDatabaseKeys(db: Db, keep: ReadonlySet<string>): Promise<number> {
  const names = (await rows(db)).filter((row) => {
    const entry = toEntry(row);
    return entry !== undefined && !keep.has(entry.id);
  }).map((row) => row.name);
  if (names.length === 0) return 0;
  await platformStatement(db, sql`DELETE FROM system_secret WHERE name = ANY(${names}::text[])`);
  return names.length;
}
