// Valeurs validées → colonnes SQL typées (paramètres liés, jamais de concaténation).
import { sql, type RawBuilder } from 'kysely';
import type { FieldModel } from '../model.js';
import { columnsOf } from '../schema/columns.js';

export interface ColumnValue {
  column: string;
  value: RawBuilder<unknown>;
}

/** Valeurs des colonnes d'un champ, dans l'ordre de `columnsOf(field)` (un montant occupe deux colonnes). */
export function columnParams(field: FieldModel, value: unknown): unknown[] {
  if (field.type === 'money') {
    const money = value as { amount: string; currency: string } | null;
    return [money?.amount ?? null, money?.currency ?? null];
  }
  return columnsOf(field).map(() => value);
}

/** Type SQL vers lequel convertir le paramètre de la colonne `index` d'un champ. */
export function columnCast(field: FieldModel, index: number): string {
  if (field.type === 'money') return index === 0 ? 'numeric' : 'char(3)';
  return columnsOf(field)[index]!.sqlType;
}

/** Colonnes typées d'un champ à partir de ses paramètres (valeurs, ou emplacements d'un gabarit). */
export function columnsFrom(field: FieldModel, params: readonly unknown[]): ColumnValue[] {
  return columnsOf(field).map((spec, i) => ({ column: spec.name, value: sql`${params[i]}::${sql.raw(columnCast(field, i))}` }));
}

export function columnValues(field: FieldModel, value: unknown): ColumnValue[] {
  return columnsFrom(field, columnParams(field, value));
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
