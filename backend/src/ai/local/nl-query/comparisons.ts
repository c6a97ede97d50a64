// Comparaisons numériques d'une question : « plus de 10 000 EUR », « over 10k », « at least 30 », « entre 10 et 20 »,
// « > 5 ». Renvoie l'opérateur, la ou les valeurs, l'unité citée (devise, jours) et la position des mots.

export interface Comparison {
  start: number;
  end: number;
  condition: Record<string, unknown>;
  /** devise ou unité citée juste après le nombre */
  unit?: string;
}

const CURRENCIES: Record<string, string> = { eur: 'EUR', euro: 'EUR', euros: 'EUR', '€': 'EUR', usd: 'USD', dollar: 'USD', dollars: 'USD', $: 'USD', gbp: 'GBP', livres: 'GBP', pounds: 'GBP', '£': 'GBP' };
const DAY_UNITS = new Set(['jour', 'jours', 'day', 'days', 'j']);

/** Opérateurs introduits par un ou deux mots. */
const OPERATORS: Array<[string[], 'gt' | 'gte' | 'lt' | 'lte' | 'eq']> = [
  [['plus', 'de'], 'gt'], [['plus', 'que'], 'gt'], [['more', 'than'], 'gt'], [['greater', 'than'], 'gt'], [['higher', 'than'], 'gt'],
  [['superieur', 'a'], 'gt'], [['superieure', 'a'], 'gt'], [['au', 'dela', 'de'], 'gt'], [['over'], 'gt'], [['above'], 'gt'], [['>'], 'gt'],
  [['au', 'moins'], 'gte'], [['at', 'least'], 'gte'], [['minimum'], 'gte'], [['>='], 'gte'], [['min'], 'gte'],
  [['moins', 'de'], 'lt'], [['moins', 'que'], 'lt'], [['less', 'than'], 'lt'], [['lower', 'than'], 'lt'], [['fewer', 'than'], 'lt'],
  [['inferieur', 'a'], 'lt'], [['inferieure', 'a'], 'lt'], [['under'], 'lt'], [['below'], 'lt'], [['<'], 'lt'],
  [['au', 'plus'], 'lte'], [['at', 'most'], 'lte'], [['maximum'], 'lte'], [['max'], 'lte'], [['jusqu', 'a'], 'lte'], [['up', 'to'], 'lte'], [['<='], 'lte'],
  [['egal', 'a'], 'eq'], [['equal', 'to'], 'eq'], [['exactement'], 'eq'], [['exactly'], 'eq'], [['='], 'eq'],
];

/** Nombre écrit « 10000 », « 10,000 », « 10.5 », « 10,5 », « 10k », « 2m » ; undefined sinon. */
export function parseNumber(token: string | undefined): number | undefined {
  if (!token) return undefined;
  const m = /^(\d+(?:[.,]\d+)*)(k|m)?$/.exec(token);
  if (!m) return undefined;
  // « 10,000 » et « 10.000 » : séparateurs de milliers ; « 10,5 » : virgule décimale
  const text = /^\d{1,3}([,.]\d{3})+$/.test(m[1]!) ? m[1]!.replace(/[,.]/g, '') : m[1]!.replace(',', '.');
  const value = Number(text) * (m[2] === 'k' ? 1000 : m[2] === 'm' ? 1_000_000 : 1);
  return Number.isFinite(value) ? value : undefined;
}

function unitAt(tokens: string[], i: number): { unit?: string; length: number } {
  const t = tokens[i];
  if (t && CURRENCIES[t]) return { unit: CURRENCIES[t], length: 1 };
  if (t && DAY_UNITS.has(t)) return { unit: 'days', length: 1 };
  return { length: 0 };
}

/** Toutes les comparaisons de la question, dans l'ordre. */
export function findComparisons(tokens: string[]): Comparison[] {
  const found: Comparison[] = [];
  for (let i = 0; i < tokens.length; i++) {
    // « entre 10 et 20 », « between 10 and 20 »
    if ((tokens[i] === 'entre' || tokens[i] === 'between') && parseNumber(tokens[i + 1]) !== undefined) {
      const low = parseNumber(tokens[i + 1])!;
      let j = i + 2;
      const u1 = unitAt(tokens, j);
      j += u1.length;
      if ((tokens[j] === 'et' || tokens[j] === 'and') && parseNumber(tokens[j + 1]) !== undefined) {
        const high = parseNumber(tokens[j + 1])!;
        const u2 = unitAt(tokens, j + 2);
        found.push({ start: i, end: j + 2 + u2.length, condition: { gte: low, lte: high }, unit: u1.unit ?? u2.unit });
        i = j + 1 + u2.length;
        continue;
      }
    }
    for (const [words, op] of OPERATORS) {
      if (!words.every((w, k) => tokens[i + k] === w)) continue;
      const value = parseNumber(tokens[i + words.length]);
      if (value === undefined) continue;
      const u = unitAt(tokens, i + words.length + 1);
      found.push({ start: i, end: i + words.length + 1 + u.length, condition: { [op]: value }, unit: u.unit });
      i += words.length + u.length;
      break;
    }
  }
  return found;
}
