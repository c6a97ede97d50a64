// Transactions de tenant sur le serveur PostgreSQL en un minimum d'allers-retours : `BEGIN` et le contexte (rôle,
// tenant, utilisateur) partent dans le même paquet que la première instruction (protocole simple, plusieurs
// instructions). Chaque instruction du moteur est préparée une fois par connexion puis exécutée par `EXECUTE`, ses
// paramètres passés en littéraux échappés par `pg` (escapeLiteral) — jamais par concaténation maison.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type DatabaseConnection, type Driver, type Kysely, type QueryResult } from 'kysely';
import type pg from 'pg';
import { postgresKysely } from './postgres-dialect.js';
import { statementText, type StatementText } from './prepared-statements.js';

export { inlineParameters } from './prepared-statements.js';

interface Session {
  client: pg.PoolClient;
  /** contexte (rôle, tenant, utilisateur) à envoyer après BEGIN avec la première requête, puis effacé */
  prelude?: CompiledQuery;
  /** instructions sans résultat attendu, envoyées avec le COMMIT (même transaction, même atomicité) */
  deferred: CompiledQuery[];
  /** la prochaine instruction est la dernière : elle part avec les instructions différées et le COMMIT */
  finalNext: boolean;
  /** transaction déjà validée (dernière instruction passée) : toute autre instruction est refusée */
  committed: boolean;
}

const sessions = new AsyncLocalStorage<Session>();

function toResult<R>(result: pg.QueryResult): QueryResult<R> {
  const changed = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
  return { rows: (result.rows ?? []) as R[], ...(changed ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}) };
}

/**
 * Envoie un paquet de protocole simple (plusieurs instructions) ; les préparations qu'il contient ne sont retenues
 * que s'il a réussi. Renvoie un résultat par instruction.
 */
async function sendPacket(client: pg.PoolClient, parts: Array<string | StatementText>): Promise<pg.QueryResult[]> {
  const text = parts.map((p) => (typeof p === 'string' ? p : p.text)).join('; ');
  const out = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
  for (const p of parts) if (typeof p !== 'string') p.prepared();
  // les réponses des PREPARE / DEALLOCATE n'ont pas de lignes : on les retire pour garder une réponse par partie
  return (Array.isArray(out) ? out : [out]).filter((r) => r.command !== 'PREPARE' && r.command !== 'DEALLOCATE');
}

const connection: DatabaseConnection = {
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const session = sessions.getStore();
    if (!session) throw new Error('query outside a tenant session');
    if (session.committed) throw new Error('a single-statement transaction runs exactly one statement');
    // [BEGIN; contexte;] instruction [; différées; COMMIT]
    const final = session.finalNext;
    const head = session.prelude !== undefined ? ['BEGIN', statementText(session.client, session.prelude)] : [];
    const statement = statementText(session.client, compiled);
    const tail = final ? [...session.deferred.map((q) => statementText(session.client, q)), 'COMMIT'] : [];
    session.prelude = undefined;
    session.finalNext = false;
    if (final) session.deferred = [];
    const results = await sendPacket(session.client, [...head, statement, ...tail]);
    if (final) {
      if (results.at(-1)!.command === 'ROLLBACK') throw new Error('transaction was rolled back');
      session.committed = true;
    }
    return toResult<R>(results[results.length - 1 - tail.length]!);
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
  session.deferred.push(compiled);
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

/** Ouvre une transaction dont BEGIN et `prelude` (le contexte) partiront avec la première instruction de `work`. */
export async function inServerSession<T>(
  pool: pg.Pool, prelude: CompiledQuery, work: (db: Kysely<any>) => Promise<T>, singleStatement = false,
): Promise<T> {
  const client = await pool.connect();
  const session: Session = { client, prelude, deferred: [], finalNext: singleStatement, committed: false };
  try {
    const result = await sessions.run(session, () => work(sessionDb));
    if (session.committed) return result;
    if (session.prelude !== undefined && session.deferred.length === 0) return result; // aucune instruction
    const batch = [...(session.prelude !== undefined ? ['BEGIN', statementText(client, session.prelude)] : []), ...session.deferred.map((q) => statementText(client, q)), 'COMMIT'];
    session.prelude = undefined;
    const commit = (await sendPacket(client, batch)).at(-1)!;
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
