// Super-administrateurs de la plateforme : désignés dans `platform_admin` (migration 023), que le rôle applicatif lit
// pour son tenant sans pouvoir y écrire. Aucune donnée qu'un administrateur de tenant écrit (fiche utilisateur,
// rôles, règles, imports) ne donne ce statut ; seuls l'amorçage et la CLI (ou un chemin de super-administrateur) le
// posent, sous le rôle de plateforme.
import { sql, type RawBuilder } from 'kysely';
import { asPlatform, type Tx } from '../db/transaction.js';

/** Condition SQL « l'utilisateur `userId` (expression) du tenant courant est super-administrateur ». */
export function isSuperAdminSql(userId: RawBuilder<unknown> | string): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM platform_admin pa WHERE pa.tenant_id = app_tenant() AND pa.user_id = ${userId})`;
}

/** Désigne un super-administrateur, dans la transaction du tenant (amorçage, CLI). */
export async function designateSuperAdmin(trx: Tx, tenantId: string, userId: string): Promise<void> {
  await asPlatform(trx, () => sql`INSERT INTO platform_admin (tenant_id, user_id) VALUES (${tenantId}, ${userId}) ON CONFLICT DO NOTHING`.execute(trx));
}
