// `opsflux module list|install|activate|deactivate|uninstall|upgrade` : cycle de vie des modules d'un tenant (le
// tenant « default », créé au besoin, sauf --tenant), au nom du système ; audité comme depuis l'API.
import type { ModuleSummary } from '@opsflux/backend';
import type { CommandContext } from './index.js';
import { output, systemContext, withPlatform } from './open.js';

const line = (m: ModuleSummary) => `${m.name.padEnd(20)} ${m.version.padEnd(10)} ${m.state.padEnd(10)} ${m.license.padEnd(11)} ${m.label.en}`;

export async function moduleList(ctx: CommandContext): Promise<number> {
  const modules = await withPlatform(ctx, async (platform) => platform.modules.list(await systemContext(platform, ctx)));
  output(ctx, { data: modules }, modules.length ? modules.map(line) : ['no module in the catalog']);
  return 0;
}

type Step = 'install' | 'activate' | 'deactivate' | 'uninstall' | 'upgrade';

function step(action: Step) {
  return async (ctx: CommandContext): Promise<number> => {
    const [name] = ctx.args as [string];
    const { before, after } = await withPlatform(ctx, async (platform) => {
      const system = await systemContext(platform, ctx);
      const states = new Map((await platform.modules.list(system)).map((m) => [m.name, m.state]));
      const manager = platform.modules;
      const result = action === 'uninstall' ? await manager.uninstall(system, name, ctx.options['drop-data'] === undefined)
        : action === 'install' ? await manager.install(system, name)
          : await manager[action](system, name);
      return { before: states, after: await platform.modules.list(system).then((all) => ({ result, all })) };
    }, { writes: true });
    // modules dont l'état a changé (les dépendances installées ou activées en même temps comprises)
    const changed = after.all.filter((m) => before.get(m.name) !== m.state || (m.name === name));
    output(ctx, after.result, changed.map((m) => `${m.name} ${m.version}: ${before.get(m.name) ?? 'available'} → ${m.state}`));
    return 0;
  };
}

export const moduleInstall = step('install');
export const moduleActivate = step('activate');
export const moduleDeactivate = step('deactivate');
export const moduleUninstall = step('uninstall');
export const moduleUpgrade = step('upgrade');
