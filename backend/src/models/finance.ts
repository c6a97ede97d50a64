// Devises ISO 4217 (unités mineures) et historique des taux de change (date, taux, source).
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const currencyEntity = defineEntity({
  name: 'currency',
  module: core,
  label: { en: 'Currency', fr: 'Devise' },
  display: 'code',
  fields: {
    code: { type: 'string', required: true, unique: true, pattern: '^[A-Z]{3}$', search: true, label: { en: 'ISO code', fr: 'Code ISO' } },
    nameEn: { type: 'string', required: true, search: true, label: { en: 'Name (English)', fr: 'Nom (anglais)' } },
    nameFr: { type: 'string', required: true, label: { en: 'Name (French)', fr: 'Nom (français)' } },
    symbol: { type: 'string', maxLength: 8, label: { en: 'Symbol', fr: 'Symbole' } },
    minorUnits: { type: 'integer', required: true, min: 0, max: 4, default: 2, label: { en: 'Decimal places', fr: 'Décimales' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Active' } },
  },
});

export const exchangeRateEntity = defineEntity({
  name: 'exchange_rate',
  module: core,
  label: { en: 'Exchange rate', fr: 'Taux de change' },
  indexes: [{ fields: ['base', 'quote', 'date'], unique: true }],
  fields: {
    base: { type: 'ref', required: true, options: { to: 'currency' }, label: { en: 'Base currency', fr: 'Devise de base' } },
    quote: { type: 'ref', required: true, options: { to: 'currency' }, label: { en: 'Quoted currency', fr: 'Devise cotée' } },
    date: { type: 'date', required: true, label: { en: 'Date', fr: 'Date' } },
    /** 1 unité de la devise de base vaut `rate` unités de la devise cotée */
    rate: { type: 'decimal', required: true, options: { precision: 24, scale: 10 }, label: { en: 'Rate', fr: 'Taux' } },
    source: { type: 'string', maxLength: 100, label: { en: 'Source', fr: 'Source' } },
  },
});
