// `opsflux config get|set|list` : réglages de la plateforme, ou d'un tenant avec --tenant (écrits au nom du système,
// audités). La valeur de `set` est du JSON (`10`, `true`, `"texte"`) ; un texte nu est pris comme chaîne.
import { randomUUID } from 'node:crypto';
import { findTenant, type Platform, type SettingAudience, type SettingWriter } from '@opsflux/backend';
import { UsageError, type CommandContext } from './index.js';
import { output, SLUG, withPlatform } from './open.js';

const SHOWN_SECRET = '(secret)';

async function tenantOf(platform: Platform, ctx: CommandContext): Promise<string | null> {
  const slug = ctx.options.tenant;
  if (slug === undefined) return null;
  if (!SLUG.test(slug)) throw new UsageError('--tenant must be a slug of lowercase letters, digits and dashes');
  const tenant = await findTenant(platform.db, slug);
  if (!tenant) throw new Error(`tenant "${slug}" does not exist`);
  return tenant.id;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function effective(platform: Platform, key: string, tenantId: string | null): Promise<unknown> {
  if (!tenantId) return platform.settings.platformValue(key);
  const audience: SettingAudience = { tenantId };
  return platform.settings.value(key, audience);
}

export async function configList(ctx: CommandContext): Promise<number> {
  const rows = await withPlatform(ctx, async (platform) => {
    const tenantId = await tenantOf(platform, ctx);
    return Promise.all(platform.settings.registry.list().map(async (s) => ({
      key: s.key, scope: s.scope, value: s.secret ? SHOWN_SECRET : await effective(platform, s.key, tenantId),
    })));
  });
  output(ctx, rows, rows.map((r) => `${r.key} = ${JSON.stringify(r.value)}`));
  return 0;
}

export async function configGet(ctx: CommandContext): Promise<number> {
  const [key] = ctx.args as [string];
  const value = await withPlatform(ctx, async (platform) => {
    const setting = platform.settings.registry.get(key);
    if (!setting) throw new Error(`unknown setting "${key}"`);
    return setting.secret ? SHOWN_SECRET : effective(platform, key, await tenantOf(platform, ctx));
  });
  output(ctx, { key, value }, [JSON.stringify(value)]);
  return 0;
}

export async function configSet(ctx: CommandContext): Promise<number> {
  const [key, text] = ctx.args as [string, string];
  const value = parseValue(text);
  await withPlatform(ctx, async (platform) => {
    if (!platform.settings.registry.get(key)) throw new Error(`unknown setting "${key}"`);
    const tenantId = await tenantOf(platform, ctx);
    // l'audit d'un réglage de plateforme est rangé dans le tenant par défaut s'il existe (l'audit est par tenant)
    const auditTenant = tenantId ?? (await findTenant(platform.db, 'default'))?.id;
    if (!auditTenant) throw new Error('platform settings need the "default" tenant (run "opsflux admin create" first)');
    const writer: SettingWriter = { tenantId: auditTenant, userId: null, requestId: `cli-${randomUUID()}`, ip: null, locale: 'en' };
    await platform.settings.set(writer, key, value, { level: tenantId ? 'tenant' : 'platform' });
  }, { writes: true });
  output(ctx, { key, value, tenant: ctx.options.tenant ?? null }, [`${key} = ${JSON.stringify(value)}${ctx.options.tenant ? ` (tenant ${ctx.options.tenant})` : ' (platform)'}`]);
  return 0;
}
