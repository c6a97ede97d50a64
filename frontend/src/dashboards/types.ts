// Forme des tableaux de bord servis par l'API (entité `dashboard`, données par GET /analytics/dashboards/:id/data).
import type { AnalyticsQuery, DashboardFilters } from '@opsflux/sdk';

export const WIDGET_TYPES = ['kpi', 'column', 'bar', 'line', 'area', 'pie', 'donut', 'table'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

export interface Widget {
  id: string;
  type: WidgetType;
  title?: { en?: string; fr?: string };
  x: number;
  y: number;
  w: number;
  h: number;
  query?: AnalyticsQuery;
  /** champ date auquel s'applique la période globale */
  dateField?: string;
  /** périodes de prévision ajoutées à une série */
  forecast?: number;
}

export interface Dashboard {
  id: string;
  version: number;
  name: string;
  description: string | null;
  owner: string | null;
  widgets: Widget[] | null;
  filters: DashboardFilters | null;
  shared: boolean;
  sharedWith: string[] | null;
}

export type { DashboardData, DashboardFilters, WidgetData, WidgetForecast } from '@opsflux/sdk';
