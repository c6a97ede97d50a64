import { sql } from 'kysely';
import type { CommandContext } from './index.js';
import { output, withPlatform } from './open.js';

/** Crée ou met à jour le schéma (migrations puis synchronisation des entités), et affiche l'état. */
export async function migrate(ctx: CommandContext): Promise<number> {
  const applied = await withPlatform(ctx, async (platform) => {
    const { rows } = await sql<{ scope: string; version: number; name: string }>`
      SELECT scope, version, name FROM schema_migration ORDER BY scope, version`.execute(platform.db);
    return rows;
  });
  output(ctx, { migrations: applied }, [`database is up to date (${applied.length} migrations applied)`, ...applied.map((m) => `  ${m.scope} ${m.version} ${m.name}`)]);
  return 0;
}
