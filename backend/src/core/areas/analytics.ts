// Domaine de l'analyse décisionnelle : requêtes d'analyse avec les droits de l'appelant (mêmes règles que les listes).
import { AnalyticsService, type AnalyticsDeps } from '../../analytics/service.js';
import type { PlatformServices } from '../services.js';

export type AnalyticsAreaDeps = AnalyticsDeps;

/** Services de l'analyse rendus à la plateforme. */
export type AnalyticsServices = Pick<PlatformServices, 'analytics'>;

export function wireAnalytics(deps: AnalyticsAreaDeps): AnalyticsServices {
  return { analytics: new AnalyticsService(deps) };
}
