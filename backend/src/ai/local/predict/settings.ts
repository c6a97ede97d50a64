// Réglages de la prédiction de saisie (par tenant) et préférence de chaque utilisateur (apprentissage de ses habitudes).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';
import type { PreferenceDeclaration } from '../../../iam/preferences.js';

export const PREDICT_ENABLED = 'ai.local.predict.enabled';
export const PREDICT_HISTORY_DAYS = 'ai.local.predict.historyDays';
export const PREDICT_MAX_VALUES = 'ai.local.predict.maxValues';
export const PREDICT_MIN_RECORDS = 'ai.local.predict.ngramMinRecords';
export const PREDICT_MAX_ROWS = 'ai.local.predict.maxTrainingRows';
/** Préférence de l'utilisateur : ses saisies sont apprises (désactivée : ses habitudes sont effacées). */
export const LEARNING_PREFERENCE = 'ai.learning';

export const LEARNING_PREFERENCES: PreferenceDeclaration[] = [{ key: LEARNING_PREFERENCE, type: 'boolean', default: true }];

const integer = (key: string, minimum: number, maximum: number, fallback: number, en: string, fr: string) => defineSetting({
  key, scope: 'tenant', schema: { type: 'integer', minimum, maximum }, default: fallback, label: { en, fr },
});

export const PREDICT_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: PREDICT_ENABLED, scope: 'tenant', schema: { type: 'boolean' }, default: true,
    label: { en: 'Text prediction: learn typing habits and suggest values in forms', fr: 'Prédiction de saisie : apprendre les habitudes et suggérer des valeurs dans les formulaires' },
    description: {
      en: 'Off: nothing is learnt, no suggestion is offered and the learnt models (habits, word sequences) are deleted at the next training.',
      fr: 'Désactivé : rien n’est appris, aucune suggestion n’est proposée et les modèles appris (habitudes, enchaînements de mots) sont effacés au prochain apprentissage.',
    },
  }),
  integer(PREDICT_HISTORY_DAYS, 7, 3650, 365, 'Text prediction: days of history learnt', 'Prédiction de saisie : jours d’historique appris'),
  integer(PREDICT_MAX_VALUES, 5, 500, 50, 'Text prediction: values kept per user and field', 'Prédiction de saisie : valeurs gardées par utilisateur et par champ'),
  integer(PREDICT_MIN_RECORDS, 2, 100, 3, 'Text prediction: records a word sequence must appear in before it is suggested',
    'Prédiction de saisie : enregistrements où un enchaînement de mots doit paraître avant d’être suggéré'),
  integer(PREDICT_MAX_ROWS, 100, 500_000, 20_000, 'Text prediction: changes or texts read per training', 'Prédiction de saisie : modifications ou textes lus par apprentissage'),
];
