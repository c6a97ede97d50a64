// Mots-clés d'un texte à la manière de RAKE : les suites de mots pleins (coupées aux mots vides et à la ponctuation)
// sont notées par la somme, pour chacun de leurs mots, de son degré (longueur des suites où il paraît) sur sa fréquence.
import { StopwordsFr } from '@nlpjs/lang-fr';
import { StopwordsEn } from '@nlpjs/lang-en-min';
import { words, type Word } from './tokens.js';

const STOPWORDS = new Set([...Object.keys(new StopwordsFr().dictionary), ...Object.keys(new StopwordsEn().dictionary)]);
/** Mots les plus longs d'une expression clé. */
const MAX_PHRASE = 4;
const BREAK = /[.,;:!?()[\]{}"«»\n\r\t]|\s[-–—]\s/;

const plain = (w: string) => w.toLowerCase().replace(/^[ldjmnstc][’']/, '');

function phrasesOf(text: string): Word[][] {
  const phrases: Word[][] = [];
  let current: Word[] = [];
  let previousEnd = 0;
  const close = () => {
    if (current.length) phrases.push(current);
    current = [];
  };
  for (const word of words(text)) {
    if (BREAK.test(text.slice(previousEnd, word.start))) close();
    previousEnd = word.end;
    const w = plain(word.text);
    if (STOPWORDS.has(w) || w.length < 3 || /^\d+$/.test(w)) close();
    else {
      current.push(word);
      if (current.length === MAX_PHRASE) close();
    }
  }
  close();
  return phrases;
}

/** Les `limit` expressions clés du texte, de la plus forte à la plus faible. */
export function keywordsOf(text: string, limit = 8): string[] {
  const phrases = phrasesOf(text);
  const frequency = new Map<string, number>();
  const degree = new Map<string, number>();
  for (const phrase of phrases) {
    for (const word of phrase) {
      const w = plain(word.text);
      frequency.set(w, (frequency.get(w) ?? 0) + 1);
      degree.set(w, (degree.get(w) ?? 0) + phrase.length);
    }
  }
  const scores = new Map<string, number>();
  for (const phrase of phrases) {
    const key = phrase.map((w) => plain(w.text)).join(' ');
    const score = phrase.reduce((sum, w) => sum + degree.get(plain(w.text))! / frequency.get(plain(w.text))!, 0);
    scores.set(key, Math.max(scores.get(key) ?? 0, score));
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([k]) => k);
}
