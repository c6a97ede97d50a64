// Tri et limite d'une question : « top 10 », « les 5 plus gros », « 3 premiers », « les plus récents », « trié par
// nom », « par ordre alphabétique », « décroissant ». Marque les mots reconnus ; le champ trié se décide ensuite.
import { take } from './match.js';
import { ALPHA_WORDS, ASC_WORDS, BIG_WORDS, DESC_WORDS, OLD_WORDS, RECENT_WORDS, SMALL_WORDS, SORT_WORDS } from './vocabulary.js';

export type SortIntent = 'big' | 'small' | 'recent' | 'old' | 'alpha' | 'explicit';

export interface Ordering {
  limit?: number;
  sortIntent?: SortIntent;
  sortDesc?: boolean;
}

/** Mots qui suivent un nombre pour en faire une limite (« 5 premiers », « 10 plus gros », « 3 latest »). */
const LIMITED = new Set(['premiers', 'premieres', 'derniers', 'dernieres', 'plus', 'most', 'biggest', 'largest', 'highest', 'best', 'latest', 'newest', 'oldest', 'smallest', 'lowest', 'meilleurs', 'first', 'last']);

/** `entityHeads` : premiers mots des noms d'entités (« 10 clients »). */
export function findOrdering(tokens: string[], used: boolean[], entityHeads: string[]): Ordering {
  let limit: number | undefined;
  let sortIntent: SortIntent | undefined;
  let sortDesc: boolean | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const t = tokens[i]!;
    const n = /^\d{1,4}$/.test(t) ? Number(t) : undefined;
    if ((t === 'top' || t === 'first' || t === 'premiers' || t === 'premieres') && /^\d{1,4}$/.test(tokens[i + 1] ?? '')) {
      limit = Number(tokens[i + 1]);
      used[i] = used[i + 1] = true;
      if (t === 'top') sortIntent ??= 'big';
    } else if (n !== undefined && n > 0 && (LIMITED.has(tokens[i + 1] ?? '') || entityHeads.includes(tokens[i + 1] ?? '')) && !(i > 0 && ['depuis', 'since', 'past', 'last'].includes(tokens[i - 1]!))) {
      limit = n;
      used[i] = true;
    }
    if (used[i] && t !== 'top') continue;
    if ((t === 'plus' || t === 'most' || t === 'moins' || t === 'least') && !used[i]) {
      const next = tokens[i + 1] ?? '';
      const less = t === 'moins' || t === 'least';
      if (BIG_WORDS.has(next) || SMALL_WORDS.has(next) || RECENT_WORDS.has(next) || OLD_WORDS.has(next) || next === 'recently') {
        sortIntent = RECENT_WORDS.has(next) || next === 'recently' ? 'recent' : OLD_WORDS.has(next) ? 'old' : (BIG_WORDS.has(next) !== less) ? 'big' : 'small';
        used[i] = used[i + 1] = true;
      }
    } else if (BIG_WORDS.has(t) && t !== 'top' && t !== 'meilleurs' && !used[i] && /^(biggest|largest|highest)$/.test(t)) {
      sortIntent = 'big';
      used[i] = true;
    } else if (/^(smallest|lowest)$/.test(t)) {
      sortIntent = 'small';
      used[i] = true;
    } else if (/^(latest|newest|recent|recents|recentes)$/.test(t) && !used[i]) {
      sortIntent = 'recent';
      used[i] = true;
    } else if (t === 'oldest') {
      sortIntent = 'old';
      used[i] = true;
    } else if (SORT_WORDS.has(t) && !used[i]) {
      sortIntent = 'explicit';
      used[i] = true;
    } else if (DESC_WORDS.has(t)) {
      sortDesc = true;
      used[i] = true;
    } else if (ASC_WORDS.has(t)) {
      sortDesc = false;
      used[i] = true;
    }
  }
  if (take(tokens, used, ALPHA_WORDS) !== undefined) sortIntent = 'alpha';
  return { limit, sortIntent, sortDesc };
}
