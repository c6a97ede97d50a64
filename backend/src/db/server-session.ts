// Transactions de tenant sur le serveur PostgreSQL en un minimum d'allers-retours : `BEGIN` et le contexte (rôle,
// tenant, utilisateur) partent dans le même paquet que la première instruction (protocole simple, plusieurs
// instructions). Les paramètres de cette première instruction sont alors insérés comme littéraux, échappés par `pg`
// (escapeLiteral : guillemets doublés, barres obliques inverses en E'…') — jamais par concaténation maison.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type DatabaseConnection, type Driver, type Kysely, type QueryResult } from 'kysely';
import pg from 'pg';
import { postgresKysely } from './postgres-dialect.js';

interface Session {
  client: pg.PoolClient;
  /** instructions à envoyer avec la première requête (puis effacées) */
  prelude?: string;
  /** instructions sans résultat attendu, envoyées avec le COMMIT (même transaction, même atomicité) */
  deferred: string[];
  /** la prochaine instruction est la dernière : elle part avec les instructions différées et le COMMIT */
  finalNext: boolean;
  /** transaction déjà validée (dernière instruction passée) : toute autre instruction est refusée */
  committed: boolean;
}

const sessions = new AsyncLocalStorage<Session>();
const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue;

/** Remplace `$n` par le littéral SQL échappé du paramètre n (le SQL compilé ne contient aucun autre `$`). */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => {
    const value = prepareValue(parameters[Number(index) - 1]);
    return value === null || value === undefined ? 'NULL' : pg.escapeLiteral(String(value));
  });
}

function toResult<R>(result: pg.QueryResult): QueryResult<R> {
  const changed = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
  return { rows: (result.rows ?? []) as R[], ...(changed ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}) };
}

/**
 * `pg` écrit chaque message du protocole étendu (Parse, Bind, Describe, Execute, Sync) par un appel système distinct :
 * on bouche le socket le temps de l'envoi pour n'en faire qu'un.
 */
function corked<T>(client: pg.PoolClient, send: () => Promise<T>): Promise<T> {
  const stream = (client as unknown as { connection?: { stream?: { cork(): void; uncork(): void } } }).connection?.stream;
  stream?.cork();
  try {
    return send();
  } finally {
    stream?.uncork();
  }
}

const connection: DatabaseConnection = {
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const session = sessions.getStore();
    if (!session) throw new Error('query outside a tenant session');
    if (session.committed) throw new Error('a single-statement transaction runs exactly one statement');
    if (session.prelude !== undefined || session.finalNext) {
      // protocole simple, plusieurs instructions : [BEGIN; contexte;] instruction [; différées; COMMIT]
      const final = session.finalNext;
      const tail = final ? [...session.deferred, 'COMMIT'] : [];
      const parts = [...(session.prelude !== undefined ? [session.prelude] : []), inlineParameters(compiled.sql, compiled.parameters), ...tail];
      session.prelude = undefined;
      session.finalNext = false;
      session.deferred = final ? [] : session.deferred;
      const out = (await session.client.query(parts.join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
      const results = Array.isArray(out) ? out : [out];
      if (final) {
        if (results.at(-1)!.command === 'ROLLBACK') throw new Error('transaction was rolled back');
        session.committed = true;
      }
      return toResult<R>(results[results.length - 1 - tail.length]!);
    }
    return toResult<R>(await corked(session.client, () => session.client.query(compiled.sql, compiled.parameters as unknown[])));
  },
  streamQuery() {
    throw new Error('streaming is not available in a tenant session');
  },
};

const unsupported = () => Promise.reject(new Error('nested transactions are not supported in a tenant session'));
const driver: Driver = {
  init: async () => undefined,
  acquireConnection: async () => connection,
  beginTransaction: unsupported,
  commitTransaction: unsupported,
  rollbackTransaction: unsupported,
  releaseConnection: async () => undefined,
  destroy: async () => undefined,
};

/** Kysely partagé dont chaque requête s'exécute sur la connexion de la session courante (AsyncLocalStorage). */
export const sessionDb = postgresKysely(driver);

/**
 * Diffère une instruction dont le résultat n'est pas attendu jusqu'au COMMIT, envoyé dans le même paquet.
 * Renvoie false hors session serveur (PGlite) : l'appelant l'exécute alors tout de suite.
 */
export function deferToCommit(compiled: CompiledQuery): boolean {
  const session = sessions.getStore();
  if (!session) return false;
  if (session.committed) throw new Error('the transaction is already committed');
  session.deferred.push(inlineParameters(compiled.sql, compiled.parameters));
  return true;
}

/**
 * Annonce que la prochaine instruction de la session est la dernière de la transaction : elle partira avec les
 * instructions différées et le COMMIT, en un seul aller-retour. Renvoie false hors session serveur (PGlite).
 */
export function finalStatementNext(): boolean {
  const session = sessions.getStore();
  if (!session || session.committed) return false;
  session.finalNext = true;
  return true;
}

/** Ouvre une transaction dont `prelude` (BEGIN + contexte) partira avec la première instruction de `work`. */
export async function inServerSession<T>(
  pool: pg.Pool, prelude: string, work: (db: Kysely<any>) => Promise<T>, singleStatement = false,
): Promise<T> {
  const client = await pool.connect();
  const session: Session = { client, prelude, deferred: [], finalNext: singleStatement, committed: false };
  try {
    const result = await sessions.run(session, () => work(sessionDb));
    if (session.committed) return result;
    if (session.prelude !== undefined && session.deferred.length === 0) return result; // aucune instruction
    const batch = [...(session.prelude !== undefined ? [session.prelude] : []), ...session.deferred, 'COMMIT'];
    session.prelude = undefined;
    const results = (await client.query(batch.join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
    const commit = Array.isArray(results) ? results[results.length - 1]! : results;
    // une transaction déjà en échec « valide » par un ROLLBACK silencieux : c'est une erreur
    if (commit.command === 'ROLLBACK') throw new Error('transaction was rolled back');
    return result;
  } catch (error) {
    if (session.prelude === undefined && !session.committed) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
