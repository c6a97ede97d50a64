// Domaines de l'API : chacun est un greffon Fastify encapsulé (ses analyseurs de contenu et ses crochets restent
// chez lui) qui ne reçoit que les services qu'il déclare (`…RouteDeps`, un `Pick` de PlatformServices). Ajouter un
// domaine, c'est une ligne ici et un fichier de routes.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../core/services.js';
import { registerAiRoutes } from './routes/ai.js';
import { registerAiModelRoutes } from './routes/ai-models.js';
import { registerAiFieldSuggestionRoutes } from './routes/ai-field-suggestions.js';
import { registerAiForecastRoutes } from './routes/ai-forecasts.js';
import { registerAiAnomalyRoutes } from './routes/ai-anomalies.js';
import { registerAiGraphRoutes } from './routes/ai-graph.js';
import { registerAiProcessRoutes } from './routes/ai-process.js';
import { registerAiOptimiseRoutes } from './routes/ai-optimise.js';
import { registerAiNlpRoutes } from './routes/ai-nlp.js';
import { registerAiPredictionRoutes } from './routes/ai-predictions.js';
import { registerAiRecommendRoutes } from './routes/ai-recommend.js';
import { registerAiNlQueryRoutes } from './routes/ai-nl-query.js';
import { registerAiDocumentRoutes } from './routes/ai-documents.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerAnalyticsRoutes } from './routes/analytics.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerEmailRoutes } from './routes/email.js';
import { registerErrorRoutes } from './routes/errors.js';
import { registerEventStreamRoutes } from './routes/event-stream.js';
import { registerFileRoutes } from './routes/files.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerI18nRoutes } from './routes/i18n.js';
import { registerIdentityRoutes } from './routes/identities.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerMenuRoutes } from './routes/menus.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerMfaRoutes } from './routes/mfa.js';
import { registerModuleRoutes } from './routes/modules.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerReferenceServiceRoutes } from './routes/reference-services.js';
import { registerSettingRoutes } from './routes/settings.js';
import { registerShortLinkRoutes } from './routes/short-links.js';
import { registerSsoRoutes } from './routes/sso.js';
import { registerTenantRoutes } from './routes/tenants.js';
import { registerWebhookRoutes } from './routes/webhooks.js';

/** Un domaine de routes ; `register` déclare ses dépendances par le type de son second paramètre. */
export interface RouteArea {
  name: string;
  register: (app: FastifyInstance, deps: PlatformServices) => void | Promise<void>;
}

export const ROUTE_AREAS: readonly RouteArea[] = [
  { name: 'health', register: registerHealthRoutes },
  { name: 'auth', register: registerAuthRoutes },
  { name: 'account', register: registerAccountRoutes },
  { name: 'meta', register: registerMetaRoutes },
  { name: 'mfa', register: registerMfaRoutes },
  { name: 'sso', register: registerSsoRoutes },
  { name: 'identities', register: registerIdentityRoutes },
  { name: 'tenants', register: registerTenantRoutes },
  { name: 'settings', register: registerSettingRoutes },
  { name: 'records', register: registerRecordRoutes },
  { name: 'menus', register: registerMenuRoutes },
  { name: 'i18n', register: registerI18nRoutes },
  { name: 'reference', register: registerReferenceServiceRoutes },
  { name: 'modules', register: registerModuleRoutes },
  { name: 'files', register: registerFileRoutes },
  { name: 'import-export', register: registerImportRoutes },
  { name: 'audit', register: registerAuditRoutes },
  { name: 'short-links', register: registerShortLinkRoutes },
  { name: 'webhooks', register: registerWebhookRoutes },
  { name: 'errors', register: registerErrorRoutes },
  { name: 'email', register: registerEmailRoutes },
  { name: 'notifications', register: registerNotificationRoutes },
  { name: 'event-stream', register: registerEventStreamRoutes },
  { name: 'api-keys', register: registerApiKeyRoutes },
  { name: 'jobs', register: registerJobRoutes },
  { name: 'ai', register: registerAiRoutes },
  { name: 'ai-models', register: registerAiModelRoutes },
  { name: 'ai-field-suggestions', register: registerAiFieldSuggestionRoutes },
  { name: 'ai-forecasts', register: registerAiForecastRoutes },
  { name: 'ai-anomalies', register: registerAiAnomalyRoutes },
  { name: 'ai-graph', register: registerAiGraphRoutes },
  { name: 'ai-process', register: registerAiProcessRoutes },
  { name: 'ai-recommend', register: registerAiRecommendRoutes },
  { name: 'ai-optimise', register: registerAiOptimiseRoutes },
  { name: 'ai-nlp', register: registerAiNlpRoutes },
  { name: 'ai-predictions', register: registerAiPredictionRoutes },
  { name: 'ai-nl-query', register: registerAiNlQueryRoutes },
  { name: 'ai-documents', register: registerAiDocumentRoutes },
  { name: 'analytics', register: registerAnalyticsRoutes },
];

/** Enregistre chaque domaine dans son propre contexte Fastify, dans l'ordre de la liste. */
export async function registerRouteAreas(app: FastifyInstance, services: PlatformServices, areas: readonly RouteArea[] = ROUTE_AREAS): Promise<void> {
  for (const area of areas) await app.register(async (scope) => area.register(scope, services));
}
