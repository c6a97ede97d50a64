// Modules chargés sur ce nœud : leurs entités, extensions, réglages, crochets et routes sont branchés sur le cœur, et
// débranchés au déchargement, sans redémarrage. Un module chargé n'agit que dans les tenants où il est actif (les
// catalogues de tenant, les crochets et les routes le vérifient). Tous les nœuds suivent `module_release` ; un
// changement leur est signalé par NOTIFY.
import FindMyWay from 'find-my-way';
import type { ModuleAiTool, ModuleContext, ModuleRoute } from '@opsflux/sdk';
import { sql } from 'kysely';
import type { SettingsRegistry } from '../config/registry.js';
import type { Db } from '../db/database.js';
import { platformStatement, type Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';
import type { Catalog, EntityRegistry } from '../engine/registry.js';
import type { HookBus } from '../events/hooks.js';
import type { CatalogEntry, ModuleCatalog } from './catalog.js';
import { moduleCall, moduleContext, type ContextServices } from './context.js';
import { loadModule, type LoadedModule } from './loader.js';

export const MODULES_CHANNEL = 'opsflux_modules';
/** charge utile NOTIFY quand les versions chargées changent (tous les nœuds rechargent) */
export const RELEASES_CHANGED = '*';

type Router = FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;

interface Applied {
  loaded: LoadedModule;
  router: Router;
  undo: (() => void)[];
}

export interface RuntimeDeps {
  db: Db;
  registry: EntityRegistry;
  hooks: HookBus;
  settings: SettingsRegistry;
  catalog: ModuleCatalog;
  services: ContextServices;
  onError: (error: unknown) => void;
}

export interface RouteMatch {
  route: ModuleRoute;
  params: Record<string, string>;
}

export class ModuleRuntime {
  private readonly applied = new Map<string, Applied>();
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RuntimeDeps) {}

  loaded(name: string): LoadedModule | undefined {
    return this.applied.get(name)?.loaded;
  }

  names(): string[] {
    return [...this.applied.keys()].sort();
  }

  /** Outils d'IA des modules actifs dans ce catalogue de tenant. */
  aiTools(catalog: Catalog): Array<{ module: string; tool: ModuleAiTool }> {
    return [...this.applied.entries()]
      .filter(([name]) => catalog.modules.has(name))
      .flatMap(([module, { loaded }]) => (loaded.definition.aiTools ?? []).map((tool) => ({ module, tool })));
  }

  /** Charge le code d'un module du catalogue et le branche (tout ou rien). */
  async load(entry: CatalogEntry, executor?: Db): Promise<LoadedModule> {
    const dir = await this.deps.catalog.locate(entry, executor);
    const loaded = await loadModule(dir, entry.manifest);
    this.apply(loaded);
    return loaded;
  }

  unload(name: string): void {
    const applied = this.applied.get(name);
    if (!applied) return;
    this.applied.delete(name);
    for (const undo of applied.undo.reverse()) undo();
  }

  /** Contexte d'un module pour un appel de ce tenant dans une transaction ouverte. */
  context(name: string, trx: Tx, ctx: RequestContext, catalog: Catalog): ModuleContext {
    const loaded = this.applied.get(name)?.loaded;
    return moduleContext(this.deps.services, { module: name, translations: loaded?.translations ?? {}, trx, ctx, catalog });
  }

  /** Route d'un module chargé correspondant à la requête (l'activité dans le tenant est vérifiée par l'appelant). */
  match(name: string, method: string, path: string): RouteMatch | undefined {
    const found = this.applied.get(name)?.router.find(method as FindMyWay.HTTPMethod, path || '/');
    if (!found) return undefined;
    return { route: found.store as ModuleRoute, params: found.params as Record<string, string> };
  }

  /** Aligne ce nœud sur les versions de `module_release` (au démarrage, puis à chaque NOTIFY). */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.align(), () => this.align());
    return this.refreshing;
  }

  private async align(): Promise<void> {
    const { rows } = await platformStatement(this.deps.db, sql<{ name: string; version: string; source: string }>`
      SELECT name, version, source FROM module_release ORDER BY name`);
    let entries: CatalogEntry[] | undefined;
    for (const row of rows) {
      const current = this.applied.get(row.name);
      if (current?.loaded.manifest.version === row.version) continue;
      entries ??= await this.deps.catalog.entries();
      const entry = entries.find((e) => e.manifest.name === row.name && e.source === row.source && (e.source === 'builtin' || e.manifest.version === row.version));
      if (!entry) {
        this.deps.onError(new Error(`module ${row.name} ${row.version} is released but not in the catalog of this node`));
        continue;
      }
      this.unload(row.name);
      await this.load(entry).catch((error: unknown) => this.deps.onError(error));
    }
    const released = new Set(rows.map((r) => r.name));
    for (const name of this.names()) if (!released.has(name)) this.unload(name);
    this.deps.registry.invalidate();
  }

  private apply(loaded: LoadedModule): void {
    const name = loaded.manifest.name;
    if (this.applied.has(name)) throw new Error(`module ${name} is already loaded`);
    const { definition } = loaded;
    const undo: (() => void)[] = [];
    try {
      this.deps.registry.registerModule(name, definition.entities ?? [], definition.extensions ?? []);
      undo.push(() => this.deps.registry.unregisterModule(name));
      const settings = (definition.settings ?? []).map((s) => ({ ...s, module: name }));
      this.deps.settings.declare(...settings);
      undo.push(() => this.deps.settings.remove(...settings.map((s) => s.key)));
      for (const hook of definition.hooks ?? []) {
        undo.push(this.deps.hooks.on(hook.event, hook.entity, async (payload) => {
          if (!payload.catalog.modules.has(name)) return;
          const ctx = this.context(name, payload.trx, payload.ctx, payload.catalog);
          await moduleCall(() => hook.handler({ event: hook.event, entity: payload.entity.name, data: payload.data, before: payload.before, after: payload.after, ctx }));
        }));
      }
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
    const router: Router = FindMyWay({ ignoreTrailingSlash: true });
    for (const route of definition.routes ?? []) router.on(route.method, route.path, () => undefined, route);
    this.applied.set(name, { loaded, router, undo });
  }
}
