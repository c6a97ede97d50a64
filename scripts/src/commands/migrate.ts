// `opsflux migrate` : l'ouverture de la plateforme applique les migrations et synchronise le schéma ; on affiche l'état.
import { ownerWork } from '@opsflux/backend';
import { sql } from 'kysely';
import type { CommandContext } from './index.js';
import { count, output, withPlatform } from './open.js';

export async function migrate(ctx: CommandContext): Promise<number> {
  const started = Date.now();
  const migrations = await withPlatform(ctx, async (platform) => {
    // table des migrations : au propriétaire seul
    const { rows } = await ownerWork(() => sql<{ scope: string; version: number; name: string; applied_at: Date }>`
      SELECT scope, version, name, applied_at FROM schema_migration ORDER BY scope, version`.execute(platform.db));
    return rows.map((r) => ({ scope: r.scope, version: r.version, name: r.name, appliedAt: new Date(r.applied_at).toISOString() }));
  });
  const target = ctx.databaseUrl ? 'PostgreSQL server' : `embedded database in ${ctx.dataDir}`;
  output(ctx, { database: ctx.databaseUrl ? 'server' : 'embedded', migrations },
    [`${target} is up to date (${count(migrations.length, 'migration')} applied, ${Date.now() - started} ms)`,
      ...migrations.map((m) => `  ${m.scope} ${m.version} ${m.name}  applied ${m.appliedAt}`)]);
  return 0;
}
