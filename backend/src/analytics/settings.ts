// Réglages de l'analyse (par tenant).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../config/registry.js';

export const ANALYTICS_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'analytics.maxGroups', scope: 'tenant', schema: { type: 'integer', minimum: 10, maximum: 100_000 }, default: 5000,
    label: { en: 'Analytics: groups returned at most by one analysis', fr: 'Analyse : nombre maximal de groupes d’une analyse' },
    description: {
      en: 'Beyond it the analysis is refused (422): filter it, choose a coarser period or keep the top N.',
      fr: 'Au-delà, l’analyse est refusée (422) : filtrez-la, choisissez une période plus large ou gardez les N premiers.',
    },
  }),
  defineSetting({
    key: 'analytics.quality.maxFuzzyRows', scope: 'tenant', schema: { type: 'integer', minimum: 100, maximum: 200_000 }, default: 20_000,
    label: { en: 'Data quality: records compared at most when looking for near duplicates', fr: 'Qualité des données : enregistrements comparés au plus pour chercher les quasi-doublons' },
  }),
];
