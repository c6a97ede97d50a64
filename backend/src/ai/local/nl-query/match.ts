// Repérage des termes du lexique dans les mots d'une question : chaque forme (suite de mots) est cherchée mot à mot,
// en sautant les mots vides de la question, avec une ressemblance approximative ; les plus longues gagnent.
import { FUZZY_THRESHOLD, similarity } from './text.js';
import { STOP_WORDS } from './vocabulary.js';

export interface Candidate<T> {
  phrases: string[][];
  item: T;
}

export interface Span<T> {
  start: number;
  end: number;
  /** mots de la forme reconnue */
  length: number;
  score: number;
  item: T;
}

/** Longueur reconnue et score d'une forme à partir du mot i ; undefined si elle ne correspond pas. */
function matchAt(tokens: string[], used: boolean[], i: number, words: string[]): { end: number; score: number } | undefined {
  let j = i;
  let score = 0;
  for (let k = 0; k < words.length; k++) {
    // dans une forme de plusieurs mots, les mots vides de la question sont sautés (« délai de paiement »)
    while (k > 0 && j < tokens.length && !used[j] && STOP_WORDS.has(tokens[j]!) && tokens[j] !== words[k]) j++;
    if (j >= tokens.length || used[j]) return undefined;
    const s = similarity(tokens[j]!, words[k]!);
    if (s < FUZZY_THRESHOLD) return undefined;
    score += s;
    j++;
  }
  return { end: j, score: score / words.length };
}

/** Termes reconnus, sans chevauchement (plus longue forme d'abord, puis meilleur score), dans l'ordre de la question. */
export function findTerms<T>(tokens: string[], used: boolean[], candidates: Candidate<T>[]): Span<T>[] {
  const all: Span<T>[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (used[i] || STOP_WORDS.has(tokens[i]!)) continue;
    for (const candidate of candidates) {
      for (const words of candidate.phrases) {
        const m = matchAt(tokens, used, i, words);
        if (m) all.push({ start: i, end: m.end, length: words.length, score: m.score, item: candidate.item });
      }
    }
  }
  all.sort((a, b) => b.length - a.length || b.score - a.score || a.start - b.start);
  const taken = new Array<boolean>(tokens.length).fill(false);
  const chosen: Span<T>[] = [];
  for (const span of all) {
    if (taken.slice(span.start, span.end).some(Boolean)) continue;
    for (let k = span.start; k < span.end; k++) taken[k] = true;
    chosen.push(span);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** Cherche une suite de mots ; marque ses positions ; renvoie la position de départ. */
export function take(tokens: string[], used: boolean[], forms: string[][]): number | undefined {
  for (let i = 0; i < tokens.length; i++) {
    for (const form of forms) {
      if (form.every((w, k) => tokens[i + k] === w && !used[i + k])) {
        form.forEach((_, k) => (used[i + k] = true));
        return i;
      }
    }
  }
  return undefined;
}
