// `opsflux module pack DIR` et `opsflux module new NAME` : travail sur des dossiers de modules, sans base de données.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildPackage } from '../modules/package.js';
import { MODULE_NAME, scaffold } from '../modules/scaffold.js';
import { UsageError, type CommandContext } from './index.js';
import { output } from './open.js';

export async function modulePack(ctx: CommandContext): Promise<number> {
  const [dir] = ctx.args as [string];
  const built = await buildPackage(resolve(dir));
  const out = resolve(ctx.options.out ?? built.fileName);
  writeFileSync(out, built.archive);
  output(ctx, { file: out, name: built.manifest.name, version: built.manifest.version, bytes: built.archive.length },
    [`${out} (${built.manifest.name} ${built.manifest.version}, ${built.archive.length} bytes)`]);
  return 0;
}

export async function moduleNew(ctx: CommandContext): Promise<number> {
  const [name] = ctx.args as [string];
  if (!MODULE_NAME.test(name)) throw new UsageError('a module NAME is 2 to 40 lowercase letters, digits or underscores, starting with a letter');
  const root = scaffold(resolve(ctx.options.dir ?? 'modules'), name);
  output(ctx, { name, dir: root }, [`module ${name} created in ${root}`, `next: (cd ${root} && npx vitest run), then npx opsflux module pack ${root}`]);
  return 0;
}
