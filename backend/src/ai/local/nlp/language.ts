// Détection de la langue d'un texte (trigrammes de franc-min), restreinte aux langues que l'analyse sait traiter :
// sur des phrases courtes d'un ERP, choisir entre français et anglais est bien plus sûr qu'entre 80 langues.
import { franc } from 'franc-min';

export const NLP_LANGUAGES = ['fr', 'en'] as const;
export type NlpLanguage = (typeof NLP_LANGUAGES)[number];

const ISO3: Record<string, NlpLanguage> = { fra: 'fr', eng: 'en' };

/** Langue du texte ; `hint` (langue de l'utilisateur) départage un texte trop court pour les trigrammes. */
export function detectLanguage(text: string, hint?: string): NlpLanguage | 'und' {
  const found = ISO3[franc(text, { only: Object.keys(ISO3), minLength: 3 })];
  if (found) return found;
  return (NLP_LANGUAGES as readonly string[]).includes(hint ?? '') ? (hint as NlpLanguage) : 'und';
}
