// Ouverture de la plateforme pour une commande (migrations comprises, sans travail de fond), fermée à la fin.
import { randomUUID } from 'node:crypto';
import { DEFAULT_TENANT, ensureTenant, findTenant, Platform, type PlatformOptions, type RequestContext } from '@opsflux/backend';
import { UsageError, type CommandContext } from './index.js';

/** Identifiant de tenant accepté par la table `tenant` (voir la migration du cœur). */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `writes` : la commande écrit des données auditées, chaînées avant la sortie (aucun chaîneur ne tourne ici).
 * `keys` : sources des clés (les commandes `secrets` ouvrent la plateforme même quand des clés sont encore en base).
 */
export async function withPlatform<T>(ctx: CommandContext, work: (platform: Platform) => Promise<T>, options: { writes?: boolean; keys?: PlatformOptions['keys'] } = {}): Promise<T> {
  const platform = await Platform.open({ url: ctx.databaseUrl, dataDir: ctx.databaseUrl ? undefined : ctx.dataDir, dispatch: false, keys: options.keys });
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

/** Contexte système du tenant visé (« default », créé au besoin, sauf --tenant qui doit exister). */
export async function systemContext(platform: Platform, ctx: CommandContext): Promise<RequestContext> {
  const slug = ctx.options.tenant ?? DEFAULT_TENANT;
  if (!SLUG.test(slug)) throw new UsageError('--tenant must be a slug of lowercase letters, digits and dashes');
  const tenant = ctx.options.tenant ? await findTenant(platform.db, slug) : await ensureTenant(platform.db, slug);
  if (!tenant) throw new Error(`tenant "${slug}" does not exist`);
  return { tenantId: tenant.id, userId: null, requestId: `cli-${randomUUID()}`, ip: null, locale: 'en', system: true, superAdmin: true };
}
