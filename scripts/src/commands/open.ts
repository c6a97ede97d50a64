// Ouverture de la plateforme pour une commande (sans répartiteur d'événements), fermée à la fin.
import { Platform } from '@opsflux/backend/core/platform.ts';
import type { CommandContext } from './index.js';

export async function withPlatform<T>(ctx: CommandContext, work: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await Platform.open({ url: ctx.databaseUrl, dataDir: ctx.databaseUrl ? undefined : ctx.dataDir, dispatch: false });
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}

export function output(ctx: CommandContext, json: unknown, text: string[]): void {
  if (ctx.json) ctx.print(JSON.stringify(json));
  else for (const line of text) ctx.print(line);
}
