// Réglages des prévisions locales (par tenant).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const FORECAST_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.forecast.minPoints', scope: 'tenant', schema: { type: 'integer', minimum: 3, maximum: 200 }, default: 8,
    label: { en: 'Forecasts: minimum number of periods in a series', fr: 'Prévisions : nombre minimal de périodes d’une série' },
    description: {
      en: 'Shorter series are refused (422). A seasonal model needs two full cycles (14 days, 24 months, 8 quarters); below that the trend alone is extrapolated.',
      fr: 'Les séries plus courtes sont refusées (422). Un modèle saisonnier demande deux cycles complets (14 jours, 24 mois, 8 trimestres) ; en deçà, seule la tendance est prolongée.',
    },
  }),
  defineSetting({
    key: 'ai.local.forecast.maxHorizon', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 366 }, default: 60,
    label: { en: 'Forecasts: periods forecast at most', fr: 'Prévisions : nombre maximal de périodes prévues' },
  }),
];
