// Périodes régulières d'une série (jour, semaine ISO, mois, trimestre) en dates UTC `YYYY-MM-DD` : début de période,
// période suivante, longueur de la saison attendue.
import type { TimeBucket } from '../../../engine/query/aggregate.js';

export const FORECAST_BUCKETS = ['day', 'week', 'month', 'quarter'] as const satisfies readonly TimeBucket[];
export type ForecastBucket = (typeof FORECAST_BUCKETS)[number];

/** Cycle attendu : la semaine pour des jours, l'année pour des semaines, des mois, des trimestres. */
export const SEASON: Record<ForecastBucket, number> = { day: 7, week: 52, month: 12, quarter: 4 };

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Début de la période qui contient cette date. */
export function bucketStart(date: string | Date, unit: ForecastBucket): string {
  const d = new Date(typeof date === 'string' ? `${date.slice(0, 10)}T00:00:00Z` : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (unit === 'month' || unit === 'quarter') d.setUTCDate(1);
  if (unit === 'quarter') d.setUTCMonth(d.getUTCMonth() - (d.getUTCMonth() % 3));
  return iso(d);
}

/** Début de la période suivante. */
export function nextBucket(start: string, unit: ForecastBucket): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (unit === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + (unit === 'month' ? 1 : 3));
  return iso(d);
}
