// Déclarations minimales des paquets de langue de nlp.js (livrés sans types) : racinisation, mots vides, lexique.
declare module '@nlpjs/lang-fr' {
  export class StemmerFr {
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
  export class StopwordsFr {
    dictionary: Record<string, boolean>;
  }
  export const SentimentFr: { pattern: Record<string, number>; negations: { words: string[] }; stemmed: boolean };
}

declare module '@nlpjs/lang-en-min' {
  export class StopwordsEn {
    dictionary: Record<string, boolean>;
  }
}
