// Calendriers de travail (jours et heures ouvrés, jours fériés) par société ou par site.
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
