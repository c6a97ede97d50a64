// Transactions de tenant sur le serveur PostgreSQL en un minimum d'allers-retours : `BEGIN` et le contexte (rôle,
// tenant, utilisateur) partent dans le même paquet que la première instruction (protocole simple, plusieurs
// instructions). Chaque instruction du moteur est préparée une fois par connexion puis exécutée par `EXECUTE`, ses
// paramètres passés en littéraux échappés par `pg` (escapeLiteral) — jamais par concaténation maison.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type DatabaseConnection, type Driver, type Kysely, type QueryResult } from 'kysely';
import type pg from 'pg';
import { postgresKysely } from './postgres-dialect.js';
import { statementText, type StatementText } from './prepared-statements.js';

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
  /** BEGIN envoyé, COMMIT pas encore : un échec demande un ROLLBACK */
  open: boolean;
}

/**
 * Parties d'un paquet : [BEGIN; contexte;] instruction [; différées; COMMIT]. Une transaction tenue en un seul
 * paquet (contexte et fin ensemble) se passe de BEGIN et de COMMIT : un message Query de plusieurs instructions est
 * déjà une transaction implicite, validée à la fin ou annulée entière au premier échec (set_config local compris).
 */
function packet(session: Session, compiled: CompiledQuery | undefined, final: boolean): { parts: Array<string | StatementText>; tail: number } {
  const { client } = session;
  const head: Array<string | StatementText> = [];
  const oneShot = final && session.prelude !== undefined;
  if (session.prelude !== undefined) {
    if (!oneShot) head.push('BEGIN');
    head.push(statementText(client, session.prelude));
    session.prelude = undefined;
    session.open = !oneShot;
  }
  // textes produits dans l'ordre du paquet : une libération (DEALLOCATE ALL) ne touche que ce qui la précède
  const statement = compiled ? statementText(client, compiled) : undefined;
  const tail: Array<string | StatementText> = final ? session.deferred.map((q) => statementText(client, q)) : [];
  if (final) {
    session.deferred = [];
    if (session.open) tail.push('COMMIT');
  }
  return { parts: [...head, ...(statement ? [statement] : []), ...tail], tail: tail.length };
}

/** Envoie la fin de la transaction ; un COMMIT répondu ROLLBACK (transaction déjà en échec) est une erreur. */
async function finish(session: Session, parts: Array<string | StatementText>): Promise<pg.QueryResult[]> {
  const explicit = session.open;
  const results = await sendPacket(session.client, parts);
  session.open = false;
  session.committed = true;
  if (explicit && results.at(-1)!.command === 'ROLLBACK') throw new Error('transaction was rolled back');
  return results;
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
    const final = session.finalNext;
    session.finalNext = false;
    const { parts, tail } = packet(session, compiled, final);
    const results = final ? await finish(session, parts) : await sendPacket(session.client, parts);
    return toResult<R>(results[results.length - 1 - tail]!);
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
  const session: Session = { client, prelude, deferred: [], finalNext: singleStatement, committed: false, open: false };
  try {
    const result = await sessions.run(session, () => work(sessionDb));
    if (session.committed) return result;
    if (session.prelude !== undefined && session.deferred.length === 0) return result; // aucune instruction
    await finish(session, packet(session, undefined, true).parts);
    return result;
  } catch (error) {
    if (session.open) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
