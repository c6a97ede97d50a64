// Dates relatives d'une question (« ce mois », « last quarter », « hier », « depuis 30 jours », « en 2025 ») en
// intervalle [début, fin[ de jours du calendrier, calculés dans le fuseau de l'utilisateur.

export interface DayRange {
  /** premier jour inclus, YYYY-MM-DD */
  from: string;
  /** premier jour exclu, YYYY-MM-DD ; absent : sans borne */
  to?: string;
}

export interface DateMatch {
  start: number;
  end: number;
  range: DayRange;
}

const MONTHS: Record<string, number> = {
  janvier: 1, january: 1, jan: 1, fevrier: 2, february: 2, feb: 2, mars: 3, march: 3, avril: 4, april: 4, apr: 4, mai: 5, may: 5,
  juin: 6, june: 6, juillet: 7, july: 7, aout: 8, august: 8, aug: 8, septembre: 9, september: 9, sept: 9, octobre: 10, october: 10, oct: 10,
  novembre: 11, november: 11, nov: 11, decembre: 12, december: 12, dec: 12,
};
const UNITS: Record<string, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  jour: 'day', jours: 'day', day: 'day', days: 'day', semaine: 'week', semaines: 'week', week: 'week', weeks: 'week',
  mois: 'month', month: 'month', months: 'month', trimestre: 'quarter', trimestres: 'quarter', quarter: 'quarter', quarters: 'quarter',
  an: 'year', ans: 'year', annee: 'year', annees: 'year', year: 'year', years: 'year',
};
const THIS = new Set(['ce', 'cet', 'cette', 'this', 'current', 'en', 'courant', 'courante']);
const LAST = new Set(['dernier', 'derniere', 'last', 'previous', 'precedent', 'precedente', 'passe', 'passee']);
const NEXT = new Set(['prochain', 'prochaine', 'next', 'suivant', 'suivante']);
const SINCE = new Set(['depuis', 'since', 'past', 'last', 'derniers', 'dernieres', 'within']);

/** Jour du calendrier (UTC minuit) manipulé comme une date sans heure. */
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const addMonths = (d: Date, n: number) => day(d.getUTCFullYear(), d.getUTCMonth() + 1 + n, 1);

/** Date du jour dans le fuseau donné. */
export function todayIn(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = parts.split('-').map(Number);
  return day(y!, m!, d!);
}

/** Début d'une période contenant `today`, décalée de `offset` périodes. */
function period(unit: 'day' | 'week' | 'month' | 'quarter' | 'year', today: Date, offset: number): DayRange {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  switch (unit) {
    case 'day': return { from: iso(addDays(today, offset)), to: iso(addDays(today, offset + 1)) };
    case 'week': {
      // semaine ISO : du lundi au dimanche
      const monday = addDays(today, -((today.getUTCDay() + 6) % 7) + 7 * offset);
      return { from: iso(monday), to: iso(addDays(monday, 7)) };
    }
    case 'month': {
      const start = addMonths(day(y, m, 1), offset);
      return { from: iso(start), to: iso(addMonths(start, 1)) };
    }
    case 'quarter': {
      const start = addMonths(day(y, m - ((m - 1) % 3), 1), 3 * offset);
      return { from: iso(start), to: iso(addMonths(start, 3)) };
    }
    case 'year': return { from: iso(day(y + offset, 1, 1)), to: iso(day(y + offset + 1, 1, 1)) };
  }
}

/** Cherche une expression de date dans les mots ; renvoie sa position et l'intervalle de jours. */
export function findDate(tokens: string[], now: Date, timeZone: string): DateMatch | undefined {
  const today = todayIn(now, timeZone);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    const match = (length: number, range: DayRange): DateMatch => ({ start: i, end: i + length, range });
    if (t === 'aujourd' && next === 'hui') return match(2, period('day', today, 0));
    if (t === 'today') return match(1, period('day', today, 0));
    if (t === 'hier' || t === 'yesterday') return match(1, period('day', today, -1));
    if (t === 'demain' || t === 'tomorrow') return match(1, period('day', today, 1));
    if (t === 'avant' && next === 'hier') return match(2, period('day', today, -2));
    // « depuis 30 jours », « last 30 days », « past 2 weeks », « les 3 derniers mois »
    if (SINCE.has(t) && next && /^\d+$/.test(next) && after && UNITS[after]) {
      return match(3, since(today, Number(next), UNITS[after]!));
    }
    if (/^\d+$/.test(t) && next && UNITS[next] && after && (after === 'derniers' || after === 'dernieres')) {
      return match(3, since(today, Number(t), UNITS[next]!));
    }
    // « ce mois », « this quarter », « cette année », « en cours »
    if (THIS.has(t) && next && UNITS[next] && UNITS[next] !== 'day') {
      const length = after === 'ci' || after === 'courant' || after === 'courante' || after === 'en' && tokens[i + 3] === 'cours' ? (after === 'en' ? 4 : 3) : 2;
      return match(length, period(UNITS[next]!, today, 0));
    }
    // « le mois dernier », « last quarter », « l'année prochaine »
    if (next && UNITS[next] && (LAST.has(t) || NEXT.has(t)) && UNITS[next] !== 'day') return match(2, period(UNITS[next]!, today, LAST.has(t) ? -1 : 1));
    if (UNITS[t] && UNITS[t] !== 'day' && next && (LAST.has(next) || NEXT.has(next))) return match(2, period(UNITS[t]!, today, LAST.has(next) ? -1 : 1));
    // « en 2025 », « in 2025 », « 2025 »
    if (/^(19|20)\d\d$/.test(t)) {
      const y = Number(t);
      const month = i > 0 ? MONTHS[tokens[i - 1]!] : undefined;
      if (month) return { start: i - 1, end: i + 1, range: { from: iso(day(y, month, 1)), to: iso(addMonths(day(y, month, 1), 1)) } };
      return match(1, { from: `${y}-01-01`, to: `${y + 1}-01-01` });
    }
    // « en mars » : le mois de l'année en cours
    if (MONTHS[t] && t.length > 3 && (i === 0 || ['en', 'in', 'de', 'of', 'du', 'during'].includes(tokens[i - 1]!))) {
      const start = day(today.getUTCFullYear(), MONTHS[t]!, 1);
      return match(1, { from: iso(start), to: iso(addMonths(start, 1)) });
    }
  }
  return undefined;
}

/** Les n dernières unités jusqu'à aujourd'hui inclus. */
function since(today: Date, n: number, unit: 'day' | 'week' | 'month' | 'quarter' | 'year'): DayRange {
  const days = { day: 1, week: 7 }[unit as 'day' | 'week'];
  const from = days ? addDays(today, -n * days) : unit === 'year' ? day(today.getUTCFullYear() - n, today.getUTCMonth() + 1, today.getUTCDate())
    : day(today.getUTCFullYear(), today.getUTCMonth() + 1 - n * (unit === 'quarter' ? 3 : 1), today.getUTCDate());
  return { from: iso(from), to: iso(addDays(today, 1)) };
}

/** Décalage du fuseau à minuit de ce jour, en `+hh:mm`. */
function offsetAt(date: string, timeZone: string): string {
  const probe = new Date(`${date}T12:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/** Condition de filtre d'un intervalle de jours sur un champ date (jours) ou datetime (instants du fuseau). */
export function rangeCondition(range: DayRange, kind: 'date' | 'datetime', timeZone: string): Record<string, string> {
  const bound = (d: string) => (kind === 'date' ? d : `${d}T00:00:00${offsetAt(d, timeZone)}`);
  return range.to ? { gte: bound(range.from), lt: bound(range.to) } : { gte: bound(range.from) };
}
