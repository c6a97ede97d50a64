// Réglages de l'analyse de texte (par tenant) : champs analysés après chaque écriture, taille des textes.
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const NLP_FIELDS_SETTING = 'ai.local.nlp.fields';
export const NLP_MAX_CHARS_SETTING = 'ai.local.nlp.maxChars';

export const NLP_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: NLP_FIELDS_SETTING, scope: 'tenant', default: ['crm_activity.notes', 'customer.notes', 'supplier.notes'],
    label: { en: 'Text analysis: fields analysed after each write (entity.field)', fr: 'Analyse de texte : champs analysés après chaque écriture (entité.champ)' },
    description: {
      en: 'Language, sentiment, keywords and named entities are stored with the record; a rule can react to the events <entity>.text_negative, <entity>.text_positive and <entity>.text_neutral.',
      fr: 'Langue, sentiment, mots-clés et entités nommées sont gardés avec l’enregistrement ; une règle peut réagir aux événements <entité>.text_negative, <entité>.text_positive et <entité>.text_neutral.',
    },
    schema: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}\\.[a-zA-Z][a-zA-Z0-9_]{0,62}$' } },
  }),
  defineSetting({
    key: NLP_MAX_CHARS_SETTING, scope: 'tenant', schema: { type: 'integer', minimum: 100, maximum: 200_000 }, default: 20_000,
    label: { en: 'Text analysis: longest text analysed (characters)', fr: 'Analyse de texte : texte analysé le plus long (caractères)' },
  }),
];

/** Champs analysés d'une entité, d'après le réglage. */
export function analysedFields(setting: readonly string[], entity: string): string[] {
  return setting.filter((f) => f.startsWith(`${entity}.`)).map((f) => f.slice(entity.length + 1));
}
