// Conversion de quantités entre unités d'une même catégorie (rapports exacts, arrondi au pas de l'unité cible).
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { UUID } from '../../engine/validate.js';
import { ProblemError } from '../../errors/problem.js';
import type { Locale } from '../../text/messages.js';
import { DECIMAL_TEXT, FieldProblems } from '../../errors/field-problems.js';

export interface UnitConversion {
  quantity: string;
  from: string;
  to: string;
  factor: string;
}

interface UnitRow {
  id: string;
  eid: string;
  symbol: string;
  ratio: string;
  rounding: string;
  category: string;
  category_name: string;
}

const D = Decimal.clone({ precision: 40 });

/** Arrondit au pas (0,01 ; 1 ; 0,5…), au plus proche, les demis vers le haut. */
export function roundToStep(value: Decimal.Value, step: Decimal.Value): string {
  const s = new D(step);
  if (s.lte(0)) return new D(value).toString();
  const rounded = new D(value).div(s).toDecimalPlaces(0, D.ROUND_HALF_UP).mul(s);
  return rounded.toFixed(Math.max(s.decimalPlaces(), 0));
}

/** Unité désignée par son identifiant ou son eid (`uom-kg`). */
export async function convertQuantity(trx: Tx, quantity: unknown, from: unknown, to: unknown, locale: Locale): Promise<UnitConversion> {
  const problems = new FieldProblems(locale);
  const text = typeof quantity === 'number' ? String(quantity) : quantity;
  if (typeof text !== 'string' || !DECIMAL_TEXT.test(text)) problems.add('quantity', 'invalid_type', { expected: 'decimal number' });
  for (const [key, value] of [['from', from], ['to', to]] as const) {
    if (typeof value !== 'string' || !value || value.length > 100) problems.add(key, 'invalid_type', { expected: 'unit id or eid' });
  }
  if (typeof from !== 'string' || typeof to !== 'string') problems.check();
  const keys = [from as string, to as string];
  const ids = keys.filter((k) => UUID.test(k));
  const { rows } = await sql<UnitRow>`SELECT u.id, u.eid, u.symbol, u.ratio::text AS ratio, u.rounding::text AS rounding, u.category, c.name AS category_name
    FROM uom u JOIN uom_category c ON c.id = u.category
    WHERE u.deleted_at IS NULL AND (u.eid IN (${sql.join(keys)})${ids.length ? sql` OR u.id IN (${sql.join(ids)})` : sql``})`.execute(trx);
  const find = (key: string) => rows.find((r) => r.id === key.toLowerCase() || r.eid === key);
  const source = find(keys[0]!);
  const target = find(keys[1]!);
  if (!source) problems.add('from', 'unknown_unit');
  if (!target) problems.add('to', 'unknown_unit');
  problems.check(); // toutes les erreurs ensemble : quantité et unités
  if (source!.category !== target!.category) {
    throw new ProblemError(422, 'uom_category_mismatch', `Cannot convert ${source!.symbol} (${source!.category_name}) to ${target!.symbol} (${target!.category_name}): different categories`);
  }
  const factor = new D(source!.ratio).div(target!.ratio);
  return { quantity: roundToStep(new D(text as string).mul(factor), target!.rounding), from: source!.symbol, to: target!.symbol, factor: factor.toSignificantDigits(15).toString() };
}
