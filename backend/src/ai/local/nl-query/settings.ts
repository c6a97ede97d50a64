// Réglages des questions en langage naturel sans modèle de langue (ai.local.nlQuery.*).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const NL_QUERY_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.nlQuery.assistantFallback', scope: 'tenant', schema: { type: 'boolean' }, default: true,
    label: { en: 'Assistant answers locally when no AI provider is available', fr: 'L’assistant répond localement quand aucun fournisseur d’IA n’est disponible' },
    description: {
      en: 'The question is read by the local parser (no language model, no network) and run with the user’s rights; off: the assistant reports that AI is unavailable.',
      fr: 'La question est lue par l’analyseur local (sans modèle de langue ni réseau) et exécutée avec les droits de l’utilisateur ; désactivé : l’assistant signale que l’IA est indisponible.',
    },
  }),
  defineSetting({
    key: 'ai.local.nlQuery.valueCacheSeconds', scope: 'tenant', schema: { type: 'integer', minimum: 0, maximum: 3600 }, default: 60,
    label: { en: 'Natural-language queries: seconds the known field values (cities, categories…) are kept in memory', fr: 'Questions en langage naturel : secondes de conservation en mémoire des valeurs connues (villes, catégories…)' },
  }),
];
