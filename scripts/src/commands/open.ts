// Ouverture de la plateforme pour une commande (migrations comprises, sans travail de fond), fermée à la fin.
import { Platform } from '@opsflux/backend/core/platform.ts';
import type { CommandContext } from './index.js';

/** Identifiant de tenant accepté par la table `tenant` (voir la migration du cœur). */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `writes` : la commande écrit des données auditées, chaînées avant la sortie (aucun chaîneur ne tourne ici). */
export async function withPlatform<T>(ctx: CommandContext, work: (platform: Platform) => Promise<T>, options: { writes?: boolean } = {}): Promise<T> {
  const platform = await Platform.open({ url: ctx.databaseUrl, dataDir: ctx.databaseUrl ? undefined : ctx.dataDir, dispatch: false });
  try {
    const result = await work(platform);
    if (options.writes) await platform.chainer.drain();
    return result;
  } finally {
    await platform.close();
  }
}

/** Sortie : un document JSON (--json) ou des lignes de texte. */
export function output(ctx: CommandContext, json: unknown, text: string[]): void {
  if (ctx.json) ctx.print(JSON.stringify(json));
  else for (const line of text) ctx.print(line);
}

/** « 1 row », « 2 rows ». */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
