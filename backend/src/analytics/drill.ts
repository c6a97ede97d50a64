// Filtre d'exploration d'une ligne d'analyse : le filtre JSON des listes qui retrouve exactement ses enregistrements
// (filtre de la requête, période analysée, valeur de chaque dimension, période d'une dimension temporelle dans le
// fuseau de l'analyse). Un point de graphique ouvre ainsi la liste filtrée, avec les droits de l'utilisateur.
import type { AnalyticsQuery, AnalyticsRow } from '@opsflux/sdk';
import type { PlannedDimension } from './compile.js';
import { addShift, type PeriodShift } from './periods.js';

const NEXT: Record<string, PeriodShift> = {
  day: { months: 0, days: 1 }, week: { months: 0, days: 7 }, month: { months: 1, days: 0 }, quarter: { months: 3, days: 0 },
  year: { months: 12, days: 0 }, fiscalQuarter: { months: 3, days: 0 }, fiscalYear: { months: 12, days: 0 },
};

/** Décalage d'un fuseau à un instant (ms) : heure locale lue comme UTC moins l'instant. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
}

/** Instant (ISO) du début d'un jour dans un fuseau, heures d'été comprises. */
export function zonedStart(day: string, timeZone: string): string {
  const local = Date.parse(`${day}T00:00:00Z`);
  let instant = local - offsetAt(local, timeZone);
  instant = local - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** Condition « de `from` inclus à `until` exclu » sur un champ date ou date-heure. */
function range(field: string, kind: string, from: string, until: string, timeZone: string): Record<string, unknown> {
  if (kind === 'date') return { [field]: { gte: from, lt: until } };
  return { [field]: { gte: zonedStart(from, timeZone), lt: zonedStart(until, timeZone) } };
}

export interface DrillContext {
  query: AnalyticsQuery;
  dimensions: PlannedDimension[];
  /** période analysée, bornes incluses */
  period?: { field: string; kind: string; from: string; to: string };
  timeZone: string;
}

export function drillFilter(row: AnalyticsRow, ctx: DrillContext): Record<string, unknown> | undefined {
  if (row.others) return undefined;
  const parts: unknown[] = [];
  if (ctx.query.filter) parts.push(ctx.query.filter);
  if (ctx.period) parts.push(range(ctx.period.field, ctx.period.kind, ctx.period.from, addShift(ctx.period.to, NEXT.day!, 1), ctx.timeZone));
  for (const d of ctx.dimensions) {
    const value = row.keys[d.name];
    if (d.spec.bucket) {
      if (typeof value !== 'string') return undefined;
      parts.push(range(d.spec.field, d.path.kind, value, addShift(value, NEXT[d.spec.bucket]!, 1), ctx.timeZone));
    } else {
      parts.push({ [d.spec.field]: value === null ? { null: true } : { eq: value } });
    }
  }
  return parts.length === 1 ? (parts[0] as Record<string, unknown>) : { and: parts };
}
