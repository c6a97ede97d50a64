// Entités de l'analyse : tableaux de bord (grille de widgets, filtres globaux) et indicateurs (KPI : une requête,
// une cible, des seuils), personnels et partagés avec tous ou avec des rôles. Entités du moteur : API, audit,
// corbeille, permissions viennent avec.
import { ANALYTICS_PERIOD_PRESETS, defineEntity } from '@opsflux/sdk';

const core = 'core';

export const WIDGET_TYPES = ['kpi', 'line', 'bar', 'column', 'area', 'pie', 'donut', 'pivot', 'table', 'list'] as const;
export const KPI_STATUSES = ['unknown', 'ok', 'alert', 'invalid'] as const;

const sharing = {
  shared: { type: 'boolean', default: false, label: { en: 'Shared with everyone', fr: 'Partagé avec tous' } },
  sharedWith: { type: 'refs', options: { to: 'role' }, label: { en: 'Shared with roles', fr: 'Partagé avec les rôles' } },
} as const;

export const dashboardEntity = defineEntity({
  name: 'dashboard',
  module: core,
  label: { en: 'Dashboard', fr: 'Tableau de bord' },
  display: 'name',
  owner: { field: 'owner', shared: 'shared', sharedWith: 'sharedWith' },
  fields: {
    owner: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'Owner', fr: 'Propriétaire' } },
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    description: { type: 'text', label: { en: 'Description', fr: 'Description' } },
    /** widgets : type, titre, position sur la grille (x, y, w, h), requête d'analyse ; contrôlés par un crochet */
    widgets: { type: 'json', label: { en: 'Widgets', fr: 'Widgets' } },
    /** filtres globaux appliqués à tous les widgets : période, société, site */
    filters: { type: 'json', label: { en: 'Global filters', fr: 'Filtres globaux' } },
    /** module dont c'est un tableau de bord par défaut */
    module: { type: 'string', maxLength: 64, readOnly: true, label: { en: 'Module', fr: 'Module' } },
    ...sharing,
  },
});

export const kpiEntity = defineEntity({
  name: 'kpi',
  module: core,
  label: { en: 'Key indicator', fr: 'Indicateur clé' },
  display: 'name',
  owner: { field: 'owner', shared: 'shared', sharedWith: 'sharedWith' },
  fields: {
    owner: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'Owner', fr: 'Propriétaire' } },
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    /** requête d'analyse ; la première mesure, sans dimension, est la valeur de l'indicateur */
    query: { type: 'json', required: true, label: { en: 'Query', fr: 'Requête' } },
    /** période glissante appliquée au champ date `dateField` */
    period: { type: 'enum', options: { values: [...ANALYTICS_PERIOD_PRESETS] }, label: { en: 'Period', fr: 'Période' } },
    dateField: { type: 'string', maxLength: 200, label: { en: 'Date field', fr: 'Champ date' } },
    target: { type: 'decimal', options: { precision: 24, scale: 6 }, label: { en: 'Target', fr: 'Cible' } },
    alertBelow: { type: 'decimal', options: { precision: 24, scale: 6 }, label: { en: 'Alert below', fr: 'Alerte en dessous de' } },
    alertAbove: { type: 'decimal', options: { precision: 24, scale: 6 }, label: { en: 'Alert above', fr: 'Alerte au-dessus de' } },
    /** prévenir le propriétaire et les rôles du partage quand l'indicateur passe en alerte */
    notify: { type: 'boolean', default: true, label: { en: 'Notify on alert', fr: 'Prévenir en cas d’alerte' } },
    value: { type: 'string', readOnly: true, maxLength: 64, label: { en: 'Value', fr: 'Valeur' } },
    status: { type: 'enum', default: 'unknown', readOnly: true, options: { values: [...KPI_STATUSES] }, label: { en: 'Status', fr: 'État' } },
    /** pourquoi l'indicateur ne se calcule plus (champ supprimé, droit retiré…) */
    problem: { type: 'text', readOnly: true, label: { en: 'Problem', fr: 'Problème' } },
    evaluatedAt: { type: 'datetime', readOnly: true, label: { en: 'Evaluated at', fr: 'Calculé le' } },
    ...sharing,
  },
});
