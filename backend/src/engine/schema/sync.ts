// Synchronisation du schéma : crée et modifie les vraies tables, index et clés étrangères à partir des modèles.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { APP_ROLE, tenantPolicySql } from '../../db/roles.js';
import { pgIdent as q } from '../../db/database.js';
import type { EntityModel, FieldModel } from '../model.js';
import { columnsOf } from './columns.js';
import { linkTable, objectName } from '../naming.js';

function ownFields(model: EntityModel): FieldModel[] {
  return model.fields.filter((f) => f.owner === model.name);
}

/** Colonnes système de toute table d'entité (company_id / site_id sont des champs de la table racine : withScopeFields). */
const SYSTEM_COLUMNS = [
  'id uuid NOT NULL',
  'tenant_id uuid NOT NULL',
  'eid text NOT NULL',
  'version integer NOT NULL DEFAULT 1',
  'created_at timestamptz NOT NULL DEFAULT now()',
  'created_by uuid',
  'updated_at timestamptz NOT NULL DEFAULT now()',
  'updated_by uuid',
  'deleted_at timestamptz',
  'deleted_by uuid',
];

function columnSql(spec: { name: string; sqlType: string; generated?: string }): string {
  return spec.generated
    ? `${q(spec.name)} ${spec.sqlType} GENERATED ALWAYS AS (${spec.generated}) STORED`
    : `${q(spec.name)} ${spec.sqlType}`;
}

async function existingColumns(trx: Tx, table: string): Promise<Set<string> | null> {
  const result = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx);
  return result.rows.length ? new Set(result.rows.map((r) => r.column_name)) : null;
}

async function constraintExists(trx: Tx, name: string): Promise<boolean> {
  const result = await sql`SELECT 1 FROM pg_constraint WHERE conname = ${name}`.execute(trx);
  return result.rows.length > 0;
}

const exec = (trx: Tx, statement: string) => sql.raw(statement).execute(trx);

/** Crée ou complète la table propre à une entité (pas celles de ses parents). Idempotent. */
export async function syncTable(trx: Tx, model: EntityModel): Promise<void> {
  const table = model.table;
  const fields = ownFields(model);
  const columns = fields.flatMap(columnsOf);
  const existing = await existingColumns(trx, table);
  if (!existing) {
    const parent = model.chain[1];
    const body = [
      ...SYSTEM_COLUMNS,
      ...columns.map(columnSql),
      `PRIMARY KEY (tenant_id, id)`,
      `CONSTRAINT ${q(objectName(table, 'eid', 'key'))} UNIQUE (tenant_id, eid)`,
      ...(parent ? [`FOREIGN KEY (tenant_id, id) REFERENCES ${q(parent.table)} (tenant_id, id)`] : []),
    ];
    await exec(trx, `CREATE TABLE ${q(table)} (\n  ${body.join(',\n  ')}\n)`);
    for (const statement of tenantPolicySql(table)) await exec(trx, statement);
    await exec(trx, `GRANT SELECT, INSERT, UPDATE ON ${q(table)} TO ${APP_ROLE}`);
  } else {
    for (const column of columns) {
      if (!existing.has(column.name)) await exec(trx, `ALTER TABLE ${q(table)} ADD COLUMN ${columnSql(column)}`);
    }
  }
  if (model.tree && !existing) await syncTreeTriggers(trx, table);
  // séquence des eid générés quand le client n'en donne pas
  const sequence = q(objectName(table, 'eid', 'seq'));
  await exec(trx, `CREATE SEQUENCE IF NOT EXISTS ${sequence}`);
  await exec(trx, `GRANT USAGE ON SEQUENCE ${sequence} TO ${APP_ROLE}`);
  await syncIndexes(trx, model, fields);
}

/** Déclencheurs du chemin matérialisé d'un arbre (fonctions de la migration 010). */
async function syncTreeTriggers(trx: Tx, table: string): Promise<void> {
  await exec(trx, `CREATE TRIGGER ${q(objectName(table, 'tree', 'path'))} BEFORE INSERT OR UPDATE OF parent ON ${q(table)}
    FOR EACH ROW EXECUTE FUNCTION tree_path()`);
  // « OF parent » : un déclencheur de colonne ne voit que les colonnes du SET, pas celles qu'un autre déclencheur change
  await exec(trx, `CREATE TRIGGER ${q(objectName(table, 'tree', 'move'))} AFTER UPDATE OF parent ON ${q(table)}
    FOR EACH ROW EXECUTE FUNCTION tree_move()`);
}

async function syncIndexes(trx: Tx, model: EntityModel, fields: FieldModel[]): Promise<void> {
  const table = model.table;
  for (const index of model.indexes) {
    const columns = index.fields.map((name) => {
      const field = model.byName.get(name);
      const column = field && field.owner === model.name ? columnsOf(field)[0]?.name : undefined;
      if (!column) throw new Error(`index of ${model.name}: ${name} is not a stored field of this entity`);
      return column;
    });
    const name = q(objectName(table, ...columns, index.unique ? 'uq' : 'idx'));
    const list = ['tenant_id', ...columns].map(q).join(', ');
    await exec(trx, index.unique
      ? `CREATE UNIQUE INDEX IF NOT EXISTS ${name} ON ${q(table)} (${list}) WHERE deleted_at IS NULL`
      : `CREATE INDEX IF NOT EXISTS ${name} ON ${q(table)} (${list})`);
  }
  for (const field of fields) {
    const [column] = columnsOf(field);
    if (!column) continue;
    const col = q(column.name);
    if (field.def.unique) {
      await exec(trx, `CREATE UNIQUE INDEX IF NOT EXISTS ${q(objectName(table, column.name, 'uq'))}
        ON ${q(table)} (tenant_id, ${col}) WHERE deleted_at IS NULL`);
    } else if (field.def.index || field.type === 'ref') {
      await exec(trx, `CREATE INDEX IF NOT EXISTS ${q(objectName(table, column.name, 'idx'))} ON ${q(table)} (tenant_id, ${col})`);
    }
    if (field.type === 'tags') {
      await exec(trx, `CREATE INDEX IF NOT EXISTS ${q(objectName(table, column.name, 'gin'))} ON ${q(table)} USING gin (${col})`);
    }
    if (model.searchFields.includes(field)) {
      await exec(trx, `CREATE INDEX IF NOT EXISTS ${q(objectName(table, column.name, 'trgm'))}
        ON ${q(table)} USING gin (${col} gin_trgm_ops)`);
    }
  }
}

/** Clés étrangères des champs `ref` : composites (tenant_id, id) pour qu'aucune référence ne traverse les tenants. */
export async function syncForeignKeys(trx: Tx, model: EntityModel, resolve: (name: string) => EntityModel | undefined): Promise<void> {
  for (const field of ownFields(model)) {
    if (field.type !== 'ref' || !field.def.options?.to) continue;
    const target = resolve(field.def.options.to);
    if (!target) throw new Error(`field ${model.name}.${field.name} references unknown entity ${field.def.options.to}`);
    const name = objectName(model.table, field.column, 'fk');
    if (await constraintExists(trx, name)) continue;
    await exec(trx, `ALTER TABLE ${q(model.table)} ADD CONSTRAINT ${q(name)}
      FOREIGN KEY (tenant_id, ${q(field.column)}) REFERENCES ${q(target.table)} (tenant_id, id)`);
  }
}

/** Tables de liaison des champs `refs`, avec clés étrangères composites des deux côtés. */
export async function syncLinkTables(trx: Tx, model: EntityModel, resolve: (name: string) => EntityModel | undefined): Promise<void> {
  for (const field of ownFields(model)) {
    if (field.type !== 'refs' || !field.def.options?.to) continue;
    const target = resolve(field.def.options.to);
    if (!target) throw new Error(`field ${model.name}.${field.name} references unknown entity ${field.def.options.to}`);
    const table = linkTable(model, field);
    if (await existingColumns(trx, table)) continue;
    await exec(trx, `CREATE TABLE ${q(table)} (
      tenant_id uuid NOT NULL,
      source_id uuid NOT NULL,
      target_id uuid NOT NULL,
      PRIMARY KEY (tenant_id, source_id, target_id),
      FOREIGN KEY (tenant_id, source_id) REFERENCES ${q(model.table)} (tenant_id, id),
      FOREIGN KEY (tenant_id, target_id) REFERENCES ${q(target.table)} (tenant_id, id)
    )`);
    await exec(trx, `CREATE INDEX ${q(objectName(table, 'target'))} ON ${q(table)} (tenant_id, target_id)`);
    for (const statement of tenantPolicySql(table)) await exec(trx, statement);
    await exec(trx, `GRANT SELECT, INSERT, DELETE ON ${q(table)} TO ${APP_ROLE}`);
  }
}

/** Synchronise un ensemble d'entités : tables (parents d'abord), puis clés étrangères. */
export async function syncSchema(trx: Tx, models: EntityModel[], resolve: (name: string) => EntityModel | undefined): Promise<void> {
  const ordered = [...models].sort((a, b) => a.chain.length - b.chain.length);
  for (const model of ordered) await syncTable(trx, model);
  for (const model of ordered) {
    await syncForeignKeys(trx, model, resolve);
    await syncLinkTables(trx, model, resolve);
  }
}
