// Correspondance type de champ → colonne(s) PostgreSQL.
import type { FieldModel } from '../model.js';

export interface ColumnSpec {
  name: string;
  sqlType: string;
  /** expression d'une colonne générée (champ calculé) */
  generated?: string;
}

const COMPUTED_TYPES: Record<string, string> = {
  string: 'text', integer: 'integer', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz',
};

function numericType(field: FieldModel): string {
  const { precision, scale } = field.def.options ?? {};
  return precision ? `numeric(${Math.trunc(precision)},${Math.trunc(scale ?? 0)})` : 'numeric';
}

/** Colonnes physiques d'un champ (aucune pour les champs virtuels). */
export function columnsOf(field: FieldModel): ColumnSpec[] {
  const c = field.column;
  switch (field.type) {
    case 'string': case 'text': case 'email': case 'phone': case 'url': case 'enum':
      return [{ name: c, sqlType: 'text' }];
    case 'integer':
      return [{ name: c, sqlType: 'integer' }];
    case 'decimal':
      return [{ name: c, sqlType: numericType(field) }];
    case 'money':
      return [{ name: `${c}_amount`, sqlType: numericType(field) }, { name: `${c}_currency`, sqlType: 'char(3)' }];
    case 'boolean':
      return [{ name: c, sqlType: 'boolean' }];
    case 'date':
      return [{ name: c, sqlType: 'date' }];
    case 'datetime':
      return [{ name: c, sqlType: 'timestamptz' }];
    case 'json': case 'translatable':
      return [{ name: c, sqlType: 'jsonb' }];
    case 'ref': case 'file':
      return [{ name: c, sqlType: 'uuid' }];
    case 'tags':
      return [{ name: c, sqlType: 'text[]' }];
    case 'computed':
      return [{
        name: c,
        sqlType: COMPUTED_TYPES[field.def.options?.returns ?? 'string'] ?? 'text',
        generated: field.def.options?.sql,
      }];
    case 'refs': case 'children':
      return [];
  }
}
