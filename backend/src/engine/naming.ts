// Noms d'entités et de champs : validés strictement (ASCII, longueur, mots réservés) avant d'atteindre le SQL.
import { createHash } from 'node:crypto';
import type { EntityModel, FieldModel } from './model.js';

export const ENTITY_NAME = /^[a-z][a-z0-9_]{1,39}$/;
export const FIELD_NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;

export const SYSTEM_FIELDS = [
  'id', 'eid', 'version', 'tenantId', 'companyId', 'siteId',
  'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy',
] as const;

// Mots réservés de PostgreSQL (SQL:2016 réservés + non réservés dangereux) et noms de routes de l'API.
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation
  column concurrently constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze
  from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
  localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
  returning right select session_user similar some symmetric system_user table tablesample then to trailing true union
  unique user using variadic verbose when where window with delete drop insert update alter truncate grant revoke
  oid ctid xmin xmax cmin cmax tableoid bulk trashed restore history meta data public pg_catalog information_schema
  tenant audit_log audit_head outbox schema_migration system_secret idempotency_key refresh_token personal_token auth_ticket saml_assertion meta_entity meta_field`
    .split(/\s+/)
    .filter(Boolean),
);

export function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export type NameProblem = 'invalid' | 'reserved';

export function checkEntityName(name: unknown): NameProblem | null {
  if (typeof name !== 'string' || !ENTITY_NAME.test(name) || name.endsWith('_') || name.includes('__')) return 'invalid';
  if (RESERVED.has(name) || name.startsWith('pg_') || name.startsWith('x_')) return 'reserved';
  return null;
}

export function checkFieldName(name: unknown): NameProblem | null {
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) return 'invalid';
  if ((SYSTEM_FIELDS as readonly string[]).includes(name) || RESERVED.has(name.toLowerCase())) return 'reserved';
  return null;
}

/** Nom d'objet SQL ≤ 63 caractères, stable (suffixe haché quand il faut tronquer). */
export function objectName(...parts: string[]): string {
  const name = parts.join('_');
  if (name.length <= 63) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54)}_${hash}`;
}

/** Table de liaison d'un champ `refs` (plusieurs-à-plusieurs). */
export function linkTable(model: EntityModel, field: FieldModel): string {
  return objectName(model.table, field.column, 'link');
}
