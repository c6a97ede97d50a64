// Transactions de requête : rôle applicatif + tenant + utilisateur posés en une seule instruction (set_config local).
import { sql, type Transaction } from 'kysely';
import type { Db } from './database.js';
import { APP_ROLE } from './roles.js';

export type Tx = Transaction<any>;

export interface TenantScope {
  tenantId: string;
  userId?: string | null;
}

/** Exécute `work` dans une transaction limitée au tenant, sous le rôle applicatif (RLS appliquée). */
export function inTenant<T>(db: Db, scope: TenantScope, work: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterTenant(trx, scope);
    return work(trx);
  });
}

export async function enterTenant(trx: Tx, scope: TenantScope): Promise<void> {
  await sql`SELECT set_config('role', ${APP_ROLE}, true),
                   set_config('app.tenant_id', ${scope.tenantId}, true),
                   set_config('app.user_id', ${scope.userId ?? ''}, true)`.execute(trx);
}

/** Repasse temporairement au rôle propriétaire (DDL des métadonnées) puis revient au rôle applicatif. */
export async function asOwner<T>(trx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`SELECT set_config('role', 'none', true)`.execute(trx);
  const result = await work(); // en cas d'échec la transaction est de toute façon annulée
  await sql`SELECT set_config('role', ${APP_ROLE}, true)`.execute(trx);
  return result;
}

/** Transaction système (propriétaire) : migrations, amorçage, répartiteur de l'outbox. */
export function inSystem<T>(db: Db, work: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
