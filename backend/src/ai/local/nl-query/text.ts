// Texte d'une question : normalisation (minuscules, sans accents ni ponctuation), découpage en mots, racine grossière
// (pluriels français et anglais) et ressemblance approximative des mots (distance d'édition).
import { distance } from 'fastest-levenshtein';

/** Minuscules sans accents ; apostrophes et ponctuation deviennent des espaces (les nombres gardent `.` et `,`). */
export function normalize(text: string): string {
  return text
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`]/g, ' ')
    .replace(/(\d)[\s\u00a0\u202f](?=\d{3}\b)/g, '$1')
    .replace(/[^a-z0-9€$£%<>=.,\s-]/g, ' ')
    .replace(/(?<!\d)[.,]|[.,](?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  return normalize(text).split(' ').filter(Boolean);
}

/** Racine grossière : retire les marques de pluriel (« clients », « addresses », « journaux », « companies »). */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('aux')) return `${word.slice(0, -3)}al`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ses') || word.endsWith('xes') || word.endsWith('ches')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.endsWith('x')) return word.slice(0, -1);
  return word;
}

/** Mots d'un identifiant (`creditLimit`, `business_unit`) ou d'un libellé. */
export function words(text: string): string[] {
  return tokenize(text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' '));
}

/** Ressemblance de deux mots (racines) entre 0 et 1 ; les mots courts doivent être identiques. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const sa = stem(a);
  const sb = stem(b);
  if (sa === sb) return 0.98;
  const longest = Math.max(sa.length, sb.length);
  if (Math.min(sa.length, sb.length) < 5) return 0;
  // deux lettres interverties (« cleints ») : une seule faute
  if (sa.length === sb.length && [...sa].sort().join('') === [...sb].sort().join('') && distance(sa, sb) === 2) return 0.9;
  return 1 - distance(sa, sb) / longest;
}

/** Seuil de ressemblance au-delà duquel deux mots sont tenus pour égaux (une faute de frappe sur cinq lettres). */
export const FUZZY_THRESHOLD = 0.8;
