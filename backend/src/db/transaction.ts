// Transactions de requête : rôle applicatif + tenant + utilisateur posés en une seule instruction (set_config local).
import { CompiledQuery, sql, type QueryResult, type RawBuilder } from 'kysely';
import { serverPool, type Db } from './database.js';
import { deferToCommit, finalStatementNext, inServerSession } from './server-session.js';
import { APP_ROLE } from './roles.js';

/** Exécuteur lié à une transaction ouverte (une seule connexion). */
export type Tx = Db;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantScope {
  tenantId: string;
  userId?: string | null;
}

export interface TenantTxOptions {
  /** lecture faite d'une seule instruction : sur le serveur, BEGIN…COMMIT en un seul aller-retour */
  singleStatement?: boolean;
}

/** Exécute `work` dans une transaction limitée au tenant, sous le rôle applicatif (RLS appliquée). */
export function inTenant<T>(db: Db, scope: TenantScope, work: (trx: Tx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  const context = contextQuery(scope);
  const pool = serverPool(db);
  // serveur : BEGIN et contexte partent avec la première instruction ; PGlite : transaction Kysely ordinaire
  if (pool) return inServerSession(pool, context, work, options.singleStatement);
  return db.transaction().execute(async (trx) => {
    await trx.executeQuery(context);
    return work(trx);
  });
}

const CONTEXT_SQL = "SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)";

/** Rôle, tenant et utilisateur de la transaction, en une instruction (préparée comme les autres sur le serveur). */
function contextQuery(scope: TenantScope): CompiledQuery {
  const userId = scope.userId ?? '';
  if (!UUID.test(scope.tenantId) || (userId && !UUID.test(userId))) throw new Error('tenant and user ids must be UUIDs');
  return CompiledQuery.raw(CONTEXT_SQL, [APP_ROLE, scope.tenantId, userId]);
}

/** Repasse temporairement au rôle propriétaire (DDL des métadonnées) puis revient au rôle applicatif. */
export async function asOwner<T>(trx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`SELECT set_config('role', 'none', true)`.execute(trx);
  const result = await work(); // en cas d'échec la transaction est de toute façon annulée
  await sql`SELECT set_config('role', ${APP_ROLE}, true)`.execute(trx);
  return result;
}

/**
 * Exécute une instruction sans résultat attendu au plus tard au COMMIT (serveur : dans le même aller-retour que lui).
 * Une erreur fait alors échouer le COMMIT, donc toute la transaction : l'atomicité est la même.
 */
export async function executeAtCommit(trx: Tx, query: RawBuilder<unknown>): Promise<void> {
  if (!deferToCommit(query.compile(trx))) await query.execute(trx);
}

/**
 * Exécute la dernière instruction de la transaction (serveur : avec les instructions différées et le COMMIT, dans
 * le même aller-retour). Aucune instruction ne doit suivre ; sur PGlite, simple exécution.
 */
export function executeFinal<R>(trx: Tx, query: RawBuilder<R> | CompiledQuery<R>): Promise<QueryResult<R>> {
  finalStatementNext();
  return 'execute' in query ? query.execute(trx) : trx.executeQuery(query);
}
