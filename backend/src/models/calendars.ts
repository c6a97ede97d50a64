// Calendriers de travail (jours et heures ouvrés, jours fériés) par société ou par site ; signets des utilisateurs ;
// registre des licences détenues (modules et logiciels tiers).
import { defineEntity } from '@opsflux/sdk';

const core = 'core';
export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const calendarEntity = defineEntity({
  name: 'calendar',
  module: core,
  label: { en: 'Working calendar', fr: 'Calendrier de travail' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    company: { type: 'ref', options: { to: 'company' }, label: { en: 'Company', fr: 'Société' } },
    site: { type: 'ref', options: { to: 'site' }, label: { en: 'Site', fr: 'Site' } },
    timezone: { type: 'string', default: 'Europe/Paris', maxLength: 64, label: { en: 'Time zone', fr: 'Fuseau horaire' } },
    workingDays: { type: 'tags', default: ['mon', 'tue', 'wed', 'thu', 'fri'], label: { en: 'Working days', fr: 'Jours ouvrés' } },
    workStart: { type: 'string', default: '09:00', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', label: { en: 'Work starts', fr: 'Début de journée' } },
    workEnd: { type: 'string', default: '17:00', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', label: { en: 'Work ends', fr: 'Fin de journée' } },
  },
});

export const holidayEntity = defineEntity({
  name: 'holiday',
  module: core,
  label: { en: 'Holiday', fr: 'Jour férié' },
  display: 'name',
  indexes: [{ fields: ['calendar', 'date'], unique: true }],
  fields: {
    calendar: { type: 'ref', required: true, options: { to: 'calendar' }, label: { en: 'Calendar', fr: 'Calendrier' } },
    date: { type: 'date', required: true, label: { en: 'Date', fr: 'Date' } },
    name: { type: 'string', required: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    /** chaque année au même jour et au même mois */
    yearly: { type: 'boolean', default: false, label: { en: 'Every year', fr: 'Chaque année' } },
  },
});

export const bookmarkEntity = defineEntity({
  name: 'bookmark',
  module: core,
  label: { en: 'Bookmark', fr: 'Signet' },
  display: 'label',
  owner: { field: 'user', shared: 'shared' },
  fields: {
    user: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'User', fr: 'Utilisateur' } },
    label: { type: 'string', required: true, maxLength: 200, label: { en: 'Label', fr: 'Libellé' } },
    entity: { type: 'string', required: true, pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity', fr: 'Entité' } },
    /** un enregistrement précis, sinon une vue de liste (`view` : filtre, tri, colonnes) */
    recordId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$', label: { en: 'Record', fr: 'Enregistrement' } },
    view: { type: 'json', label: { en: 'List view', fr: 'Vue de liste' } },
    position: { type: 'integer', default: 0, label: { en: 'Position', fr: 'Position' } },
    shared: { type: 'boolean', default: false, label: { en: 'Shared with everyone', fr: 'Partagé avec tous' } },
  },
});

export const licenceEntity = defineEntity({
  name: 'licence',
  module: core,
  label: { en: 'Licence', fr: 'Licence' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    vendor: { type: 'string', maxLength: 200, search: true, label: { en: 'Vendor', fr: 'Éditeur' } },
    kind: { type: 'enum', default: 'software', options: { values: ['module', 'software', 'subscription'] }, label: { en: 'Kind', fr: 'Nature' } },
    module: { type: 'string', maxLength: 40, label: { en: 'OpsFlux module', fr: 'Module OpsFlux' } },
    seats: { type: 'integer', min: 0, label: { en: 'Seats', fr: 'Postes' } },
    seatsUsed: { type: 'integer', min: 0, label: { en: 'Seats used', fr: 'Postes utilisés' } },
    startsOn: { type: 'date', label: { en: 'Starts on', fr: 'Début' } },
    expiresOn: { type: 'date', index: true, label: { en: 'Expires on', fr: 'Échéance' } },
    remindDays: { type: 'integer', default: 30, min: 0, max: 365, label: { en: 'Reminder (days before expiry)', fr: 'Rappel (jours avant échéance)' } },
    remindedAt: { type: 'datetime', readOnly: true, label: { en: 'Reminder sent', fr: 'Rappel envoyé' } },
    cost: { type: 'money', label: { en: 'Cost', fr: 'Coût' } },
    renewal: { type: 'enum', default: 'manual', options: { values: ['manual', 'automatic'] }, label: { en: 'Renewal', fr: 'Renouvellement' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});
