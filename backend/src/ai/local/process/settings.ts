// Réglages de la fouille de processus : taille de l'échantillon lu dans le journal d'audit, variantes rendues et
// transitions permises par entité et champ d'état (les métadonnées n'en déclarent pas : voir docs).
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

export const PROCESS_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.process.maxRecords', scope: 'tenant', schema: { type: 'integer', minimum: 10, maximum: 100000 }, default: 5000,
    label: { en: 'Process mining: records (cases) read at most, the most recent first', fr: 'Fouille de processus : enregistrements (cas) lus au plus, les plus récents d’abord' },
  }),
  defineSetting({
    key: 'ai.local.process.maxVariants', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 500 }, default: 20,
    label: { en: 'Process mining: variants returned at most', fr: 'Fouille de processus : variantes rendues au plus' },
  }),
  defineSetting({
    key: 'ai.local.process.transitions', scope: 'tenant', default: {},
    schema: {
      type: 'object', maxProperties: 200,
      propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}\\.[a-zA-Z][a-zA-Z0-9_]{0,62}$' },
      additionalProperties: {
        type: 'object', maxProperties: 200,
        additionalProperties: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 200 } },
      },
    },
    label: { en: 'Process mining: allowed transitions by entity and state field', fr: 'Fouille de processus : transitions permises par entité et champ d’état' },
    description: {
      en: 'Key "entity.field" (such as sales_order.state), value: each state → the states it may go to ({"draft": ["sent", "confirmed"]}). The conformance of the process map is measured against it.',
      fr: 'Clé « entité.champ » (par exemple sales_order.state), valeur : chaque état → les états qu’il peut suivre ({"draft": ["sent", "confirmed"]}). La conformité de la carte du processus se mesure par rapport à elle.',
    },
  }),
];
