// Unités de mesure : catégories (masse, longueur, unités…), unité de référence, rapports et arrondi.
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const uomCategoryEntity = defineEntity({
  name: 'uom_category',
  module: core,
  label: { en: 'Unit category', fr: "Catégorie d'unités" },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, unique: true, search: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
  },
});

export const uomEntity = defineEntity({
  name: 'uom',
  module: core,
  label: { en: 'Unit of measure', fr: 'Unité de mesure' },
  display: 'symbol',
  indexes: [{ fields: ['category', 'symbol'], unique: true }],
  fields: {
    category: { type: 'ref', required: true, options: { to: 'uom_category' }, label: { en: 'Category', fr: 'Catégorie' } },
    name: { type: 'string', required: true, search: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    symbol: { type: 'string', required: true, search: true, maxLength: 16, label: { en: 'Symbol', fr: 'Symbole' } },
    /** taille de l'unité exprimée en unités de référence de sa catégorie (kg : 1, g : 0,001, t : 1000) */
    ratio: { type: 'decimal', required: true, options: { precision: 30, scale: 12 }, label: { en: 'Size in reference units', fr: 'Valeur en unités de référence' } },
    /** pas d'arrondi des quantités exprimées dans cette unité (0,01 ; 1…) */
    rounding: { type: 'decimal', default: '0.01', options: { precision: 30, scale: 12 }, label: { en: 'Rounding step', fr: "Pas d'arrondi" } },
    reference: { type: 'boolean', default: false, label: { en: 'Reference unit', fr: 'Unité de référence' } },
  },
});
