// Rapports planifiés : une analyse enregistrée, envoyée par courriel en Excel ou en PDF selon une expression cron,
// calculée avec les droits de son propriétaire.
import { defineEntity } from '@opsflux/sdk';

export const REPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const reportEntity = defineEntity({
  name: 'report',
  module: 'core',
  label: { en: 'Scheduled report', fr: 'Rapport planifié' },
  display: 'name',
  owner: { field: 'owner', shared: 'shared', sharedWith: 'sharedWith' },
  fields: {
    owner: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'Owner', fr: 'Propriétaire' } },
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    /** requête d'analyse (mêmes règles que POST /analytics/query) */
    query: { type: 'json', required: true, label: { en: 'Analysis', fr: 'Analyse' } },
    format: { type: 'enum', default: 'xlsx', options: { values: [...REPORT_FORMATS] }, label: { en: 'Format', fr: 'Format' } },
    /** cron à cinq champs, dans le fuseau `timeZone` */
    cron: { type: 'string', required: true, maxLength: 100, label: { en: 'Schedule (cron)', fr: 'Planification (cron)' } },
    timeZone: { type: 'string', default: 'UTC', maxLength: 64, label: { en: 'Time zone', fr: 'Fuseau horaire' } },
    recipients: { type: 'tags', label: { en: 'Recipients (e-mail addresses)', fr: 'Destinataires (adresses e-mail)' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    shared: { type: 'boolean', default: false, label: { en: 'Shared with everyone', fr: 'Partagé avec tous' } },
    sharedWith: { type: 'refs', options: { to: 'role' }, label: { en: 'Shared with roles', fr: 'Partagé avec les rôles' } },
    nextRunAt: { type: 'datetime', readOnly: true, label: { en: 'Next run', fr: 'Prochain envoi' } },
    lastRunAt: { type: 'datetime', readOnly: true, label: { en: 'Last run', fr: 'Dernier envoi' } },
    lastError: { type: 'text', readOnly: true, label: { en: 'Last error', fr: 'Dernière erreur' } },
  },
});
