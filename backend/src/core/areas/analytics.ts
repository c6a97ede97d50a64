// Domaine de l'analyse décisionnelle : requêtes d'analyse avec les droits de l'appelant (mêmes règles que les listes),
// tableaux de bord et indicateurs (entités contrôlées par des crochets), indicateurs recalculés quand leurs données
// changent, signal des entités écrites relayé aux écrans ouverts, contrôles de qualité des données et rapports planifiés.
import { DashboardRunner } from '../../analytics/dashboard-run.js';
import { installAnalyticsRules } from '../../analytics/entity-rules.js';
import { KpiService } from '../../analytics/kpis.js';
import { QualityService } from '../../analytics/quality/service.js';
import { ReportService } from '../../analytics/reports/service.js';
import { AnalyticsService } from '../../analytics/service.js';
import type { ForecastService } from '../../ai/local/forecast/service.js';
import type { Settings } from '../../config/settings.js';
import type { Database, Db } from '../../db/database.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { ChangeFeed, installChangeSignals } from '../../events/change-feed.js';
import type { HookBus } from '../../events/hooks.js';
import type { OutboxDispatcher } from '../../events/outbox.js';
import type { AccessProfiles } from '../../iam/access/store.js';
import type { EmailService } from '../../services/email/email-service.js';
import type { FileService } from '../../services/files/file-service.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { JobSchedules } from '../../services/jobs/schedules.js';
import type { NotifyAdministrators } from '../../services/notifications/admin-notices.js';
import type { NotificationService } from '../../services/notifications/service.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PlatformServices } from '../services.js';

export interface AnalyticsAreaDeps {
  database: Pick<Database, 'listen'>;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  settings: Settings;
  hooks: HookBus;
  dispatcher: OutboxDispatcher;
  jobs: JobQueue;
  notifications: NotificationService;
  access: AccessProfiles;
  db: Db;
  schedules: JobSchedules;
  notifyAdministrators: NotifyAdministrators;
  files: FileService;
  email: EmailService;
  /** prévisions locales (séries prolongées des widgets) */
  forecasts: ForecastService;
}

/** Services de l'analyse rendus à la plateforme. */
export type AnalyticsServices = Pick<PlatformServices, 'analytics' | 'kpis' | 'changes' | 'dashboards' | 'quality' | 'reports'>;

export async function wireAnalytics(deps: AnalyticsAreaDeps, lifecycle: Lifecycle): Promise<AnalyticsServices> {
  installAnalyticsRules(deps.hooks);
  installChangeSignals(deps.dispatcher);
  const analytics = new AnalyticsService(deps);
  const kpis = new KpiService({ ...deps, analytics });
  kpis.install();
  const quality = new QualityService(deps);
  quality.install();
  const reports = new ReportService({ ...deps, analytics });
  reports.install();
  const changes = new ChangeFeed(deps.database);
  await lifecycle.started(changes);
  return { analytics, kpis, changes, quality, reports, dashboards: new DashboardRunner({ ...deps, analytics }) };
}
