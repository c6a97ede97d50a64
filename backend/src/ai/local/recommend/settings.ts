// Réglages des recommandations : quelles lignes de commande forment des paniers (générique : un panier, ses lignes,
// le champ de l'article, le champ du client), et les bornes des calculs.
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';

const ENTITY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' };
const FIELD = { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,62}$' };

/** les ventes (module sales) par défaut ; une entité absente du tenant (module inactif) est ignorée */
export const RECOMMEND_BASKETS_DEFAULT = [{ basket: 'sales_order', line: 'sales_order_line', basketField: 'order', itemField: 'product', customerField: 'customer' }];

export const RECOMMEND_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.recommend.baskets', scope: 'tenant',
    default: RECOMMEND_BASKETS_DEFAULT,
    label: { en: 'Recommendations: order lines that form baskets', fr: 'Recommandations : lignes de commande qui forment des paniers' },
    description: {
      en: 'Each entry: basket entity, line entity, the line field referring to the basket (basketField), to the item (itemField), and the basket field referring to the customer (customerField). Entities not active in the tenant are skipped.',
      fr: 'Chaque entrée : entité panier, entité ligne, champ de la ligne vers le panier (basketField), vers l’article (itemField), et champ du panier vers le client (customerField). Les entités inactives dans le tenant sont ignorées.',
    },
    schema: {
      type: 'array', maxItems: 10,
      items: {
        type: 'object', additionalProperties: false, required: ['basket', 'line', 'basketField', 'itemField'],
        properties: { basket: ENTITY, line: ENTITY, basketField: FIELD, itemField: FIELD, customerField: FIELD },
      },
    },
  }),
  defineSetting({
    key: 'ai.local.recommend.maxLines', scope: 'tenant', schema: { type: 'integer', minimum: 100, maximum: 2000000 }, default: 200000,
    label: { en: 'Recommendations: order lines read per training at most', fr: 'Recommandations : lignes de commande lues par apprentissage au plus' },
  }),
  defineSetting({
    key: 'ai.local.similar.maxRecords', scope: 'tenant', schema: { type: 'integer', minimum: 10, maximum: 1000 }, default: 1000,
    label: { en: 'Similar records: records compared at most (most recent first)', fr: 'Fiches similaires : fiches comparées au plus (les plus récentes d’abord)' },
  }),
];
