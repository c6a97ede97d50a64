// Schéma d'un module : tables de ses entités et colonnes de ses extensions, créées à la mise en place d'une version,
// vidées pour un tenant (désinstallation sans garder les données), supprimées quand plus aucun tenant ne l'a.
import type { ModuleDefinition } from '@opsflux/sdk';
import { sql } from 'kysely';
import { pgIdent as q } from '../db/database.js';
import type { Tx } from '../db/transaction.js';
import type { EntityModel } from '../engine/model.js';
import type { Catalog } from '../engine/registry.js';
import { columnsOf } from '../engine/schema/columns.js';
import { syncSchema } from '../engine/schema/sync.js';
import { linkTable, objectName } from '../engine/naming.js';

const exec = (trx: Tx, statement: string) => sql.raw(statement).execute(trx);

function ownModels(catalog: Catalog, definition: ModuleDefinition): EntityModel[] {
  return (definition.entities ?? []).map((e) => catalog.get(e.name)).filter((m): m is EntityModel => m !== undefined);
}

/** Colonnes ajoutées par les extensions du module, par table. */
function extensionColumns(catalog: Catalog, definition: ModuleDefinition): { table: string; columns: string[] }[] {
  return (definition.extensions ?? []).flatMap((ext) => {
    const model = catalog.get(ext.entity);
    if (!model) return [];
    const fields = Object.keys(ext.fields).map((name) => model.byName.get(name)).filter((f) => f !== undefined);
    const owner = fields[0] ? model.chain.find((l) => l.alias === fields[0]!.alias)?.table ?? model.table : model.table;
    return [{ table: owner, columns: fields.flatMap((f) => columnsOf(f).map((c) => c.name)) }];
  });
}

/** Entités dans l'ordre où l'on peut vider leurs tables : celles qui en référencent d'autres d'abord. */
function deletionOrder(models: EntityModel[]): EntityModel[] {
  const names = new Set(models.map((m) => m.name));
  const order: EntityModel[] = [];
  const visiting = new Set<string>();
  const byName = new Map(models.map((m) => [m.name, m]));
  const referrers = (target: string) => models.filter((m) => m.name !== target && (
    m.parent === target || m.fields.some((f) => f.owner === m.name && f.type === 'ref' && f.def.options?.to === target)));
  const visit = (model: EntityModel) => {
    if (order.includes(model) || visiting.has(model.name)) return;
    visiting.add(model.name);
    for (const referrer of referrers(model.name)) if (names.has(referrer.name)) visit(byName.get(referrer.name)!);
    order.push(model);
  };
  for (const model of models) visit(model);
  return order;
}

const linkTables = (model: EntityModel) =>
  model.fields.filter((f) => f.owner === model.name && f.type === 'refs').map((f) => linkTable(model, f));

/** Crée ou complète tables, index, clés et colonnes d'extension (en propriétaire, catalogue où le module est actif). */
export async function createModuleSchema(trx: Tx, catalog: Catalog, definition: ModuleDefinition): Promise<void> {
  const extended = (definition.extensions ?? []).map((e) => catalog.get(e.entity)).filter((m): m is EntityModel => m !== undefined);
  await syncSchema(trx, [...ownModels(catalog, definition), ...extended], (name) => catalog.get(name));
}

/** Efface les données du tenant courant : lignes des tables du module, valeurs de ses colonnes d'extension. */
export async function deleteTenantData(trx: Tx, catalog: Catalog, definition: ModuleDefinition): Promise<void> {
  const models = ownModels(catalog, definition);
  // les références entre entités du module peuvent former un cycle (entrepôt → emplacement → entrepôt) qu'aucun ordre
  // de suppression ne respecte : elles sont d'abord vidées (toute colonne de champ accepte NULL)
  const own = new Set(models.map((m) => m.name));
  for (const model of models) {
    const columns = model.fields.filter((f) => f.owner === model.name && f.type === 'ref' && own.has(String(f.def.options?.to))).map((f) => f.column);
    if (columns.length) await exec(trx, `UPDATE ${q(model.table)} SET ${columns.map((c) => `${q(c)} = NULL`).join(', ')} WHERE tenant_id = app_tenant()`);
  }
  for (const model of deletionOrder(models)) {
    for (const link of linkTables(model)) await exec(trx, `DELETE FROM ${q(link)} WHERE tenant_id = app_tenant()`);
    await exec(trx, `DELETE FROM ${q(model.table)} WHERE tenant_id = app_tenant()`);
  }
  for (const { table, columns } of extensionColumns(catalog, definition)) {
    if (columns.length) await exec(trx, `UPDATE ${q(table)} SET ${columns.map((c) => `${q(c)} = NULL`).join(', ')} WHERE tenant_id = app_tenant()`);
  }
}

/** Supprime tout le schéma du module (plus aucun tenant ne l'a installé et les données ne sont pas gardées). */
export async function dropModuleSchema(trx: Tx, catalog: Catalog, definition: ModuleDefinition): Promise<void> {
  const models = ownModels(catalog, definition);
  // une seule instruction : PostgreSQL y accepte des clés entre les tables supprimées, même en cycle
  const tables = deletionOrder(models).flatMap((model) => [...linkTables(model), model.table]);
  if (tables.length) await exec(trx, `DROP TABLE IF EXISTS ${tables.map(q).join(', ')}`);
  for (const model of models) await exec(trx, `DROP SEQUENCE IF EXISTS ${q(objectName(model.table, 'eid', 'seq'))}`);
  for (const { table, columns } of extensionColumns(catalog, definition)) {
    for (const column of columns) await exec(trx, `ALTER TABLE ${q(table)} DROP COLUMN IF EXISTS ${q(column)}`);
  }
}
