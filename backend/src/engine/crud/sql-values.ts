// Valeurs validées → colonnes SQL typées (paramètres liés, jamais de concaténation).
import { sql, type RawBuilder } from 'kysely';
import type { FieldModel } from '../model.js';
import { columnsOf } from '../schema/columns.js';

export interface ColumnValue {
  column: string;
  value: RawBuilder<unknown>;
}

export function columnValues(field: FieldModel, value: unknown): ColumnValue[] {
  const specs = columnsOf(field);
  if (field.type === 'money') {
    const money = value as { amount: string; currency: string } | null;
    return [
      { column: specs[0]!.name, value: sql`${money?.amount ?? null}::numeric` },
      { column: specs[1]!.name, value: sql`${money?.currency ?? null}::char(3)` },
    ];
  }
  return specs.map((spec) => ({ column: spec.name, value: sql`${value}::${sql.raw(spec.sqlType)}` }));
}

/** Regroupe les valeurs par table de la chaîne d'héritage (alias → colonnes). */
export function valuesByAlias(values: Map<FieldModel, unknown>): Map<string, ColumnValue[]> {
  const grouped = new Map<string, ColumnValue[]>();
  for (const [field, value] of values) {
    const list = grouped.get(field.alias) ?? [];
    list.push(...columnValues(field, value));
    grouped.set(field.alias, list);
  }
  return grouped;
}
