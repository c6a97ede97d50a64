// Organisation : sociétés (groupes de sociétés), unités d'organisation (départements, centres de coût et de profit)
// et sites. Entités du moteur : API générique, audit, corbeille, permissions, extensibles par les modules.
import { defineEntity } from '@opsflux/sdk';

const core = 'core';

export const companyEntity = defineEntity({
  name: 'company',
  module: core,
  label: { en: 'Company', fr: 'Société' },
  display: 'name',
  tree: true,
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    code: { type: 'string', unique: true, maxLength: 32, label: { en: 'Code', fr: 'Code' } },
    legalName: { type: 'string', maxLength: 300, label: { en: 'Legal name', fr: 'Raison sociale' } },
    registrationNumber: { type: 'string', maxLength: 64, label: { en: 'Registration number', fr: "Numéro d'immatriculation" } },
    taxId: { type: 'string', maxLength: 64, label: { en: 'Tax identifier', fr: 'Numéro de TVA' } },
    country: { type: 'ref', options: { to: 'country' }, label: { en: 'Country', fr: 'Pays' } },
    baseCurrency: { type: 'ref', options: { to: 'currency' }, label: { en: 'Base currency', fr: 'Devise de référence' } },
    currencies: { type: 'refs', options: { to: 'currency' }, label: { en: 'Allowed currencies', fr: 'Devises autorisées' } },
    fiscalYearStartMonth: { type: 'integer', default: 1, min: 1, max: 12, label: { en: 'Fiscal year starts in month', fr: "Mois de début de l'exercice" } },
    pricesIncludeTax: { type: 'boolean', default: false, label: { en: 'Prices include tax', fr: 'Prix toutes taxes comprises' } },
    email: { type: 'email', label: { en: 'Email', fr: 'E-mail' } },
    phone: { type: 'phone', label: { en: 'Phone', fr: 'Téléphone' } },
    website: { type: 'url', label: { en: 'Website', fr: 'Site web' } },
    /** identifiant du fichier du logo (service de fichiers) */
    logo: { type: 'file', label: { en: 'Logo', fr: 'Logo' } },
  },
});

export const businessUnitEntity = defineEntity({
  name: 'business_unit',
  module: core,
  label: { en: 'Business unit', fr: "Unité d'organisation" },
  display: 'name',
  tree: true,
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    code: { type: 'string', unique: true, maxLength: 32, label: { en: 'Code', fr: 'Code' } },
    company: { type: 'ref', required: true, options: { to: 'company' }, label: { en: 'Company', fr: 'Société' } },
    manager: { type: 'ref', options: { to: 'user' }, label: { en: 'Manager', fr: 'Responsable' } },
    costCentre: { type: 'boolean', default: false, label: { en: 'Cost centre', fr: 'Centre de coût' } },
    profitCentre: { type: 'boolean', default: false, label: { en: 'Profit centre', fr: 'Centre de profit' } },
  },
});

export const siteEntity = defineEntity({
  name: 'site',
  module: core,
  label: { en: 'Site', fr: 'Site' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    code: { type: 'string', unique: true, maxLength: 32, label: { en: 'Code', fr: 'Code' } },
    company: { type: 'ref', required: true, options: { to: 'company' }, label: { en: 'Company', fr: 'Société' } },
    timezone: { type: 'string', default: 'Europe/Paris', maxLength: 64, label: { en: 'Time zone', fr: 'Fuseau horaire' } },
    line1: { type: 'string', maxLength: 200, label: { en: 'Address', fr: 'Adresse' } },
    postalCode: { type: 'string', maxLength: 20, label: { en: 'Postal code', fr: 'Code postal' } },
    city: { type: 'string', maxLength: 100, label: { en: 'City', fr: 'Ville' } },
    country: { type: 'ref', options: { to: 'country' }, label: { en: 'Country', fr: 'Pays' } },
  },
});
