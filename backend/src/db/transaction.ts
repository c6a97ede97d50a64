// Transactions sous un rôle : applicatif avec le tenant posé (données des tenants, RLS) ou plateforme (files et
// registres communs). Le rôle, le tenant et l'utilisateur sont posés en une seule instruction (set_config local).
// Le propriétaire ne sert qu'au DDL et aux migrations (`ownerWork`, `asOwner`) : voir db/role-scope.ts.
import { CompiledQuery, sql, type QueryResult, type RawBuilder } from 'kysely';
import { serverPool, type Db } from './database.js';
import { inRoleScope } from './role-scope.js';
import { deferToCommit, finalStatementNext, inServerSession } from './server-session.js';
import { APP_ROLE, PLATFORM_ROLE } from './roles.js';

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
  return inRole(db, tenantContext(scope), work, options);
}

/**
 * Exécute `work` sous le rôle de plateforme, sans tenant : files (outbox, travaux), chaînage de l'audit, registres
 * (tenants, réglages de plateforme, modules). Les tables des entités y sont inaccessibles.
 */
export function inPlatform<T>(db: Db, work: (trx: Tx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  return inRole(db, platformContext(), work, options);
}

/** Une instruction sous le rôle de plateforme (serveur : un seul aller-retour, BEGIN et COMMIT compris). */
export function platformStatement<R>(db: Db, query: RawBuilder<R>): Promise<QueryResult<R>> {
  return inPlatform(db, (trx) => query.execute(trx), { singleStatement: true });
}

function inRole<T>(db: Db, context: CompiledQuery, work: (trx: Tx) => Promise<T>, options: TenantTxOptions): Promise<T> {
  const pool = serverPool(db);
  // serveur : BEGIN et contexte partent avec la première instruction ; PGlite : transaction Kysely ordinaire
  if (pool) return inRoleScope(false, () => inServerSession(pool, context, work, options.singleStatement));
  return inRoleScope(true, () => db.transaction().execute(async (trx) => {
    await trx.executeQuery(context);
    return work(trx);
  }));
}

const CONTEXT_SQL = "SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)";

/** Rôle applicatif, tenant et utilisateur, en une instruction (préparée comme les autres sur le serveur). */
function tenantContext(scope: TenantScope): CompiledQuery {
  const userId = scope.userId ?? '';
  if (!UUID.test(scope.tenantId) || (userId && !UUID.test(userId))) throw new Error('tenant and user ids must be UUIDs');
  return CompiledQuery.raw(CONTEXT_SQL, [APP_ROLE, scope.tenantId, userId]);
}

function platformContext(): CompiledQuery {
  return CompiledQuery.raw(CONTEXT_SQL, [PLATFORM_ROLE, '', '']);
}

/** Dernier contexte posé dans une transaction par `enterTenant`/`enterPlatform` (évite de le reposer à l'identique). */
const contextOfTx = new WeakMap<Tx, string>();

/**
 * Fait passer une transaction ouverte au rôle applicatif dans un tenant (passes de fond qui traitent plusieurs tenants
 * dans une transaction : répartiteur de l'outbox). À appeler hors des points de sauvegarde qu'on pourrait annuler :
 * un ROLLBACK TO SAVEPOINT défait aussi set_config (voir `forgetContext`).
 */
export async function enterTenant(trx: Tx, tenantId: string): Promise<void> {
  if (contextOfTx.get(trx) === tenantId) return;
  await trx.executeQuery(tenantContext({ tenantId }));
  contextOfTx.set(trx, tenantId);
}

/** Fait revenir une transaction ouverte au rôle de plateforme, sans tenant. */
export async function enterPlatform(trx: Tx): Promise<void> {
  if (contextOfTx.get(trx) === PLATFORM_ROLE) return;
  await trx.executeQuery(platformContext());
  contextOfTx.set(trx, PLATFORM_ROLE);
}

/** Après un ROLLBACK TO SAVEPOINT : le contexte posé depuis le point de sauvegarde est défait, on l'oublie. */
export function forgetContext(trx: Tx): void {
  contextOfTx.delete(trx);
}

/** Lit une table de plateforme depuis une transaction de tenant, puis revient au rôle applicatif. */
export async function asPlatform<T>(trx: Tx, work: () => Promise<T>): Promise<T> {
  return switchRole(trx, PLATFORM_ROLE, work);
}

/** Repasse temporairement au rôle propriétaire (DDL des métadonnées et des modules) puis revient au rôle applicatif. */
export async function asOwner<T>(trx: Tx, work: () => Promise<T>): Promise<T> {
  return switchRole(trx, 'none', work);
}

async function switchRole<T>(trx: Tx, role: string, work: () => Promise<T>): Promise<T> {
  await sql`SELECT set_config('role', ${role}, true)`.execute(trx);
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
