// Accès à PostgreSQL : serveur (pool `pg`) ou PGlite embarqué, derrière la même interface Kysely.
import { Kysely, PostgresDialect, PGliteDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { guardDialect } from './role-scope.js';

export type Db = Kysely<any>; // tables dynamiques : le moteur d'entités décrit le schéma à l'exécution

export interface Database {
  kind: 'pg' | 'pglite';
  db: Db;
  /** Écoute un canal NOTIFY (propagation entre nœuds API). */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… ; absent : PGlite embarqué */
  url?: string;
  /** dossier de données PGlite ; absent avec `url` absent : base en mémoire (tests) */
  dataDir?: string;
  poolSize?: number;
}

const servers = new WeakMap<Db, pg.Pool>();

/** Pool `pg` d'une base servie par un serveur PostgreSQL ; undefined pour PGlite. */
export function serverPool(db: Db): pg.Pool | undefined {
  return servers.get(db);
}

// Types renvoyés tels quels : décimales exactes en texte, dates sans fuseau en texte, bigint en nombre.
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;
const keepText = (value: string) => value;
const int8ToNumber = (value: string) => Number(value);

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openServer(options.url, options.poolSize ?? 10) : openEmbedded(options.dataDir);
}

async function openServer(url: string, poolSize: number): Promise<Database> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === OID.int8) return int8ToNumber;
      if (oid === OID.numeric || oid === OID.date) return keepText;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', () => undefined); // une connexion inactive perdue ne doit pas tuer le processus
  const db: Db = new Kysely({ dialect: guardDialect(new PostgresDialect({ pool })) });
  servers.set(db, pool);
  const listeners: pg.Client[] = [];
  return {
    kind: 'pg',
    db,
    async listen(channel, onMessage) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onMessage(msg.payload ?? '');
      });
      client.on('error', () => undefined);
      await client.query(`LISTEN ${pgIdent(channel)}`);
      listeners.push(client);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await db.destroy();
    },
  };
}

async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (dataDir) lock = await acquireDataDirLock(dataDir);
  try {
    const pglite = new PGlite({
      dataDir: dataDir ? `${dataDir}/pgdata` : undefined,
      extensions: { pg_trgm },
      parsers: { [OID.int8]: int8ToNumber, [OID.numeric]: keepText, [OID.date]: keepText },
    });
    await pglite.waitReady;
    const db: Db = new Kysely({ dialect: guardDialect(new PGliteDialect({ pglite })) });
    return {
      kind: 'pglite',
      db,
      async listen(channel, onMessage) {
        // Un seul processus possède la base embarquée : LISTEN local suffit.
        return pglite.listen(channel, onMessage).then((unsub) => async () => unsub());
      },
      async close() {
        await db.destroy();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** Identifiant SQL entre guillemets (les noms dynamiques sont validés en amont, ceci est la ceinture). */
export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
