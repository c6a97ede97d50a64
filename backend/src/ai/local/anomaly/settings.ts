// Réglages de la détection d'anomalies (par tenant) : champs surveillés, seuil, destinataires des notifications.
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export interface WatchedField {
  entity: string;
  field: string;
}

export const ANOMALY_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.anomaly.watch', scope: 'tenant', default: [],
    label: { en: 'Anomalies: numeric fields watched', fr: 'Anomalies : champs numériques surveillés' },
    description: {
      en: 'Each entry is an entity and a numeric field (e.g. customer / creditLimit). New and changed records are scored against the usual values of the field, learnt every night.',
      fr: 'Chaque entrée est une entité et un champ numérique (par exemple customer / creditLimit). Les enregistrements créés ou modifiés sont comparés aux valeurs habituelles du champ, apprises chaque nuit.',
    },
    schema: {
      type: 'array', maxItems: 50,
      items: {
        type: 'object', additionalProperties: false, required: ['entity', 'field'],
        properties: { entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' }, field: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_.]{0,199}$' } },
      },
    },
  }),
  defineSetting({
    key: 'ai.local.anomaly.threshold', scope: 'tenant', schema: { type: 'number', minimum: 1, maximum: 50 }, default: 3.5,
    label: { en: 'Anomalies: robust z-score from which a value is unusual', fr: 'Anomalies : score z robuste à partir duquel une valeur est inhabituelle' },
    description: { en: '3.5 is the usual cut-off (Iglewicz and Hoaglin); higher means fewer, stronger alerts.', fr: '3,5 est le seuil usuel (Iglewicz et Hoaglin) ; plus haut, moins d’alertes, plus marquées.' },
  }),
  defineSetting({
    key: 'ai.local.anomaly.minSamples', scope: 'tenant', schema: { type: 'integer', minimum: 5, maximum: 100000 }, default: 20,
    label: { en: 'Anomalies: values needed before a field is scored', fr: 'Anomalies : valeurs nécessaires avant de noter un champ' },
  }),
  defineSetting({
    key: 'ai.local.anomaly.notifyRoles', scope: 'tenant', default: [],
    schema: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 200 } },
    label: { en: 'Anomalies: roles notified (names or ids)', fr: 'Anomalies : rôles notifiés (noms ou identifiants)' },
  }),
  defineSetting({
    key: 'ai.local.anomaly.notifyUsers', scope: 'tenant', default: [],
    schema: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } },
    label: { en: 'Anomalies: users notified', fr: 'Anomalies : utilisateurs notifiés' },
  }),
];
