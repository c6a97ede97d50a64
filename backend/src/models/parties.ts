// Tiers : une personne ou une organisation (`party`, abstraite), qui peut être à la fois client, fournisseur, employé
// et partenaire (héritage par tables : chaque rôle partage l'identifiant du tiers). Adresses structurées, pays ISO.
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const countryEntity = defineEntity({
  name: 'country',
  module: core,
  label: { en: 'Country', fr: 'Pays' },
  display: 'nameEn',
  fields: {
    code: { type: 'string', required: true, unique: true, pattern: '^[A-Z]{2}$', label: { en: 'ISO code', fr: 'Code ISO' } },
    nameEn: { type: 'string', required: true, search: true, label: { en: 'Name (English)', fr: 'Nom (anglais)' } },
    nameFr: { type: 'string', required: true, search: true, label: { en: 'Name (French)', fr: 'Nom (français)' } },
  },
});

export const partyEntity = defineEntity({
  name: 'party',
  module: core,
  abstract: true,
  label: { en: 'Party', fr: 'Tiers' },
  display: 'name',
  fields: {
    kind: { type: 'enum', default: 'organisation', options: { values: ['organisation', 'person'] }, label: { en: 'Kind', fr: 'Nature' } },
    name: { type: 'string', required: true, search: true, maxLength: 300, label: { en: 'Name', fr: 'Nom' } },
    firstName: { type: 'string', maxLength: 100, label: { en: 'First name', fr: 'Prénom' } },
    lastName: { type: 'string', maxLength: 100, label: { en: 'Last name', fr: 'Nom de famille' } },
    taxId: { type: 'string', maxLength: 64, label: { en: 'Tax identifier', fr: 'Numéro de TVA' } },
    email: { type: 'email', search: true, label: { en: 'Email', fr: 'E-mail' } },
    phone: { type: 'phone', label: { en: 'Phone', fr: 'Téléphone' } },
    website: { type: 'url', label: { en: 'Website', fr: 'Site web' } },
    category: { type: 'ref', options: { to: 'category' }, label: { en: 'Category', fr: 'Catégorie' } },
    tags: { type: 'tags', label: { en: 'Tags', fr: 'Étiquettes' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});

export const customerEntity = defineEntity({
  name: 'customer',
  module: core,
  extends: 'party',
  label: { en: 'Customer', fr: 'Client' },
  fields: {
    customerCode: { type: 'string', unique: true, maxLength: 32, label: { en: 'Customer code', fr: 'Code client' } },
    creditLimit: { type: 'money', label: { en: 'Credit limit', fr: 'Encours autorisé' } },
    paymentTermDays: { type: 'integer', default: 30, min: 0, max: 365, label: { en: 'Payment term (days)', fr: 'Délai de paiement (jours)' } },
    salesRep: { type: 'ref', options: { to: 'user' }, label: { en: 'Sales representative', fr: 'Commercial' } },
  },
});

export const supplierEntity = defineEntity({
  name: 'supplier',
  module: core,
  extends: 'party',
  label: { en: 'Supplier', fr: 'Fournisseur' },
  fields: {
    supplierCode: { type: 'string', unique: true, maxLength: 32, label: { en: 'Supplier code', fr: 'Code fournisseur' } },
    paymentTermDays: { type: 'integer', default: 30, min: 0, max: 365, label: { en: 'Payment term (days)', fr: 'Délai de paiement (jours)' } },
    leadTimeDays: { type: 'integer', min: 0, max: 365, label: { en: 'Lead time (days)', fr: "Délai d'approvisionnement (jours)" } },
  },
});

export const employeeEntity = defineEntity({
  name: 'employee',
  module: core,
  extends: 'party',
  label: { en: 'Employee', fr: 'Employé' },
  fields: {
    employeeNumber: { type: 'string', unique: true, maxLength: 32, label: { en: 'Employee number', fr: 'Matricule' } },
    jobTitle: { type: 'string', maxLength: 200, label: { en: 'Job title', fr: 'Fonction' } },
    businessUnit: { type: 'ref', options: { to: 'business_unit' }, label: { en: 'Business unit', fr: "Unité d'organisation" } },
    user: { type: 'ref', options: { to: 'user' }, label: { en: 'User account', fr: 'Compte utilisateur' } },
    hiredOn: { type: 'date', label: { en: 'Hired on', fr: "Date d'embauche" } },
  },
});

export const partnerEntity = defineEntity({
  name: 'partner',
  module: core,
  extends: 'party',
  label: { en: 'Partner', fr: 'Partenaire' },
  fields: {
    partnerType: {
      type: 'enum', default: 'reseller', options: { values: ['reseller', 'integrator', 'referrer', 'other'] }, label: { en: 'Partner type', fr: 'Type de partenaire' },
      aiSuggest: { prompt: 'From the partner’s name, website and notes: does it resell our products, integrate them for its clients, or only refer customers?' },
    },
  },
});

export const addressEntity = defineEntity({
  name: 'address',
  module: core,
  label: { en: 'Address', fr: 'Adresse' },
  display: 'line1',
  fields: {
    party: { type: 'ref', required: true, options: { to: 'party' }, label: { en: 'Party', fr: 'Tiers' } },
    type: { type: 'enum', default: 'billing', options: { values: ['billing', 'shipping', 'office', 'home', 'other'] }, label: { en: 'Type', fr: 'Type' } },
    line1: { type: 'string', required: true, maxLength: 200, label: { en: 'Street', fr: 'Rue' } },
    line2: { type: 'string', maxLength: 200, label: { en: 'Additional line', fr: "Complément d'adresse" } },
    postalCode: { type: 'string', maxLength: 20, label: { en: 'Postal code', fr: 'Code postal' } },
    city: { type: 'string', required: true, maxLength: 100, search: true, label: { en: 'City', fr: 'Ville' } },
    region: { type: 'string', maxLength: 100, label: { en: 'Region', fr: 'Région' } },
    country: { type: 'ref', required: true, options: { to: 'country' }, label: { en: 'Country', fr: 'Pays' } },
    primary: { type: 'boolean', default: false, label: { en: 'Primary', fr: 'Principale' } },
  },
});
