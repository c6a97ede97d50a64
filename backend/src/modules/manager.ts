// Cycle de vie des modules d'un tenant : installer → activer ⇄ désactiver → désinstaller, et mise à niveau de la
// version de la plateforme. Chaque étape est une transaction sous verrou (deux installations simultanées se suivent) :
// un échec, même au milieu d'une migration, ne laisse aucune trace. Le changement vaut aussitôt sur tous les nœuds.
import type { Label, ModuleManifest } from '@opsflux/sdk';
import { sql } from 'kysely';
import semver from 'semver';
import { appendAudit } from '../audit/writer.js';
import type { Settings } from '../config/settings.js';
import type { Db } from '../db/database.js';
import { applyMigrations, forgetMigrations } from '../db/migrations/runner.js';
import { asOwner, asPlatform, executeAtCommit, inTenant, type Tx } from '../db/transaction.js';
import { type RequestContext, systemContext } from '../engine/context.js';
import type { EntityRegistry } from '../engine/registry.js';
import { ProblemError } from '../errors/problem.js';
import { versionsOf, type CatalogEntry, type ModuleCatalog, type ModuleSource } from './catalog.js';
import { licenceProblem, parseLicence, type LicenceFile } from './licence.js';
import type { LoadedModule } from './loader.js';
import { moduleCall } from './context.js';
import { MODULES_CHANNEL, RELEASES_CHANGED, type ModuleRuntime } from './runtime.js';
import { createModuleSchema, deleteTenantData, dropModuleSchema } from './schema.js';
import { dependants, dormantDependencies, installedDependencies, planInstall, satisfies, type InstalledModule, type Reason } from './solver.js';

// verrou consultatif des opérations sur les modules : une clé commune à tous les nœuds, pas une limite
const MODULE_LOCK = 0x0f5f1c;

export type ModuleState = 'available' | 'installed' | 'active' | 'inactive';

export interface ModuleSummary {
  name: string;
  version: string;
  label: Label;
  description?: Label;
  author?: string;
  state: ModuleState;
  dependencies: Record<string, string>;
  license: 'free' | 'commercial';
  source: ModuleSource;
  /** version la plus récente du catalogue (supérieure à `version` : mise à niveau possible) */
  latest: string;
}

export interface ManagerDeps {
  db: Db;
  registry: EntityRegistry;
  runtime: ModuleRuntime;
  catalog: ModuleCatalog;
  settings: Settings;
  core: string;
  afterCommit: () => void;
}

interface Release {
  version: string;
  source: ModuleSource;
  manifest: ModuleManifest;
  tenants: number;
}

/** 409 dont les raisons sont listées (une par module en cause). */
export function refused(reasons: Reason[]): ProblemError {
  return new ProblemError(409, reasons[0]!.code, reasons.map((r) => r.message).join('; '),
    reasons.map((r) => ({ field: r.module, code: r.code, message: r.message })));
}

export class ModuleManager {
  constructor(private readonly deps: ManagerDeps) {}

  /** Catalogue vu par le tenant : chaque module une fois, avec son état ici. */
  async list(ctx: RequestContext): Promise<ModuleSummary[]> {
    const entries = await this.deps.catalog.entries();
    const { installed, releases } = await inTenant(this.deps.db, { tenantId: ctx.tenantId }, async (trx) => ({
      installed: await tenantState(trx), releases: await releaseRows(trx),
    }));
    const names = [...new Set([...entries.map((e) => e.manifest.name), ...releases.keys()])].sort();
    return names.map((name) => summary(name, entries, releases.get(name), installed.get(name)));
  }

  async get(ctx: RequestContext, name: string): Promise<ModuleSummary> {
    const found = (await this.list(ctx)).find((m) => m.name === name);
    if (!found) throw new ProblemError(404, 'not_found', `Unknown module "${name}"`);
    return found;
  }

  /** Installe le module et ses dépendances manquantes (dépendances d'abord), actifs sauf `activate: false`. */
  async install(ctx: RequestContext, name: string, options: { activate?: boolean } = {}): Promise<ModuleSummary> {
    const entries = await this.deps.catalog.entries();
    const keys = await this.licenceKeys();
    const loadedNow: string[] = [];
    let releasesChanged = false;
    try {
      await this.lifecycle(ctx, async (trx) => {
        const installed = await tenantState(trx);
        const releases = await releaseRows(trx);
        const candidates = (n: string) => {
          const release = releases.get(n);
          return release ? [release.manifest] : versionsOf(entries, n).map((e) => e.manifest);
        };
        const plan = planInstall(name, candidates, installed, this.deps.core);
        if (plan.reasons.some((r) => r.code === 'not_available' && r.module === name)) throw new ProblemError(404, 'not_found', `Unknown module "${name}"`);
        // dépendances installées mais inactives : elles se réactivent avec le module (sinon leurs entités manquent)
        const dormant = dormantDependencies(plan.order, installed);
        const dormantManifests = dormant.map((n) => installed.get(n)!.manifest);
        if (!plan.reasons.length) plan.reasons.push(...(await this.licenceReasons(trx, [...dormantManifests, ...plan.order], keys)));
        if (plan.reasons.length) throw refused(plan.reasons);
        const ensureLoaded = async (manifest: ModuleManifest) => {
          const present = this.deps.runtime.loaded(manifest.name);
          if (present) return present;
          loadedNow.push(manifest.name);
          return loadOrRefuse(this.deps.runtime, entryOf(entries, releases.get(manifest.name), manifest), trx);
        };
        for (const manifest of dormantManifests) await ensureLoaded(manifest);
        const modules: LoadedModule[] = [];
        for (const manifest of plan.order) modules.push(await ensureLoaded(manifest));
        await setState(trx, dormant, 'active');
        for (const module of modules) {
          const state = module.manifest.name === name && options.activate === false ? 'installed' : 'active';
          await sql`INSERT INTO module_install (tenant_id, name, state) VALUES (app_tenant(), ${module.manifest.name}, ${state})`.execute(trx);
        }
        // les dépendances réactivées sont déjà actives en base : le catalogue les lit comme les autres modules actifs
        const catalog = await this.deps.registry.loadCatalog(trx, plan.order.map((m) => m.name));
        await asOwner(trx, async () => {
          for (const module of modules) {
            const { manifest } = module;
            const fresh = !releases.has(manifest.name);
            releasesChanged ||= fresh;
            await sql`INSERT INTO module_release (name, version, source, manifest, tenants)
              VALUES (${manifest.name}, ${manifest.version}, ${releaseSource(entryOf(entries, releases.get(manifest.name), manifest))}, ${JSON.stringify(manifest)}::jsonb, 1)
              ON CONFLICT (name) DO UPDATE SET tenants = module_release.tenants + 1, updated_at = now()`.execute(trx);
            if (fresh) {
              await createModuleSchema(trx, catalog, module.definition);
              await migrate(trx, module);
            }
          }
        });
        for (const module of modules) {
          await moduleCall(() => module.definition.install?.(this.deps.runtime.context(module.manifest.name, trx, system(ctx), catalog)));
        }
        await appendAudit(trx, ctx, [
          ...dormant.map((n) => stateAudit(n, installed.get(n)!.state, 'active')),
          ...modules.map((m) => ({
            action: 'module.install', entity: 'module', changes: { name: { from: null, to: m.manifest.name }, version: { from: null, to: m.manifest.version } },
          })),
        ]);
        await this.notify(trx, ctx, releasesChanged);
      });
    } catch (error) {
      for (const loaded of loadedNow) this.deps.runtime.unload(loaded);
      throw error;
    }
    this.changed(ctx, releasesChanged);
    return this.get(ctx, name);
  }

  /** Active le module et ses dépendances installées (dans l'ordre des dépendances). */
  async activate(ctx: RequestContext, name: string): Promise<ModuleSummary> {
    const keys = await this.licenceKeys();
    await this.lifecycle(ctx, async (trx) => {
      const installed = await tenantState(trx);
      const module = installed.get(name);
      if (!module) throw refused([{ code: 'not_installed', module: name, message: `${name} is not installed` }]);
      if (module.state === 'active') return;
      const { order, missing } = installedDependencies(name, installed);
      const toActivate = order.filter((n) => installed.get(n)?.state !== 'active');
      const manifests = toActivate.map((n) => installed.get(n)!.manifest);
      const reasons = [
        ...missing,
        ...manifests.filter((m) => !satisfies(this.deps.core, m.core)).map((m): Reason => ({
          code: 'incompatible_core', module: m.name, message: `${m.name} ${m.version} needs core ${m.core}, this is ${this.deps.core}`,
        })),
      ];
      if (!reasons.length) reasons.push(...(await this.licenceReasons(trx, manifests, keys)));
      if (reasons.length) throw refused(reasons);
      await setState(trx, toActivate, 'active');
      await appendAudit(trx, ctx, toActivate.map((n) => stateAudit(n, installed.get(n)!.state, 'active')));
      await this.notify(trx, ctx, false);
    });
    this.changed(ctx, false);
    return this.get(ctx, name);
  }

  /** Désactive le module : ses routes répondent 404, ses crochets se taisent, ses données restent. */
  async deactivate(ctx: RequestContext, name: string): Promise<ModuleSummary> {
    await this.lifecycle(ctx, async (trx) => {
      const installed = await tenantState(trx);
      const module = installed.get(name);
      if (!module) throw refused([{ code: 'not_installed', module: name, message: `${name} is not installed` }]);
      if (module.state !== 'active') return;
      const blocking = dependants(name, installed, true);
      if (blocking.length) {
        throw refused(blocking.map((d) => ({ code: 'active_dependants', module: d, message: `${d} depends on ${name} and is active: deactivate it first` })));
      }
      await setState(trx, [name], 'inactive');
      await appendAudit(trx, ctx, [stateAudit(name, module.state, 'inactive')]);
      await this.notify(trx, ctx, false);
    });
    this.changed(ctx, false);
    return this.get(ctx, name);
  }

  /**
   * Désinstalle le module du tenant. `keepData` : tables et valeurs restent (une réinstallation les retrouve) ; sinon
   * les données du tenant sont effacées, et le schéma supprimé si plus aucun tenant n'a le module.
   */
  async uninstall(ctx: RequestContext, name: string, keepData: boolean): Promise<ModuleSummary> {
    let dropped = false;
    await this.lifecycle(ctx, async (trx) => {
      const installed = await tenantState(trx);
      const module = installed.get(name);
      if (!module) throw refused([{ code: 'not_installed', module: name, message: `${name} is not installed` }]);
      const blocking = dependants(name, installed, false);
      if (blocking.length) {
        throw refused(blocking.map((d) => ({ code: 'installed_dependants', module: d, message: `${d} depends on ${name}: uninstall it first` })));
      }
      const loaded = this.deps.runtime.loaded(name);
      const catalog = await this.deps.registry.loadCatalog(trx, [name]);
      await moduleCall(() => loaded?.definition.uninstall?.(this.deps.runtime.context(name, trx, system(ctx), catalog), { keepData }));
      await sql`DELETE FROM module_install WHERE name = ${name}`.execute(trx);
      await asOwner(trx, async () => {
        if (!keepData && loaded) await deleteTenantData(trx, catalog, loaded.definition);
        const { rows } = await sql<{ tenants: number }>`UPDATE module_release SET tenants = tenants - 1, updated_at = now()
          WHERE name = ${name} RETURNING tenants`.execute(trx);
        if (!keepData && rows[0]?.tenants === 0) {
          if (loaded) await dropModuleSchema(trx, catalog, loaded.definition);
          await forgetMigrations(trx, scopeOf(name));
          await sql`DELETE FROM module_release WHERE name = ${name}`.execute(trx);
          await sql`DELETE FROM module_licence WHERE name = ${name} AND tenant_id = app_tenant()`.execute(trx);
          dropped = true;
        }
      });
      await appendAudit(trx, ctx, [{ action: 'module.uninstall', entity: 'module', changes: { name: { from: name, to: null }, keepData: { from: null, to: keepData } } }]);
      await this.notify(trx, ctx, dropped);
    });
    if (dropped) this.deps.runtime.unload(name);
    this.changed(ctx, dropped);
    return this.get(ctx, name);
  }

  /** Met la plateforme à la version la plus récente du catalogue (schéma complété, migrations jouées, données gardées). */
  async upgrade(ctx: RequestContext, name: string): Promise<ModuleSummary> {
    const entries = await this.deps.catalog.entries();
    const previous = this.deps.runtime.loaded(name);
    let swapped = false;
    try {
      await this.lifecycle(ctx, async (trx) => {
        const release = (await releaseRows(trx)).get(name);
        if (!release) throw refused([{ code: 'not_installed', module: name, message: `${name} is not installed on this platform` }]);
        const latest = versionsOf(entries, name)[0];
        if (!latest || !semver.gt(latest.manifest.version, release.version)) {
          throw new ProblemError(409, 'up_to_date', `${name} ${release.version} is the latest version in the catalog`);
        }
        const reasons = this.upgradeReasons(latest.manifest, await releaseRows(trx));
        if (reasons.length) throw refused(reasons);
        this.deps.runtime.unload(name);
        swapped = true;
        const loaded = await loadOrRefuse(this.deps.runtime, latest, trx);
        const catalog = await this.deps.registry.loadCatalog(trx, [name]);
        await asOwner(trx, async () => {
          await sql`UPDATE module_release SET version = ${latest.manifest.version}, source = ${releaseSource(latest)},
            manifest = ${JSON.stringify(latest.manifest)}::jsonb, updated_at = now() WHERE name = ${name}`.execute(trx);
          await createModuleSchema(trx, catalog, loaded.definition);
          await migrate(trx, loaded);
        });
        await appendAudit(trx, ctx, [{ action: 'module.upgrade', entity: 'module', changes: { name: { from: name, to: name }, version: { from: release.version, to: latest.manifest.version } } }]);
        await this.notify(trx, ctx, true);
      });
    } catch (error) {
      if (swapped) {
        this.deps.runtime.unload(name);
        if (previous) await this.deps.runtime.load(releasedEntry(entries, previous.manifest)).catch(() => undefined);
      }
      throw error;
    }
    this.changed(ctx, true);
    return this.get(ctx, name);
  }

  /** Dépose la licence signée d'un module pour ce tenant (vérifiée à la réception). */
  async setLicence(ctx: RequestContext, name: string, raw: unknown): Promise<{ module: string; expires: string; seats?: number }> {
    const parsed = parseLicence(raw);
    if (typeof parsed === 'string') throw new ProblemError(400, 'invalid_license', parsed);
    const keys = await this.licenceKeys();
    await this.lifecycle(ctx, async (trx) => {
      const problem = licenceProblem(parsed, keys, { module: name, ...(await this.tenantFacts(trx)) });
      if (problem) throw new ProblemError(400, 'invalid_license', problem);
      await sql`INSERT INTO module_licence (tenant_id, name, licence, expires_at, uploaded_by)
        VALUES (app_tenant(), ${name}, ${JSON.stringify(parsed)}::jsonb, ${parsed.licence.expires}::timestamptz, app_user())
        ON CONFLICT (tenant_id, name) DO UPDATE SET licence = excluded.licence, expires_at = excluded.expires_at,
          uploaded_at = now(), uploaded_by = excluded.uploaded_by`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'module.licence', entity: 'module', changes: { name: { from: null, to: name }, expires: { from: null, to: parsed.licence.expires } } }]);
    });
    return { module: name, expires: parsed.licence.expires, seats: parsed.licence.seats };
  }

  /**
   * Licences échues : le module (et ce qui dépend de lui) est désactivé dans le tenant, sans perte de données ; le
   * journal d'audit le dit. Renvoie les modules désactivés.
   */
  async expireLicences(tenantId: string, now = new Date()): Promise<string[]> {
    const ctx = systemContext(tenantId, `licence-expiry-${now.toISOString()}`);
    let expired: string[] = [];
    await this.lifecycle(ctx, async (trx) => {
      const { rows } = await sql<{ name: string }>`SELECT i.name FROM module_install i JOIN module_licence l USING (tenant_id, name)
        WHERE i.state = 'active' AND l.expires_at <= ${now.toISOString()}::timestamptz`.execute(trx);
      if (!rows.length) return;
      const installed = await tenantState(trx);
      const off = new Set<string>();
      const cascade = (name: string) => {
        if (off.has(name)) return;
        off.add(name);
        for (const dependant of dependants(name, installed, true)) cascade(dependant);
      };
      for (const row of rows) cascade(row.name);
      expired = [...off].sort();
      await setState(trx, expired, 'inactive');
      await appendAudit(trx, ctx, expired.map((n) => ({ ...stateAudit(n, 'active', 'inactive'), action: 'module.licence_expired' })));
      await this.notify(trx, ctx, false);
    });
    if (expired.length) this.changed(ctx, false);
    return expired;
  }

  private async lifecycle(ctx: RequestContext, work: (trx: Tx) => Promise<void>): Promise<void> {
    await inTenant(this.deps.db, { tenantId: ctx.tenantId, userId: ctx.userId }, async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MODULE_LOCK})`.execute(trx);
      await work(trx);
    });
    this.deps.afterCommit();
  }

  private notify(trx: Tx, ctx: RequestContext, releasesChanged: boolean): Promise<void> {
    return executeAtCommit(trx, sql`SELECT pg_notify(${MODULES_CHANNEL}, ${releasesChanged ? RELEASES_CHANGED : ctx.tenantId})`);
  }

  /** Ce nœud n'attend pas son propre NOTIFY : les catalogues concernés sont oubliés tout de suite. */
  private changed(ctx: RequestContext, releasesChanged: boolean): void {
    this.deps.registry.invalidate(releasesChanged ? undefined : ctx.tenantId);
  }

  private licenceKeys(): Promise<string[]> {
    return this.deps.settings.platformValue<string[]>('modules.licence.publicKeys');
  }

  private async tenantFacts(trx: Tx): Promise<{ tenantSlug: string; activeUsers: number }> {
    const { rows } = await sql<{ slug: string; users: number }>`SELECT t.slug,
      (SELECT count(*)::int FROM app_user u WHERE u.deleted_at IS NULL AND u.active) AS users
      FROM tenant t WHERE t.id = app_tenant()`.execute(trx);
    return { tenantSlug: rows[0]!.slug, activeUsers: rows[0]!.users };
  }

  /** Modules commerciaux sans licence valable dans ce tenant. */
  private async licenceReasons(trx: Tx, manifests: ModuleManifest[], keys: string[]): Promise<Reason[]> {
    const commercial = manifests.filter((m) => m.license?.type === 'commercial');
    if (!commercial.length) return [];
    const facts = await this.tenantFacts(trx);
    const { rows } = await sql<{ name: string; licence: LicenceFile }>`SELECT name, licence FROM module_licence`.execute(trx);
    const files = new Map(rows.map((r) => [r.name, r.licence]));
    return commercial.flatMap((m): Reason[] => {
      const file = files.get(m.name);
      const problem = file ? licenceProblem(file, keys, { module: m.name, ...facts }) : `${m.name} is a commercial module and this tenant has no licence for it`;
      return problem ? [{ code: 'invalid_license', module: m.name, message: problem }] : [];
    });
  }

  /** La nouvelle version doit convenir au cœur et aux versions des modules dont elle dépend sur la plateforme. */
  private upgradeReasons(manifest: ModuleManifest, releases: Map<string, Release>): Reason[] {
    const reasons: Reason[] = [];
    if (!satisfies(this.deps.core, manifest.core)) {
      reasons.push({ code: 'incompatible_core', module: manifest.name, message: `${manifest.name} ${manifest.version} needs core ${manifest.core}, this is ${this.deps.core}` });
    }
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      const present = releases.get(dependency);
      if (!present || !satisfies(present.version, range)) {
        reasons.push({ code: 'unsatisfied_dependency', module: dependency, message: `${manifest.name} ${manifest.version} needs ${dependency} ${range}${present ? `, ${present.version} is installed` : ''}` });
      }
    }
    for (const [other, release] of releases) {
      const range = release.manifest.dependencies?.[manifest.name];
      if (range && !satisfies(manifest.version, range)) {
        reasons.push({ code: 'unsatisfied_dependency', module: other, message: `${other} needs ${manifest.name} ${range}` });
      }
    }
    return reasons;
  }
}

/** Migrations d'un module dans la transaction ; un échec annule tout et devient un refus explicite. */
async function migrate(trx: Tx, module: LoadedModule): Promise<void> {
  try {
    await applyMigrations(trx, scopeOf(module.manifest.name), module.migrations);
  } catch (error) {
    const reason = `a migration of ${module.manifest.name} ${module.manifest.version} failed: ${(error as Error).message}`;
    throw refused([{ code: 'migration_failed', module: module.manifest.name, message: reason }]);
  }
}

/** Code du module chargé sur ce nœud ; un code qui ne tient pas son manifeste est refusé. */
async function loadOrRefuse(runtime: ModuleRuntime, entry: CatalogEntry, trx: Tx): Promise<LoadedModule> {
  try {
    // l'archive d'un paquet téléversé n'est lisible que du rôle de plateforme
    return await asPlatform(trx, () => runtime.load(entry, trx));
  } catch (error) {
    throw refused([{ code: 'invalid_module', module: entry.manifest.name, message: (error as Error).message }]);
  }
}

/** Un paquet du catalogue distant est gardé, une fois téléchargé, comme un paquet téléversé. */
function releaseSource(entry: CatalogEntry): 'builtin' | 'upload' {
  return entry.source === 'builtin' ? 'builtin' : 'upload';
}

function scopeOf(name: string): string {
  return `module:${name}`;
}

function system(ctx: RequestContext): RequestContext {
  return { ...ctx, system: true };
}

async function tenantState(trx: Tx): Promise<Map<string, InstalledModule>> {
  const { rows } = await sql<{ name: string; state: InstalledModule['state']; manifest: ModuleManifest }>`
    SELECT i.name, i.state, r.manifest FROM module_install i JOIN module_release r USING (name)`.execute(trx);
  return new Map(rows.map((r) => [r.name, { state: r.state, manifest: r.manifest }]));
}

async function releaseRows(trx: Tx): Promise<Map<string, Release>> {
  const { rows } = await sql<Release & { name: string }>`SELECT name, version, source, manifest, tenants FROM module_release`.execute(trx);
  return new Map(rows.map((r) => [r.name, r]));
}

async function setState(trx: Tx, names: string[], state: InstalledModule['state']): Promise<void> {
  if (!names.length) return;
  await sql`UPDATE module_install SET state = ${state}, updated_at = now() WHERE name IN (${sql.join(names)})`.execute(trx);
}

function stateAudit(name: string, from: string, to: string) {
  return { action: `module.${to === 'active' ? 'activate' : 'deactivate'}`, entity: 'module', changes: { name: { from: name, to: name }, state: { from, to } } };
}

/** Entrée du catalogue d'une version choisie (celle déjà en place sur la plateforme, sinon celle du plan). */
function entryOf(entries: CatalogEntry[], release: Release | undefined, manifest: ModuleManifest): CatalogEntry {
  return release ? releasedEntry(entries, release.manifest, release.source) : versionsOf(entries, manifest.name).find((e) => e.manifest.version === manifest.version)!;
}

function releasedEntry(entries: CatalogEntry[], manifest: ModuleManifest, source?: ModuleSource): CatalogEntry {
  const same = versionsOf(entries, manifest.name).filter((e) => !source || e.source === source);
  return same.find((e) => e.manifest.version === manifest.version) ?? same.find((e) => e.source === 'builtin') ?? same[0]!;
}

function summary(name: string, entries: CatalogEntry[], release: Release | undefined, installed: InstalledModule | undefined): ModuleSummary {
  const versions = versionsOf(entries, name);
  const manifest = release?.manifest ?? versions[0]!.manifest;
  return {
    name,
    version: manifest.version,
    label: manifest.label,
    ...(manifest.description ? { description: manifest.description } : {}),
    ...(manifest.author ? { author: manifest.author } : {}),
    state: installed?.state ?? 'available',
    dependencies: manifest.dependencies ?? {},
    license: manifest.license?.type ?? 'free',
    source: release?.source ?? versions[0]!.source,
    latest: versions[0]?.manifest.version ?? manifest.version,
  };
}
