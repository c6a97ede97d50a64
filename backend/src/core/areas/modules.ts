// Domaine des modules : catalogue (livrés, téléversés, distant), code chargé sur ce nœud, gestionnaire
// (installations, licences, migrations), tâches planifiées des modules et contrôle des licences (travailleurs de fond).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleLogger } from '@opsflux/sdk';
import type { SettingsRegistry } from '../../config/registry.js';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { EntityRegistry } from '../../engine/registry.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { HookBus } from '../../events/hooks.js';
import { ModuleCatalog } from '../../modules/catalog.js';
import { LicenceScheduler } from '../../modules/licence-scheduler.js';
import { ModuleManager } from '../../modules/manager.js';
import { MODULES_CHANNEL, ModuleRuntime, RELEASES_CHANGED } from '../../modules/runtime.js';
import { ModuleTaskScheduler } from '../../modules/tasks.js';
import type { NotifyAdministrators } from '../../services/notifications/admin-notices.js';
import type { Outbound } from '../../services/outbound/outbound.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PlatformServices } from '../services.js';
import { VERSION } from '../version.js';
import { OptimiseService } from '../../ai/local/optimise/service.js';

const REPOSITORY_MODULES = fileURLToPath(new URL('../../../../modules/', import.meta.url));

export interface ModulesAreaDeps {
  db: Db;
  registry: EntityRegistry;
  hooks: HookBus;
  records: RecordService;
  settings: Settings;
  /** réglages déclarés : les modules chargés y ajoutent les leurs */
  settingsRegistry: SettingsRegistry;
  outbound: Outbound;
  catalog: CatalogOf;
  tenantTx: TenantTx;
  afterCommit: () => void;
  notifyAdministrators: NotifyAdministrators;
  onError?: (error: unknown) => void;
  /** dossier des modules livrés (défaut : $OPSFLUX_MODULES_DIR, sinon `modules/` du dépôt) */
  modulesDir?: string;
  /** dossier où ce nœud extrait les paquets téléversés (défaut : $OPSFLUX_MODULE_CACHE, sinon dossier temporaire) */
  moduleCacheDir?: string;
}

export type ModulesArea = Pick<PlatformServices, 'moduleCatalog' | 'moduleRuntime' | 'modules' | 'taskScheduler' | 'licenceScheduler'>;

/** Assemble le domaine et charge les versions de modules en place sur la plateforme. */
export async function wireModules(deps: ModulesAreaDeps, lifecycle: Lifecycle): Promise<ModulesArea> {
  const { db, registry, settings } = deps;
  const onError = deps.onError ?? ((error: unknown) => console.error(error));
  const platformMultiple = (key: string, factor: number) => async () => (await settings.platformValue<number>(key)) * factor;
  const moduleCatalog = new ModuleCatalog(db, {
    builtinDir: deps.modulesDir ?? process.env.OPSFLUX_MODULES_DIR ?? REPOSITORY_MODULES,
    cacheDir: deps.moduleCacheDir ?? process.env.OPSFLUX_MODULE_CACHE ?? join(tmpdir(), 'opsflux-modules'),
    manifestMaxBytes: platformMultiple('modules.manifest.maxKilobytes', 1024),
    remote: {
      url: () => settings.platformValue<string | null>('modules.catalog.url'),
      maxBytes: platformMultiple('modules.upload.maxMegabytes', 1024 * 1024),
      cacheMs: platformMultiple('modules.catalog.cacheSeconds', 1000),
      timeoutMs: platformMultiple('modules.catalog.timeoutSeconds', 1000),
      fetch: (url, init) => deps.outbound.fetch('catalog', url, init),
    },
    onError,
  });
  const moduleRuntime = new ModuleRuntime({
    db, registry, hooks: deps.hooks, settings: deps.settingsRegistry, catalog: moduleCatalog, onError,
    services: { records: deps.records, settings, log: moduleLogger, optimise: new OptimiseService(settings) },
  });
  const modules = new ModuleManager({ db, registry, runtime: moduleRuntime, catalog: moduleCatalog, settings, core: VERSION, afterCommit: deps.afterCommit });
  await moduleRuntime.refresh();
  // versions chargées changées (`*`) → chaque nœud se réaligne ; état d'un tenant → son catalogue est oublié
  await lifecycle.listen(MODULES_CHANNEL, (payload) => {
    if (payload === RELEASES_CHANGED) void moduleRuntime.refresh().catch((error: unknown) => deps.onError?.(error));
    else registry.invalidate(payload || undefined);
  });
  const taskScheduler = new ModuleTaskScheduler({ db, settings, catalog: deps.catalog, tenantTx: deps.tenantTx, moduleRuntime }, deps.onError);
  const licenceScheduler = new LicenceScheduler({ db, modules, notifyAdministrators: deps.notifyAdministrators }, deps.onError);
  lifecycle.worker(taskScheduler);
  lifecycle.worker(licenceScheduler);
  return { moduleCatalog, moduleRuntime, modules, taskScheduler, licenceScheduler };
}

/** Journal d'un module : lignes JSON sur la sortie d'erreur, préfixées du module. */
function moduleLogger(module: string): ModuleLogger {
  const write = (level: string) => (message: string, data?: Record<string, unknown>) =>
    console.error(JSON.stringify({ level, module, msg: message, ...data }));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
