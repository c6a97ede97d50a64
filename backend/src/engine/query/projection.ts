// Projection SQL d'une entité : colonnes système et champs exposés, déjà sous leur nom d'API (camelCase).
import { sql, type RawBuilder } from 'kysely';
import { sqlCompiler } from '../../db/postgres-dialect.js';
import { exposedFields, type EntityModel, type FieldModel } from '../model.js';
import { linkTable } from '../naming.js';

/** Table qui porte un champ hérité : le nom de la table de liaison dépend d'elle, pas de la feuille. */
export function ownerModel(model: EntityModel, field: FieldModel): EntityModel {
  const link = model.chain.find((l) => l.entity === field.owner);
  return link ? { ...model, table: link.table } : model;
}

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** Champs système de toute entité (companyId / siteId sont des champs ordinaires des entités rattachées). */
export const SYSTEM_PROJECTION: Array<[string, string]> = [
  ['id', 'id'], ['eid', 'eid'], ['version', 'version'],
  ['createdAt', 'created_at'], ['createdBy', 'created_by'], ['updatedAt', 'updated_at'], ['updatedBy', 'updated_by'],
  ['deletedAt', 'deleted_at'], ['deletedBy', 'deleted_by'],
];

/** Expression SQL de la valeur d'un champ (money : objet JSON { amount, currency }). */
export function fieldValueSql(field: FieldModel, model?: EntityModel): RawBuilder<unknown> {
  if (field.type === 'refs' && model) {
    const link = sql.table(linkTable(model, field));
    const owner = sql.ref(`${field.alias}.id`);
    return sql`ARRAY(SELECT l.target_id::text FROM ${link} AS l WHERE l.source_id = ${owner} AND l.tenant_id = ${sql.ref(`${field.alias}.tenant_id`)} ORDER BY l.target_id)`;
  }
  if (field.type === 'money') {
    const amount = ref(field.alias, `${field.column}_amount`);
    const currency = ref(field.alias, `${field.column}_currency`);
    return sql`CASE WHEN ${amount} IS NULL THEN NULL ELSE json_build_object('amount', ${amount}::text, 'currency', ${currency}) END`;
  }
  return sql`${ref(field.alias, field.column)}`;
}

/**
 * Mémorise par modèle un fragment SQL sans paramètre, compilé une fois en texte
 * (le modèle change d'objet quand les métadonnées changent).
 */
function memo(build: (model: EntityModel) => RawBuilder<unknown>): (model: EntityModel) => RawBuilder<unknown> {
  const cache = new WeakMap<EntityModel, RawBuilder<unknown>>();
  return (model) => {
    let fragment = cache.get(model);
    if (!fragment) {
      const compiled = build(model).compile(sqlCompiler);
      fragment = compiled.parameters.length === 0 ? sql.raw(compiled.sql) : build(model);
      cache.set(model, fragment);
    }
    return fragment;
  };
}

const fullProjection = memo((model) => buildProjection(model));

/** Liste `expr AS "nom"` ; `only` restreint aux champs demandés (id toujours présent). */
export function projection(model: EntityModel, only?: ReadonlySet<string>): RawBuilder<unknown> {
  return only ? buildProjection(model, only) : fullProjection(model);
}

function buildProjection(model: EntityModel, only?: ReadonlySet<string>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  for (const [name, column] of SYSTEM_PROJECTION) {
    if (only && name !== 'id' && !only.has(name)) continue;
    parts.push(sql`${ref('t0', column)} AS ${sql.ref(name)}`);
  }
  for (const field of exposedFields(model)) {
    if (only && !only.has(field.name)) continue;
    parts.push(sql`${fieldValueSql(field, ownerModel(model, field))} AS ${sql.ref(field.name)}`);
  }
  return sql.join(parts);
}

/** FROM de l'entité : table feuille t0 jointe à ses tables parentes (héritage). */
export const fromChain = memo(buildFromChain);

function buildFromChain(model: EntityModel): RawBuilder<unknown> {
  const [leaf, ...parents] = model.chain;
  const joins = parents.map(
    (p) => sql` JOIN ${sql.table(p.table)} AS ${sql.raw(p.alias)} ON ${sql.ref(`${p.alias}.id`)} = t0.id AND ${sql.ref(`${p.alias}.tenant_id`)} = t0.tenant_id`,
  );
  return sql`${sql.table(leaf!.table)} AS t0${sql.join(joins, sql``)}`;
}

/** Condition « non supprimé » sur toute la chaîne (supprimer un parent masque ses rôles). */
export const aliveSql = memo((model) => sql.join(model.chain.map((l) => sql`${sql.ref(`${l.alias}.deleted_at`)} IS NULL`), sql` AND `));
