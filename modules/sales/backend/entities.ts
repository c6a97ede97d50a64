// Entités des ventes. Montants : décimaux exacts dans la devise de la commande (arrondis à ses décimales).
import { defineEntity } from '@opsflux/sdk';

const AMOUNT = { precision: 20, scale: 4 };

export const salesTax = defineEntity({
  name: 'sales_tax',
  label: { en: 'Tax', fr: 'Taxe' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    rate: { type: 'decimal', required: true, min: 0, max: 100, options: { precision: 7, scale: 4 }, label: { en: 'Rate (%)', fr: 'Taux (%)' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Active' } },
  },
});

export const salesOrder = defineEntity({
  name: 'sales_order',
  label: { en: 'Sales order', fr: 'Commande client' },
  // commandes d'une société : la société courante du vendeur par défaut, visibles des utilisateurs de cette société
  scope: 'company',
  display: 'number',
  fields: {
    number: { type: 'string', unique: true, readOnly: true, search: true, label: { en: 'Number', fr: 'Numéro' } },
    customer: { type: 'ref', required: true, options: { to: 'customer' }, label: { en: 'Customer', fr: 'Client' } },
    opportunity: { type: 'ref', options: { to: 'crm_lead' }, label: { en: 'Opportunity', fr: 'Opportunité' } },
    orderDate: { type: 'date', label: { en: 'Order date', fr: 'Date de commande' } },
    currency: { type: 'ref', options: { to: 'currency' }, label: { en: 'Currency', fr: 'Devise' } },
    warehouse: { type: 'ref', options: { to: 'inv_warehouse' }, label: { en: 'Warehouse', fr: 'Entrepôt' } },
    state: { type: 'enum', default: 'draft', options: { values: ['draft', 'sent', 'confirmed', 'cancelled'] }, label: { en: 'State', fr: 'État' } },
    untaxedAmount: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Untaxed amount', fr: 'Montant HT' } },
    taxAmount: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Taxes', fr: 'Taxes' } },
    totalAmount: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Total', fr: 'Total TTC' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});

export const salesOrderLine = defineEntity({
  name: 'sales_order_line',
  label: { en: 'Order line', fr: 'Ligne de commande' },
  display: 'description',
  fields: {
    order: { type: 'ref', required: true, options: { to: 'sales_order' }, label: { en: 'Order', fr: 'Commande' } },
    product: { type: 'ref', options: { to: 'inv_product' }, label: { en: 'Product', fr: 'Article' } },
    description: { type: 'string', maxLength: 500, label: { en: 'Description', fr: 'Désignation' } },
    quantity: { type: 'decimal', required: true, options: { precision: 20, scale: 6 }, label: { en: 'Quantity', fr: 'Quantité' } },
    unitPrice: { type: 'decimal', options: AMOUNT, label: { en: 'Unit price', fr: 'Prix unitaire' } },
    discount: { type: 'decimal', default: '0', min: 0, max: 100, options: { precision: 7, scale: 4 }, label: { en: 'Discount (%)', fr: 'Remise (%)' } },
    tax: { type: 'ref', options: { to: 'sales_tax' }, label: { en: 'Tax', fr: 'Taxe' } },
    subtotal: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Subtotal', fr: 'Sous-total HT' } },
    taxAmount: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Tax', fr: 'Taxe' } },
    total: { type: 'decimal', readOnly: true, options: AMOUNT, label: { en: 'Total', fr: 'Total TTC' } },
  },
});
