// Réglages du solveur d'optimisation : taille et durée d'une résolution (le calcul bloque un cœur tant qu'il dure).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const OPTIMISE_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.optimise.maxVariables', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 100000 }, default: 2000,
    label: { en: 'Optimisation: variables per model at most', fr: 'Optimisation : variables par modèle au plus' },
  }),
  defineSetting({
    key: 'ai.local.optimise.maxConstraints', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 100000 }, default: 2000,
    label: { en: 'Optimisation: constraints per model at most', fr: 'Optimisation : contraintes par modèle au plus' },
  }),
  defineSetting({
    key: 'ai.local.optimise.timeLimitSeconds', scope: 'tenant', schema: { type: 'number', minimum: 0.1, maximum: 60 }, default: 5,
    label: { en: 'Optimisation: solving time at most (seconds)', fr: 'Optimisation : durée de résolution au plus (secondes)' },
    description: {
      en: 'Past it, the best solution found so far is returned with the status time_limit.',
      fr: 'Au-delà, la meilleure solution trouvée est rendue avec le statut time_limit.',
    },
  }),
];
