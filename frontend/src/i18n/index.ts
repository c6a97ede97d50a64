// Traductions de l'interface (i18next) : français et anglais, la langue vient des préférences de l'utilisateur,
// sinon du navigateur ; UI5 suit la même langue (ses données de langue embarquées déclarées avant : `setLanguage`
// les demande aussitôt, et ce module peut être évalué dans un morceau partagé avant le point d'entrée).
import '../ui5/locale-data';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setLanguage } from '@ui5/webcomponents-base/dist/config/Language.js';
import en from './en.json';
import fr from './fr.json';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const stored = localStorage.getItem('opsflux.language');
const browser = navigator.language.slice(0, 2);
const initial: Language = (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : browser === 'fr' ? 'fr' : 'en';

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initial,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

/** Change la langue de l'interface (textes, UI5, attribut lang du document). */
export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem('opsflux.language', language);
  document.documentElement.lang = language;
  await Promise.all([i18n.changeLanguage(language), setLanguage(language)]);
}

document.documentElement.lang = initial;
void setLanguage(initial);

/** Libellé traduit d'un objet { en, fr } des métadonnées. */
export function labelOf(label: Record<string, string | undefined> | string | undefined, fallback = ''): string {
  if (!label) return fallback;
  if (typeof label === 'string') return label;
  return label[i18n.language] ?? label.en ?? fallback;
}

export default i18n;
