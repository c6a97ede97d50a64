// Domaine de l'intelligence locale (ai/local) : des capacités qui marchent sans fournisseur ni réseau, sur la base
// embarquée — chacune derrière l'interface de la passerelle d'IA, qu'un fournisseur configuré peut relayer. Chaque
// capacité s'assemble ici (une ligne), inscrit ses outils pour l'assistant et rend ses services aux routes.
import type { LocalToolRegistry } from '../../ai/local/tools.js';
import type { AiGateway } from '../../ai/gateway.js';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { FileService } from '../../services/files/file-service.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { JobSchedules } from '../../services/jobs/schedules.js';
import type { NotificationService } from '../../services/notifications/service.js';
import type { HookRules } from '../../services/automation/hook-rules.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import type { PlatformServices } from '../services.js';

export interface LocalAiAreaDeps {
  db: Db;
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  jobs: JobQueue;
  schedules: JobSchedules;
  notifications: NotificationService;
  files: FileService;
  hookRules: HookRules;
  moduleRuntime: ModuleRuntime;
  /** passerelle d'IA : un fournisseur configuré peut relayer une capacité locale */
  gateway: AiGateway;
  /** outils de l'assistant : chaque capacité y inscrit sa fabrique */
  tools: LocalToolRegistry;
}

/** Services de l'intelligence locale rendus à la plateforme. */
export type LocalAiServices = Pick<PlatformServices, never>;

export function wireLocalAi(deps: LocalAiAreaDeps): LocalAiServices {
  void deps;
  return {};
}
