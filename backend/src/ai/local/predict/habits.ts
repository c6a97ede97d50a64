// Habitudes de saisie d'un utilisateur pour un champ : les valeurs qu'il y a tapées, avec leur fréquence, leur
// dernière date, les heures de la journée et le contexte (valeurs des champs de référence du même enregistrement :
// « pour ce client »). Une suggestion pèse sa fréquence, atténuée par l'ancienneté, renforcée par le contexte et l'heure.
export interface HabitEvent {
  value: string;
  /** instant de la saisie (ms) */
  at: number;
  /** champ de référence → id de l'enregistrement visé */
  context: Record<string, string>;
}

export interface HabitValue {
  v: string;
  n: number;
  /** dernière saisie (ms) */
  last: number;
  /** saisies par heure UTC (clé : heure) */
  h: Record<string, number>;
  /** `champ=id` → saisies dans ce contexte */
  c: Record<string, number>;
}

export interface HabitModel {
  values: HabitValue[];
}

export interface Suggestion {
  value: string;
  score: number;
}

/** Demi-vie de l'ancienneté d'une saisie. */
const HALF_LIFE_MS = 30 * 86_400_000;
/** Poids d'une saisie faite dans le même contexte (même client…) et à la même heure. */
const CONTEXT_WEIGHT = 3;
const HOUR_WEIGHT = 0.5;
/** Contextes gardés par valeur. */
const MAX_CONTEXTS = 20;

/** Modèle appris des saisies (les `maxValues` valeurs les plus fortes à `now`). */
export function buildHabits(events: HabitEvent[], maxValues: number, now = Date.now()): HabitModel {
  const byValue = new Map<string, HabitValue>();
  for (const e of events) {
    const value = e.value.trim();
    if (!value) continue;
    const entry = byValue.get(value) ?? { v: value, n: 0, last: 0, h: {}, c: {} };
    entry.n += 1;
    entry.last = Math.max(entry.last, e.at);
    const hour = String(new Date(e.at).getUTCHours());
    entry.h[hour] = (entry.h[hour] ?? 0) + 1;
    for (const [field, id] of Object.entries(e.context)) entry.c[`${field}=${id}`] = (entry.c[`${field}=${id}`] ?? 0) + 1;
    byValue.set(value, entry);
  }
  const values = [...byValue.values()].map((v) => ({
    ...v, c: Object.fromEntries(Object.entries(v.c).sort((a, b) => b[1] - a[1]).slice(0, MAX_CONTEXTS)),
  }));
  values.sort((a, b) => strength(b, now) - strength(a, now));
  return { values: values.slice(0, maxValues) };
}

const strength = (v: HabitValue, now: number) => v.n * 0.5 ** (Math.max(0, now - v.last) / HALF_LIFE_MS);

/** Une valeur répond au début tapé : au début de la valeur ou d'un de ses mots, sans casse ni accents. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
function startsWith(value: string, prefix: string): boolean {
  if (!prefix) return true;
  const v = fold(value);
  const p = fold(prefix);
  return v.startsWith(p) || v.split(/[\s\-/_]+/).some((w) => w.startsWith(p));
}

export interface HabitQuery {
  prefix: string;
  context: Record<string, string>;
  now: number;
  limit: number;
}

/** Valeurs suggérées pour ce début, ce contexte et cette heure, de la plus probable à la moins probable. */
export function suggestHabits(model: HabitModel, query: HabitQuery): Suggestion[] {
  const hour = new Date(query.now).getUTCHours();
  const keys = Object.entries(query.context).map(([f, id]) => `${f}=${id}`);
  const scored = model.values
    .filter((v) => startsWith(v.v, query.prefix) && fold(v.v) !== fold(query.prefix))
    .map((v) => {
      const inContext = keys.reduce((sum, k) => sum + (v.c[k] ?? 0), 0);
      const atHour = (v.h[String(hour)] ?? 0) + 0.5 * ((v.h[String((hour + 23) % 24)] ?? 0) + (v.h[String((hour + 1) % 24)] ?? 0));
      const score = strength(v, query.now) * (1 + (CONTEXT_WEIGHT * inContext) / v.n) * (1 + (HOUR_WEIGHT * atHour) / v.n);
      return { value: v.v, score };
    });
  scored.sort((a, b) => b.score - a.score || a.value.localeCompare(b.value));
  const total = scored.reduce((s, x) => s + x.score, 0) || 1;
  return scored.slice(0, query.limit).map((s) => ({ value: s.value, score: Math.round((s.score / total) * 1000) / 1000 }));
}
