// Résolution des dépendances : ordre topologique transitif, plages semver, cycles, conflits, cœur incompatible.
import type { ModuleManifest } from '@opsflux/sdk';
import { describe, expect, it } from 'vitest';
import { conflicts, dependants, installedDependencies, planInstall, type InstalledModule } from '../../../src/modules/solver.js';

const m = (name: string, version: string, extra: Partial<ModuleManifest> = {}): ModuleManifest => ({ name, version, label: { en: name }, core: '>=0.1.0', ...extra });

function catalog(...manifests: ModuleManifest[]) {
  return (name: string) => manifests.filter((x) => x.name === name).sort((a, b) => (a.version < b.version ? 1 : -1));
}

const none = new Map<string, InstalledModule>();

describe('dependency solver', () => {
  it('orders a diamond of dependencies, dependencies first, each once', () => {
    const available = catalog(
      m('sales', '1.0.0', { dependencies: { crm: '^1.0.0', inventory: '^2.0.0' } }),
      m('crm', '1.2.0', { dependencies: { base: '>=1.0.0' } }),
      m('inventory', '2.1.0', { dependencies: { base: '^1.0.0' } }),
      m('base', '1.0.0'),
    );
    const plan = planInstall('sales', available, none, '0.1.0');
    expect(plan.reasons).toEqual([]);
    expect(plan.order.map((x) => x.name)).toEqual(['base', 'crm', 'inventory', 'sales']);
  });

  it('picks the newest version that satisfies the range and reports an unsatisfiable one', () => {
    const available = catalog(m('app', '1.0.0', { dependencies: { lib: '~1.1.0' } }), m('lib', '1.1.4'), m('lib', '1.1.9'), m('lib', '1.2.0'));
    expect(planInstall('app', available, none, '0.1.0').order.map((x) => `${x.name}@${x.version}`)).toEqual(['lib@1.1.9', 'app@1.0.0']);
    const strict = catalog(m('app', '1.0.0', { dependencies: { lib: '^3.0.0' } }), m('lib', '1.2.0'));
    expect(planInstall('app', strict, none, '0.1.0').reasons).toEqual([
      { code: 'unsatisfied_dependency', module: 'lib', message: 'app needs lib ^3.0.0; available: 1.2.0' },
    ]);
  });

  it('checks installed versions against the ranges of the new modules', () => {
    const installed = new Map<string, InstalledModule>([['lib', { state: 'active', manifest: m('lib', '1.0.0') }]]);
    const plan = planInstall('app', catalog(m('app', '1.0.0', { dependencies: { lib: '>=2.0.0' } }), m('lib', '2.0.0')), installed, '0.1.0');
    expect(plan.reasons[0]).toMatchObject({ code: 'unsatisfied_dependency', module: 'lib' });
    expect(plan.reasons[0]!.message).toContain('1.0.0 is installed');
  });

  it('reports cycles with their path, missing modules, incompatible cores and conflicts', () => {
    const cyclic = catalog(m('a', '1.0.0', { dependencies: { b: '*' } }), m('b', '1.0.0', { dependencies: { c: '*' } }), m('c', '1.0.0', { dependencies: { a: '*' } }));
    expect(planInstall('a', cyclic, none, '0.1.0').reasons).toEqual([{ code: 'dependency_cycle', module: 'a', message: 'dependency cycle: a → b → c → a' }]);
    expect(planInstall('a', catalog(m('a', '1.0.0', { dependencies: { ghost: '^1.0.0' } })), none, '0.1.0').reasons[0])
      .toMatchObject({ code: 'missing_dependency', module: 'ghost' });
    expect(planInstall('x', catalog(), none, '0.1.0').reasons[0]).toMatchObject({ code: 'not_available', module: 'x' });
    expect(planInstall('new', catalog(m('new', '1.0.0', { core: '>=2.0.0' })), none, '0.1.0').reasons[0]).toMatchObject({ code: 'incompatible_core' });
    const installed = new Map<string, InstalledModule>([['old', { state: 'inactive', manifest: m('old', '1.5.0') }]]);
    const plan = planInstall('new', catalog(m('new', '1.0.0', { conflicts: { old: '<2.0.0' } })), installed, '0.1.0');
    expect(plan.reasons).toEqual([{ code: 'conflict', module: 'new', message: 'new conflicts with old <2.0.0 (1.5.0)' }]);
    expect(conflicts([m('new', '1.0.0', { conflicts: { old: '<1.0.0' } }), m('old', '1.5.0')])).toEqual([]);
    expect(planInstall('old', catalog(), installed, '0.1.0').reasons[0]!.code).toBe('already_installed');
  });

  it('finds dependants and the installed dependencies to activate first', () => {
    const installed = new Map<string, InstalledModule>([
      ['base', { state: 'inactive', manifest: m('base', '1.0.0') }],
      ['crm', { state: 'inactive', manifest: m('crm', '1.0.0', { dependencies: { base: '*' } }) }],
      ['sales', { state: 'active', manifest: m('sales', '1.0.0', { dependencies: { crm: '*', base: '*' } }) }],
      ['report', { state: 'inactive', manifest: m('report', '1.0.0', { dependencies: { crm: '*' } }) }],
    ]);
    expect(dependants('crm', installed, false)).toEqual(['report', 'sales']);
    expect(dependants('crm', installed, true)).toEqual(['sales']);
    expect(installedDependencies('sales', installed)).toEqual({ order: ['base', 'crm', 'sales'], missing: [] });
    installed.delete('base');
    expect(installedDependencies('sales', installed).missing[0]).toMatchObject({ code: 'missing_dependency', module: 'base' });
  });
});
