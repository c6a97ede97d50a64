// Périodes d'une analyse : découpage d'un champ date dans le fuseau de l'analyse (jour, semaine ISO, mois, trimestre,
// année, trimestre et année de l'exercice), bornes d'une période analysée et période de comparaison.
import type { AnalyticsBucket, AnalyticsComparison } from '@opsflux/sdk';
import { sql, type RawBuilder } from 'kysely';
import type { ResolvedPath } from '../engine/filter/types.js';

export interface PeriodContext {
  timeZone: string;
  /** mois de début de l'exercice (1 = janvier) */
  fiscalStartMonth: number;
}

/** Instant local (timestamp sans fuseau) d'un champ date ou date-heure. */
function localSql(path: ResolvedPath, ctx: PeriodContext): RawBuilder<unknown> {
  return path.kind === 'date' ? sql`${path.expr}::timestamp` : sql`(${path.expr} AT TIME ZONE ${ctx.timeZone})`;
}

/** Début de la période (texte `YYYY-MM-DD`) ; l'exercice se calcule en reculant du décalage, en tronquant, puis en avançant. */
export function bucketSql(path: ResolvedPath, bucket: AnalyticsBucket, ctx: PeriodContext): RawBuilder<unknown> {
  const local = localSql(path, ctx);
  if (bucket === 'fiscalYear' || bucket === 'fiscalQuarter') {
    const unit = bucket === 'fiscalYear' ? 'year' : 'quarter';
    const shift = sql`make_interval(months => ${ctx.fiscalStartMonth - 1}::int)`;
    return sql`to_char(date_trunc(${unit}, ${local} - ${shift}) + ${shift}, 'YYYY-MM-DD')`;
  }
  return sql`to_char(date_trunc(${bucket}, ${local}), 'YYYY-MM-DD')`;
}

/** Condition « dans la période » : bornes incluses, jours du fuseau de l'analyse pour une date-heure (heures d'été comprises). */
export function periodSql(path: ResolvedPath, from: string, to: string, ctx: PeriodContext): RawBuilder<unknown> {
  if (path.kind === 'date') return sql`(${path.expr} BETWEEN ${from}::date AND ${to}::date)`;
  return sql`(${path.expr} >= (${from}::date::timestamp AT TIME ZONE ${ctx.timeZone}) AND ${path.expr} < ((${to}::date + 1)::timestamp AT TIME ZONE ${ctx.timeZone}))`;
}

/** Décalage d'une période de comparaison : en mois quand la période couvre des mois entiers, sinon en jours. */
export interface PeriodShift {
  months: number;
  days: number;
}

const day = (text: string) => new Date(`${text}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** Ajoute des mois en restant dans le mois visé (31 janvier + 1 mois = 28 ou 29 février). */
function addMonths(text: string, months: number): string {
  const d = day(text);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return iso(target);
}

export function addShift(text: string, shift: PeriodShift, sign: 1 | -1): string {
  const moved = shift.months ? addMonths(text, sign * shift.months) : text;
  return shift.days ? iso(new Date(day(moved).getTime() + sign * shift.days * 86_400_000)) : moved;
}

export function comparisonShift(from: string, to: string, compare: AnalyticsComparison): PeriodShift {
  if (compare === 'previousYear') return { months: 12, days: 0 };
  const start = day(from);
  const end = day(to);
  const next = new Date(end.getTime() + 86_400_000);
  if (start.getUTCDate() === 1 && next.getUTCDate() === 1) {
    return { months: (next.getUTCFullYear() - start.getUTCFullYear()) * 12 + next.getUTCMonth() - start.getUTCMonth(), days: 0 };
  }
  return { months: 0, days: Math.round((next.getTime() - start.getTime()) / 86_400_000) };
}

/** Début de période d'une date déjà décalée (clé de la période de comparaison ramenée sur la période analysée). */
export function bucketStart(text: string, bucket: AnalyticsBucket, fiscalStartMonth: number): string {
  const d = day(text);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (bucket) {
    case 'day': return text;
    case 'week': return iso(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000));
    case 'month': return iso(new Date(Date.UTC(y, m, 1)));
    case 'quarter': return iso(new Date(Date.UTC(y, m - (m % 3), 1)));
    case 'year': return iso(new Date(Date.UTC(y, 0, 1)));
    case 'fiscalQuarter': case 'fiscalYear': {
      const offset = (m - (fiscalStartMonth - 1) + 12) % 12;
      const back = bucket === 'fiscalYear' ? offset : offset % 3;
      return iso(new Date(Date.UTC(y, m - back, 1)));
    }
  }
}

/** Jour courant dans un fuseau (`YYYY-MM-DD`). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Bornes incluses d'une période glissante nommée, à partir du jour courant. */
export function presetRange(preset: string, today: string): { from: string; to: string } {
  const previousDay = (text: string) => addShift(text, { months: 0, days: 1 }, -1);
  switch (preset) {
    case 'today': return { from: today, to: today };
    case 'thisWeek': return { from: bucketStart(today, 'week', 1), to: today };
    case 'thisMonth': return { from: bucketStart(today, 'month', 1), to: today };
    case 'lastMonth': {
      const start = bucketStart(today, 'month', 1);
      return { from: addShift(start, { months: 1, days: 0 }, -1), to: previousDay(start) };
    }
    case 'thisQuarter': return { from: bucketStart(today, 'quarter', 1), to: today };
    case 'thisYear': return { from: bucketStart(today, 'year', 1), to: today };
    case 'lastYear': {
      const start = bucketStart(today, 'year', 1);
      return { from: addShift(start, { months: 12, days: 0 }, -1), to: previousDay(start) };
    }
    case 'last30Days': return { from: addShift(today, { months: 0, days: 29 }, -1), to: today };
    default: return { from: addShift(addShift(today, { months: 12, days: 0 }, -1), { months: 0, days: 1 }, 1), to: today };
  }
}
