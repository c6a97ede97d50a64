// Arithmétique des jours ouvrés d'un calendrier : jours de la semaine travaillés, jours fériés (datés ou annuels).
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import { notFound } from '../../errors/problem.js';
import type { Locale } from '../../text/messages.js';
import { FieldProblems, validDate } from '../../errors/field-problems.js';

export interface WorkingCalendar {
  /** jours travaillés, 0 = dimanche … 6 = samedi (comme getUTCDay) */
  days: Set<number>;
  holidays: Set<string>;
  /** fériés annuels, `MM-DD` */
  yearly: Set<string>;
}

const DAY_INDEX: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
// décalage maximal d'un calcul en jours ouvrés : borne le temps d'une requête, pas une règle métier
const MAX_DAYS = 10_000;
// durée d'un jour : une unité, pas un réglage
const DAY_MS = 86_400_000;

const toDate = (text: string) => new Date(`${text}T00:00:00Z`);
const toText = (date: Date) => date.toISOString().slice(0, 10);

export async function loadCalendar(trx: Tx, id: string): Promise<WorkingCalendar> {
  const { rows } = await sql<{ working_days: string[] | null }>`SELECT working_days FROM calendar WHERE id = ${id} AND deleted_at IS NULL`.execute(trx);
  if (!rows[0]) throw notFound(`Unknown calendar ${id}`);
  const holidays = await sql<{ date: string; yearly: boolean }>`SELECT to_char(date, 'YYYY-MM-DD') AS date, yearly FROM holiday
    WHERE calendar = ${id} AND deleted_at IS NULL`.execute(trx);
  return {
    days: new Set((rows[0].working_days ?? []).map((d) => DAY_INDEX[d]).filter((d): d is number => d !== undefined)),
    holidays: new Set(holidays.rows.filter((h) => !h.yearly).map((h) => h.date)),
    yearly: new Set(holidays.rows.filter((h) => h.yearly).map((h) => h.date.slice(5))),
  };
}

export function isWorkingDay(calendar: WorkingCalendar, date: Date): boolean {
  const text = toText(date);
  return calendar.days.has(date.getUTCDay()) && !calendar.holidays.has(text) && !calendar.yearly.has(text.slice(5));
}

/** `days` jours ouvrés après `start` (avant si négatif) ; `start` lui-même ne compte pas. */
export function addWorkingDays(calendar: WorkingCalendar, start: string, days: number): string {
  if (calendar.days.size === 0 && days !== 0) throw new Error('calendar without working days');
  const step = days < 0 ? -1 : 1;
  let date = toDate(start);
  for (let left = Math.abs(days); left > 0;) {
    date = new Date(date.getTime() + step * DAY_MS);
    if (isWorkingDay(calendar, date)) left--;
  }
  return toText(date);
}

/** Jours ouvrés de `from` (compris) à `to` (exclu) ; négatif si `to` précède `from`. */
export function workingDaysBetween(calendar: WorkingCalendar, from: string, to: string): number {
  const [a, b, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let t = toDate(a).getTime(); t < toDate(b).getTime(); t += DAY_MS) if (isWorkingDay(calendar, new Date(t))) count++;
  return sign * count;
}

/** Paramètres contrôlés des deux calculs (dates réelles, bornes raisonnables). */
export function checkDays(locale: Locale, input: { date?: unknown; days?: unknown; from?: unknown; to?: unknown }, mode: 'add' | 'between') {
  const problems = new FieldProblems(locale);
  const date = (key: string, value: unknown) => {
    if (typeof value !== 'string' || !validDate(value)) problems.add(key, 'invalid_type', { expected: 'date (YYYY-MM-DD)' });
  };
  if (mode === 'add') {
    date('date', input.date);
    const days = Number(input.days);
    if (typeof input.days !== 'string' || !/^-?\d{1,5}$/.test(input.days) || Math.abs(days) > MAX_DAYS) problems.add('days', 'too_large', { max: MAX_DAYS });
  } else {
    date('from', input.from);
    date('to', input.to);
    if (!problems.errors.length && Math.abs(toDate(input.to as string).getTime() - toDate(input.from as string).getTime()) > 20 * 366 * DAY_MS) {
      problems.add('to', 'too_large', { max: '20 years' });
    }
  }
  problems.check();
}
