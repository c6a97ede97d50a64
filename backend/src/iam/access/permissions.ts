// Permissions `entité:action` : une ligne par entité du catalogue du tenant et par action, créée dès que l'entité
// apparaît (cœur, module ou personnalisée). Les rôles les référencent ; la plateforme seule les écrit.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import { ENTITY_ACTIONS } from '../../engine/access.js';
import type { Catalog } from '../../engine/registry.js';

export function permissionCodes(catalog: Catalog): Array<{ code: string; entity: string; action: string }> {
  // entités abstraites comprises : on lit et on exporte tous les tiers, même si l'on ne crée qu'un client
  const actions = (abstract: boolean) => (abstract ? ENTITY_ACTIONS.filter((a) => a !== 'create' && a !== 'import') : ENTITY_ACTIONS);
  return catalog.all().flatMap((m) => actions(m.abstract).map((action) => ({ code: `${m.name}:${action}`, entity: m.name, action })));
}

/** Ajoute les permissions manquantes du catalogue (une instruction ; sans effet si tout existe déjà). */
export async function syncPermissions(db: Db, tenantId: string, catalog: Catalog): Promise<void> {
  const table = catalog.get('permission')?.table;
  if (!table) return;
  const rows = permissionCodes(catalog);
  await inTenant(db, { tenantId }, (trx) => sql`
    INSERT INTO ${sql.table(table)} (id, tenant_id, eid, code, entity, action)
    SELECT p.id, app_tenant(), p.code, p.code, p.entity, p.action
    FROM unnest(${rows.map(() => uuidv7())}::uuid[], ${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.entity)}::text[],
                ${rows.map((r) => r.action)}::text[]) AS p(id, code, entity, action)
    WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(table)} x WHERE x.eid = p.code)
    ON CONFLICT DO NOTHING`.execute(trx), { singleStatement: true });
}
