// Conversion de montants entre devises à une date : taux direct, inverse, ou triangulation par la devise de
// référence ; arithmétique décimale exacte (decimal.js, jamais de flottants) et arrondi aux décimales de la devise.
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { SettingAudience, Settings } from '../../config/settings.js';
import type { Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import type { Locale } from '../../text/messages.js';
import { DECIMAL_TEXT, FieldProblems, validDate } from '../../errors/field-problems.js';

export type Rounding = 'halfUp' | 'halfEven';

export interface ConversionRequest {
  amount: unknown;
  from: unknown;
  to: unknown;
  /** date du taux (défaut : aujourd'hui) */
  date?: unknown;
}

export interface ConversionPolicy {
  /** devise de triangulation */
  base: string;
  /** âge maximal du dernier taux connu, en jours */
  maxAgeDays: number;
  rounding: Rounding;
}

export interface RateUsed {
  base: string;
  quote: string;
  date: string;
  rate: string;
  inverted: boolean;
}

export interface Conversion {
  amount: string;
  from: string;
  to: string;
  date: string;
  /** taux appliqué (1 `from` = rate `to`), non arrondi */
  rate: string;
  /** devise de triangulation, s'il a fallu passer par elle */
  via: string | null;
  rates: RateUsed[];
}

/** Code ISO 4217. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;
const MODES: Record<Rounding, Decimal.Rounding> = { halfUp: Decimal.ROUND_HALF_UP, halfEven: Decimal.ROUND_HALF_EVEN };
const D = Decimal.clone({ precision: 40 });

export interface RateRow {
  base: string;
  quote: string;
  date: string;
  rate: string;
}

/** Règles de conversion du tenant (devise de référence, âge maximal des taux, arrondi), lues dans ses réglages. */
export async function conversionPolicy(settings: Settings, audience: SettingAudience, trx?: Tx): Promise<ConversionPolicy> {
  return {
    base: await settings.value<string>('currency.base', audience, trx),
    maxAgeDays: await settings.value<number>('currency.rates.maxAgeDays', audience, trx),
    rounding: await settings.value<Rounding>('currency.rounding', audience, trx),
  };
}

/** Arrondit un montant aux décimales d'une devise. */
export function roundMoney(amount: Decimal.Value, minorUnits: number, rounding: Rounding = 'halfUp'): string {
  return new D(amount).toFixed(minorUnits, MODES[rounding]);
}

export async function convert(trx: Tx, request: ConversionRequest, policy: ConversionPolicy, locale: Locale): Promise<Conversion> {
  const problems = new FieldProblems(locale);
  const amount = typeof request.amount === 'number' ? String(request.amount) : request.amount;
  if (typeof amount !== 'string' || !DECIMAL_TEXT.test(amount)) problems.add('amount', 'invalid_type', { expected: 'decimal number as text (e.g. "125.50")' });
  for (const key of ['from', 'to'] as const) {
    if (typeof request[key] !== 'string' || !CURRENCY_CODE.test(request[key] as string)) problems.add(key, 'invalid_type', { expected: 'ISO 4217 code' });
  }
  const date = request.date ?? new Date().toISOString().slice(0, 10);
  if (typeof date !== 'string' || !validDate(date)) problems.add('date', 'invalid_type', { expected: 'date (YYYY-MM-DD)' });
  problems.check();
  const from = request.from as string;
  const to = request.to as string;
  const codes = [...new Set([from, to, policy.base])];
  const known = await sql<{ code: string; minor_units: number }>`
    SELECT code, minor_units FROM currency WHERE code IN (${sql.join(codes)}) AND deleted_at IS NULL`.execute(trx);
  const minor = new Map(known.rows.map((r) => [r.code, r.minor_units]));
  for (const key of ['from', 'to'] as const) if (!minor.has(request[key] as string)) problems.add(key, 'unknown_currency', { code: request[key] as string });
  problems.check();
  const value = new D(amount as string);
  if (from === to) return { amount: roundMoney(value, minor.get(to)!, policy.rounding), from, to, date: date as string, rate: '1', via: null, rates: [] };

  const { rows } = await sql<RateRow>`
    SELECT DISTINCT ON (b.code, q.code) b.code AS base, q.code AS quote, to_char(r.date, 'YYYY-MM-DD') AS date, r.rate::text AS rate
    FROM exchange_rate r JOIN currency b ON b.id = r.base JOIN currency q ON q.id = r.quote
    WHERE r.deleted_at IS NULL AND r.date <= ${date}::date AND b.code IN (${sql.join(codes)}) AND q.code IN (${sql.join(codes)})
    ORDER BY b.code, q.code, r.date DESC`.execute(trx);
  const legs = pickLegs(latestLookup(rows), from, to, policy.base);
  if (!legs) {
    const through = from === policy.base || to === policy.base ? '' : ` (directly or through ${policy.base})`;
    throw new ProblemError(422, 'no_rate', `No exchange rate from ${from} to ${to} on or before ${date as string}${through}`);
  }
  const stale = staleLeg(legs, date as string, policy.maxAgeDays);
  if (stale) {
    throw new ProblemError(422, 'stale_rate', `The latest ${stale.base}/${stale.quote} rate is from ${stale.date}, more than ${policy.maxAgeDays} days before ${date as string}`);
  }
  const rate = legsRate(legs);
  return {
    amount: roundMoney(value.mul(rate), minor.get(to)!, policy.rounding),
    from, to, date: date as string,
    rate: rate.toSignificantDigits(15).toString(),
    via: legs.length === 2 ? policy.base : null,
    rates: legs,
  };
}

/** Dernier taux connu d'une paire (base, cotée), ou rien. */
export type RateLookup = (base: string, quote: string) => RateRow | undefined;

export function latestLookup(rows: RateRow[]): RateLookup {
  const byPair = new Map(rows.map((r) => [`${r.base}/${r.quote}`, r]));
  return (base, quote) => byPair.get(`${base}/${quote}`);
}

/** Taux direct, inverse (le plus récent des deux), ou triangulation par la devise de référence. */
export function pickLegs(latest: RateLookup, from: string, to: string, base: string): RateUsed[] | undefined {
  const leg = (x: string, y: string): RateUsed | undefined => {
    const direct = latest(x, y);
    const inverse = latest(y, x);
    const pick = direct && inverse ? (direct.date >= inverse.date ? direct : inverse) : direct ?? inverse;
    return pick && { ...pick, inverted: pick === inverse };
  };
  const direct = leg(from, to);
  if (direct) return [direct];
  if (from === base || to === base) return undefined;
  const first = leg(from, base);
  const second = leg(base, to);
  return first && second ? [first, second] : undefined;
}

/** Taux d'un enchaînement de jambes (1 `from` = rate `to`), non arrondi. */
export function legsRate(legs: RateUsed[]): Decimal {
  return legs.reduce((acc, used) => acc.mul(used.inverted ? new D(1).div(used.rate) : new D(used.rate)), new D(1));
}

/** Première jambe dont le taux est plus ancien que l'âge maximal permis avant `date`. */
export function staleLeg(legs: RateUsed[], date: string, maxAgeDays: number): RateUsed | undefined {
  const oldest = new Date(`${date}T00:00:00Z`).getTime() - maxAgeDays * 86_400_000;
  return legs.find((used) => new Date(`${used.date}T00:00:00Z`).getTime() < oldest);
}
