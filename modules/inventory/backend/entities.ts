// Entités des stocks. Les quantités sont des décimaux exacts exprimés dans l'unité de l'article.
import { defineEntity } from '@opsflux/sdk';

const QUANTITY = { precision: 20, scale: 6 };

export const invProduct = defineEntity({
  name: 'inv_product',
  label: { en: 'Product', fr: 'Article' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    sku: { type: 'string', required: true, unique: true, search: true, maxLength: 64, label: { en: 'SKU', fr: 'Référence' } },
    kind: { type: 'enum', default: 'storable', options: { values: ['storable', 'consumable', 'service'] }, label: { en: 'Kind', fr: 'Nature' } },
    uom: { type: 'ref', required: true, options: { to: 'uom' }, label: { en: 'Unit', fr: 'Unité' } },
    category: { type: 'ref', options: { to: 'category' }, label: { en: 'Category', fr: 'Catégorie' } },
    salePrice: { type: 'money', label: { en: 'Sale price', fr: 'Prix de vente' } },
    cost: { type: 'money', label: { en: 'Cost', fr: 'Coût' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    // réapprovisionnement : commander sous le minimum, jusqu'au maximum, par colis entiers
    minStock: { type: 'decimal', min: 0, options: QUANTITY, label: { en: 'Minimum stock', fr: 'Stock minimum' } },
    maxStock: { type: 'decimal', min: 0, options: QUANTITY, label: { en: 'Maximum stock', fr: 'Stock maximum' } },
    packSize: { type: 'integer', min: 1, default: 1, label: { en: 'Purchase pack size', fr: 'Colisage d’achat' } },
  },
});

export const invWarehouse = defineEntity({
  name: 'inv_warehouse',
  label: { en: 'Warehouse', fr: 'Entrepôt' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    code: { type: 'string', required: true, unique: true, maxLength: 16, label: { en: 'Code', fr: 'Code' } },
    company: { type: 'ref', options: { to: 'company' }, label: { en: 'Company', fr: 'Société' } },
    site: { type: 'ref', options: { to: 'site' }, label: { en: 'Site', fr: 'Site' } },
    stockLocation: { type: 'ref', options: { to: 'inv_location' }, label: { en: 'Stock location', fr: 'Emplacement de stock' } },
  },
});

export const invLocation = defineEntity({
  name: 'inv_location',
  label: { en: 'Location', fr: 'Emplacement' },
  display: 'name',
  tree: true,
  fields: {
    name: { type: 'string', required: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    warehouse: { type: 'ref', options: { to: 'inv_warehouse' }, label: { en: 'Warehouse', fr: 'Entrepôt' } },
    usage: { type: 'enum', default: 'internal', options: { values: ['internal', 'supplier', 'customer', 'adjustment', 'transit'] }, label: { en: 'Usage', fr: 'Usage' } },
  },
});

export const invMove = defineEntity({
  name: 'inv_move',
  label: { en: 'Stock move', fr: 'Mouvement de stock' },
  display: 'reference',
  fields: {
    product: { type: 'ref', required: true, options: { to: 'inv_product' }, label: { en: 'Product', fr: 'Article' } },
    quantity: { type: 'decimal', required: true, options: QUANTITY, label: { en: 'Quantity', fr: 'Quantité' } },
    uom: { type: 'ref', options: { to: 'uom' }, label: { en: 'Unit', fr: 'Unité' } },
    source: { type: 'ref', required: true, options: { to: 'inv_location' }, label: { en: 'From', fr: 'De' } },
    destination: { type: 'ref', required: true, options: { to: 'inv_location' }, label: { en: 'To', fr: 'Vers' } },
    state: { type: 'enum', default: 'draft', options: { values: ['draft', 'done', 'cancelled'] }, label: { en: 'State', fr: 'État' } },
    reference: { type: 'string', maxLength: 100, search: true, label: { en: 'Reference', fr: 'Référence' } },
    date: { type: 'date', label: { en: 'Date', fr: 'Date' } },
  },
});

export const invQuant = defineEntity({
  name: 'inv_quant',
  label: { en: 'Quantity on hand', fr: 'Quantité en stock' },
  indexes: [{ fields: ['product', 'location'], unique: true }],
  fields: {
    product: { type: 'ref', required: true, options: { to: 'inv_product' }, label: { en: 'Product', fr: 'Article' } },
    location: { type: 'ref', required: true, options: { to: 'inv_location' }, label: { en: 'Location', fr: 'Emplacement' } },
    quantity: { type: 'decimal', default: '0', options: QUANTITY, label: { en: 'On hand', fr: 'En stock' } },
    reserved: { type: 'decimal', default: '0', options: QUANTITY, label: { en: 'Reserved', fr: 'Réservé' } },
  },
});

export const invReservation = defineEntity({
  name: 'inv_reservation',
  label: { en: 'Reservation', fr: 'Réservation' },
  display: 'reference',
  fields: {
    product: { type: 'ref', required: true, options: { to: 'inv_product' }, label: { en: 'Product', fr: 'Article' } },
    location: { type: 'ref', required: true, options: { to: 'inv_location' }, label: { en: 'Location', fr: 'Emplacement' } },
    quantity: { type: 'decimal', required: true, options: QUANTITY, label: { en: 'Quantity', fr: 'Quantité' } },
    reference: { type: 'string', maxLength: 100, search: true, label: { en: 'Reference', fr: 'Référence' } },
    state: { type: 'enum', default: 'active', options: { values: ['active', 'released'] }, label: { en: 'State', fr: 'État' } },
  },
});
