// Requête d'analyse (POST /api/v1/analytics/query), sa réponse et les données d'un tableau de bord : mesures,
// dimensions, périodes, comparaisons, top N avec « autres », tableau croisé, conversion de devises, prévisions.
// Partagé par le serveur, l'application et les modules.
import type { Problem } from './problem.js';

export const ANALYTICS_FUNCTIONS = ['count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'percentile'] as const;
export type AnalyticsFunction = (typeof ANALYTICS_FUNCTIONS)[number];

/** Périodes d'un champ date : calendaires (fuseau de l'utilisateur) ou de l'exercice de la société. */
export const ANALYTICS_BUCKETS = ['day', 'week', 'month', 'quarter', 'year', 'fiscalQuarter', 'fiscalYear'] as const;
export type AnalyticsBucket = (typeof ANALYTICS_BUCKETS)[number];

export const ANALYTICS_COMPARISONS = ['previousPeriod', 'previousYear'] as const;
export type AnalyticsComparison = (typeof ANALYTICS_COMPARISONS)[number];

/** Périodes glissantes, jusqu'au jour courant du fuseau de l'analyse (les mois et années passés, entiers). */
export const ANALYTICS_PERIOD_PRESETS = ['today', 'thisWeek', 'thisMonth', 'lastMonth', 'thisQuarter', 'thisYear', 'lastYear', 'last30Days', 'last12Months'] as const;
export type AnalyticsPeriodPreset = (typeof ANALYTICS_PERIOD_PRESETS)[number];

export interface AnalyticsMeasure {
  fn: AnalyticsFunction;
  /** champ mesuré (chemin pointé permis) ; absent pour `count` (toutes les lignes) */
  field?: string;
  /** rang du centile, entre 0 et 1 (`percentile`) */
  p?: number;
  /** devise d'un montant décimal (chemin vers un code ISO, par exemple `currency.code`) ; un champ money porte la sienne */
  currencyField?: string;
  /** nom de la mesure dans la réponse (défaut : `fn:field`, `p90:field`) */
  as?: string;
}

export interface AnalyticsDimension {
  /** champ (chemin pointé permis : `customer.country.name`) */
  field: string;
  /** période d'un champ date ou date-heure ; clé = début de la période (`YYYY-MM-DD`) */
  bucket?: AnalyticsBucket;
  /** nom de la dimension dans la réponse (défaut : `field` ou `field:bucket`) */
  as?: string;
}

export interface AnalyticsQuery {
  entity: string;
  measures: AnalyticsMeasure[];
  dimensions?: AnalyticsDimension[];
  /** filtre JSON, comme dans les listes */
  filter?: unknown;
  /** période analysée, bornes incluses (ou période glissante nommée), dans le fuseau de l'analyse ; requise pour une comparaison */
  period?: { field: string; from?: string; to?: string; preset?: AnalyticsPeriodPreset };
  compare?: AnalyticsComparison;
  /** tri par mesure ou dimension (noms de la réponse) */
  sort?: Array<{ by: string; desc?: boolean }>;
  /** garde les N premières valeurs de la première dimension (selon le premier tri par mesure) */
  top?: number;
  /** regroupe les autres valeurs de la première dimension dans une ligne « autres » */
  others?: boolean;
  /** dimensions mises en colonnes (tableau croisé) */
  pivot?: { columns: string[] };
  /** montants convertis dans cette devise, au taux d'une date fixe ou de la date de chaque enregistrement */
  currency?: { code: string; date?: string; dateField?: string };
  /** fuseau des périodes (défaut : celui de l'utilisateur) */
  timeZone?: string;
  /** société dont l'exercice définit les périodes fiscales (défaut : la société courante de l'utilisateur) */
  company?: string;
}

/**
 * Forme acceptée par l'API (contrat HTTP) : une mesure peut nommer sa fonction `op`, une dimension être un simple nom
 * de champ, le tri être le texte des listes (`-count,region`), `limit` borner le nombre de lignes renvoyées.
 */
export interface AnalyticsQueryInput extends Omit<AnalyticsQuery, 'measures' | 'dimensions' | 'sort'> {
  measures: Array<AnalyticsMeasure | (Omit<AnalyticsMeasure, 'fn'> & { op: AnalyticsFunction })>;
  dimensions?: Array<string | AnalyticsDimension>;
  sort?: string | AnalyticsQuery['sort'];
  limit?: number;
}

export interface AnalyticsRow {
  keys: Record<string, unknown>;
  /** entiers (comptes) en nombres ; décimaux et montants en texte exact */
  values: Record<string, unknown>;
  /** valeurs de la période de comparaison */
  previous?: Record<string, unknown>;
  /** variation relative (0.25 = +25 %) ; null quand la période de comparaison vaut 0 ou manque */
  change?: Record<string, number | null>;
  /** ligne qui regroupe les valeurs hors du top N */
  others?: boolean;
  /**
   * aussi à plat (contrat HTTP) : chaque dimension sous son nom de champ (ou `as`), chaque mesure en nombre sous
   * `count` ou `<fn>_<champ>` (ou `as`)
   */
  [flat: string]: unknown;
  /** filtre JSON des enregistrements de la ligne (exploration vers la liste), absent pour « autres » */
  drill?: Record<string, unknown>;
}

export interface AnalyticsColumn {
  name: string;
  role: 'dimension' | 'measure';
  /** type de la valeur : string, integer, decimal, money, date, boolean, uuid */
  type: string;
  label: Record<string, string>;
  /** entité d'une dimension qui est une référence (lien vers la liste filtrée) */
  ref?: string;
}

export interface AnalyticsPivot {
  /** dimensions en lignes et en colonnes */
  rows: string[];
  columns: string[];
  /** clés des colonnes, dans l'ordre */
  columnKeys: Array<Record<string, unknown>>;
  /** par ligne : ses clés et, par colonne (même ordre que columnKeys), les valeurs des mesures ou null */
  data: Array<{ keys: Record<string, unknown>; cells: Array<Record<string, unknown> | null> }>;
}

/** Filtres globaux d'un tableau de bord, fondus dans la requête de chaque widget. */
export interface DashboardFilters {
  period?: { preset?: AnalyticsPeriodPreset; from?: string; to?: string };
  companyId?: string;
  siteId?: string;
}

/** Prévision d'une série (widget `forecast`) : points prévus avec leur bande, modèle, erreur rétrospective (MAPE). */
export interface WidgetForecast {
  points: Array<{ t: string; value: number; lower: number; upper: number }>;
  model: string;
  mape: number | null;
}

/** Réponse d'un widget : son analyse (et sa prévision), ou le problème qui l'empêche. */
export type WidgetData = { result: AnalyticsResult; forecast?: WidgetForecast; forecastProblem?: Problem } | { problem: Problem };

/** POST /analytics/dashboards/:id/data : filtres appliqués et réponse de chaque widget par identifiant. */
export interface DashboardData {
  filters: DashboardFilters;
  widgets: Record<string, WidgetData>;
}

export interface AnalyticsResult {
  entity: string;
  columns: AnalyticsColumn[];
  rows: AnalyticsRow[];
  /** totaux sur toutes les lignes filtrées (autres comprises) */
  totals: Record<string, unknown>;
  previousTotals?: Record<string, unknown>;
  pivot?: AnalyticsPivot;
  meta: {
    engine: 'postgres' | 'duckdb';
    timeZone: string;
    currency: string | null;
    /** période analysée et période de comparaison, bornes incluses */
    period?: { from: string; to: string };
    comparedWith?: { from: string; to: string };
    ms: number;
  };
}
