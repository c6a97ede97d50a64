// Résolution des dépendances entre modules : plages semver transitives, ordre topologique, cycles, conflits,
// compatibilité avec le cœur. Fonctions pures : le gestionnaire leur donne le catalogue et l'état du tenant.
import type { ModuleManifest } from '@opsflux/sdk';
import semver from 'semver';

export type ReasonCode =
  | 'missing_dependency' | 'unsatisfied_dependency' | 'dependency_cycle' | 'incompatible_core' | 'conflict'
  | 'active_dependants' | 'installed_dependants' | 'not_installed' | 'already_installed' | 'invalid_license' | 'not_available'
  | 'migration_failed' | 'invalid_module';

export interface Reason {
  code: ReasonCode;
  /** module concerné */
  module: string;
  message: string;
}

export interface InstalledModule {
  manifest: ModuleManifest;
  state: 'installed' | 'active' | 'inactive';
}

const RANGE_OPTIONS = { includePrerelease: true };

export const satisfies = (version: string, range: string) => semver.satisfies(version, range, RANGE_OPTIONS);

/** Versions candidates d'un module (la plus récente d'abord). */
export type Candidates = (name: string) => ModuleManifest[];

export interface Plan {
  /** modules à installer, dépendances d'abord */
  order: ModuleManifest[];
  reasons: Reason[];
}

/** Modules à installer pour `target` (lui compris), dans l'ordre ; raisons du refus sinon. */
export function planInstall(target: string, candidates: Candidates, installed: Map<string, InstalledModule>, core: string): Plan {
  const order: ModuleManifest[] = [];
  const reasons: Reason[] = [];
  const chosen = new Map<string, ModuleManifest>();

  const resolve = (name: string, range: string, path: string[]): void => {
    if (path.includes(name)) {
      reasons.push({ code: 'dependency_cycle', module: name, message: `dependency cycle: ${[...path, name].join(' → ')}` });
      return;
    }
    const present = installed.get(name)?.manifest ?? chosen.get(name);
    if (present) {
      if (!satisfies(present.version, range)) {
        reasons.push({ code: 'unsatisfied_dependency', module: name, message: `${path.at(-1)} needs ${name} ${range}, ${present.version} is ${installed.has(name) ? 'installed' : 'required elsewhere'}` });
      }
      return;
    }
    const versions = candidates(name);
    const manifest = versions.find((m) => satisfies(m.version, range));
    if (!manifest) {
      const by = path.length ? `${path.at(-1)} needs ` : '';
      reasons.push(versions.length
        ? { code: 'unsatisfied_dependency', module: name, message: `${by}${name} ${range}; available: ${versions.map((m) => m.version).join(', ')}` }
        : { code: path.length ? 'missing_dependency' : 'not_available', module: name, message: `${by}${name}, which is not in the catalog` });
      return;
    }
    if (!satisfies(core, manifest.core)) {
      reasons.push({ code: 'incompatible_core', module: name, message: `${name} ${manifest.version} needs core ${manifest.core}, this is ${core}` });
    }
    chosen.set(name, manifest);
    for (const [dependency, dependencyRange] of Object.entries(manifest.dependencies ?? {})) {
      resolve(dependency, dependencyRange, [...path, name]);
    }
    order.push(manifest);
  };

  if (installed.has(target)) {
    return { order, reasons: [{ code: 'already_installed', module: target, message: `${target} is already installed` }] };
  }
  resolve(target, '*', []);
  reasons.push(...conflicts([...[...installed.values()].map((i) => i.manifest), ...order]));
  return { order, reasons };
}

/** Conflits déclarés entre des modules appelés à coexister. */
export function conflicts(manifests: ModuleManifest[]): Reason[] {
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const reasons: Reason[] = [];
  for (const manifest of manifests) {
    for (const [other, range] of Object.entries(manifest.conflicts ?? {})) {
      const present = byName.get(other);
      if (present && satisfies(present.version, range)) {
        reasons.push({ code: 'conflict', module: manifest.name, message: `${manifest.name} conflicts with ${other} ${range} (${present.version})` });
      }
    }
  }
  return reasons;
}

/** Modules installés qui dépendent directement de `name` (seulement les actifs avec `activeOnly`). */
export function dependants(name: string, installed: Map<string, InstalledModule>, activeOnly: boolean): string[] {
  return [...installed.entries()]
    .filter(([, m]) => m.manifest.dependencies?.[name] !== undefined && (!activeOnly || m.state === 'active'))
    .map(([n]) => n)
    .sort();
}

/** Dépendances (transitives) de `name` parmi les modules installés, dans l'ordre d'activation. */
export function installedDependencies(name: string, installed: Map<string, InstalledModule>): { order: string[]; missing: Reason[] } {
  const order: string[] = [];
  const missing: Reason[] = [];
  const visit = (current: string, path: string[]) => {
    if (order.includes(current) || path.includes(current)) return;
    const module = installed.get(current);
    if (!module) {
      missing.push({ code: 'missing_dependency', module: current, message: `${path.at(-1)} needs ${current}, which is not installed` });
      return;
    }
    for (const dependency of Object.keys(module.manifest.dependencies ?? {})) visit(dependency, [...path, current]);
    order.push(current);
  };
  visit(name, []);
  return { order, missing };
}

/**
 * Dépendances déjà installées mais inactives des modules d'un plan d'installation (transitivement, dans l'ordre
 * d'activation) : un module installé actif les réactive, comme son activation le ferait.
 */
export function dormantDependencies(plan: ModuleManifest[], installed: Map<string, InstalledModule>): string[] {
  const dormant: string[] = [];
  for (const manifest of plan) {
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (!installed.has(dependency)) continue;
      for (const name of installedDependencies(dependency, installed).order) {
        if (installed.get(name)?.state !== 'active' && !dormant.includes(name)) dormant.push(name);
      }
    }
  }
  return dormant;
}
