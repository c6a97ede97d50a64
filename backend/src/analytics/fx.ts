// Taux de conversion d'une analyse vers une devise : un taux par devise à une date fixe, ou une grille (devise, jour)
// au taux de la date de chaque enregistrement. Même choix de taux que la conversion unitaire (direct, inverse,
// triangulation, âge maximal) ; la requête joint la table et multiplie chaque montant, en décimal exact.
import { sql } from 'kysely';
import type { Tx } from '../db/transaction.js';
import { ProblemError } from '../errors/problem.js';
import {
  latestLookup, legsRate, pickLegs, staleLeg, type ConversionPolicy, type RateRow,
} from '../services/reference/currency-conversion.js';

/** Taux vers la devise cible : par code (date fixe) ou par code et jour (date de l'enregistrement). */
export interface RateTable {
  target: string;
  minorUnits: number;
  codes: string[];
  /** jours de la grille, alignés sur `codes` ; absent à date fixe */
  days?: string[];
  rates: string[];
}

/** Cellules (devise × jour) au plus dans une grille de taux : au-delà, une date fixe ou une période plus courte. */
export const MAX_RATE_CELLS = 100_000;

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

async function targetMinorUnits(trx: Tx, code: string): Promise<number> {
  const { rows } = await sql<{ minor_units: number }>`SELECT minor_units FROM currency WHERE code = ${code} AND deleted_at IS NULL`.execute(trx);
  if (!rows[0]) throw new ProblemError(422, 'unknown_currency', `Unknown currency ${code}`);
  return rows[0].minor_units;
}

/** Taux de chaque devise connue vers la cible, au dernier cours connu le jour donné. */
export async function fixedRates(trx: Tx, target: string, date: string, policy: ConversionPolicy): Promise<RateTable> {
  const minorUnits = await targetMinorUnits(trx, target);
  const { rows } = await sql<RateRow>`
    SELECT DISTINCT ON (b.code, q.code) b.code AS base, q.code AS quote, to_char(r.date, 'YYYY-MM-DD') AS date, r.rate::text AS rate
    FROM exchange_rate r JOIN currency b ON b.id = r.base JOIN currency q ON q.id = r.quote
    WHERE r.deleted_at IS NULL AND r.date <= ${date}::date
    ORDER BY b.code, q.code, r.date DESC`.execute(trx);
  const lookup = latestLookup(rows);
  const table: RateTable = { target, minorUnits, codes: [], rates: [] };
  for (const code of new Set(rows.flatMap((r) => [r.base, r.quote]))) {
    if (code === target) continue;
    const legs = pickLegs(lookup, code, target, policy.base);
    if (!legs || staleLeg(legs, date, policy.maxAgeDays)) continue;
    table.codes.push(code);
    table.rates.push(legsRate(legs).toString());
  }
  return table;
}

/** Grille (devise, jour) de `from` (défaut : le premier taux connu) à `to` : pour chaque jour, le dernier cours connu de chaque paire. */
export async function dailyRates(trx: Tx, target: string, from: string | undefined, to: string, policy: ConversionPolicy): Promise<RateTable> {
  const minorUnits = await targetMinorUnits(trx, target);
  const { rows } = await sql<RateRow>`
    SELECT b.code AS base, q.code AS quote, to_char(r.date, 'YYYY-MM-DD') AS date, r.rate::text AS rate
    FROM exchange_rate r JOIN currency b ON b.id = r.base JOIN currency q ON q.id = r.quote
    WHERE r.deleted_at IS NULL AND r.date <= ${to}::date
    ORDER BY r.date`.execute(trx);
  const codes = [...new Set(rows.flatMap((r) => [r.base, r.quote]))].filter((c) => c !== target);
  const first = from ?? rows[0]?.date ?? to;
  const start = new Date(`${first}T00:00:00Z`).getTime();
  const end = new Date(`${to}T00:00:00Z`).getTime();
  const cells = (Math.floor((end - start) / DAY) + 1) * codes.length;
  if (cells > MAX_RATE_CELLS) {
    throw new ProblemError(422, 'rate_grid_too_large', `Converting at each record's date from ${first} to ${to} needs ${cells} daily rates (at most ${MAX_RATE_CELLS}): choose a shorter period or a fixed rate date`);
  }
  const latest = new Map<string, RateRow>();
  const lookup = (base: string, quote: string) => latest.get(`${base}/${quote}`);
  const table: RateTable = { target, minorUnits, codes: [], days: [], rates: [] };
  let next = 0;
  for (let t = Math.min(start, end); t <= end; t += DAY) {
    const today = iso(t);
    for (; next < rows.length && rows[next]!.date <= today; next++) latest.set(`${rows[next]!.base}/${rows[next]!.quote}`, rows[next]!);
    for (const code of codes) {
      const legs = pickLegs(lookup, code, target, policy.base);
      if (!legs || staleLeg(legs, today, policy.maxAgeDays)) continue;
      table.codes.push(code);
      table.days!.push(today);
      table.rates.push(legsRate(legs).toString());
    }
  }
  return table;
}
