import { ensureTenant, findTenant } from '@opsflux/backend/core/tenants.ts';
import { UsageError, type CommandContext } from './index.js';
import { output, withPlatform } from './open.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Crée un tenant ; refuse un identifiant invalide ou déjà pris. */
export async function tenantCreate(ctx: CommandContext): Promise<number> {
  const [slug] = ctx.args;
  if (!slug || !SLUG.test(slug)) throw new UsageError('tenant create needs a NAME of lowercase letters, digits and dashes');
  const tenant = await withPlatform(ctx, async (platform) => {
    if (await findTenant(platform.db, slug)) throw new Error(`tenant "${slug}" already exists`);
    return ensureTenant(platform.db, slug, typeof ctx.options.name === 'string' ? ctx.options.name : slug);
  });
  output(ctx, tenant, [`tenant ${tenant.slug} created (id ${tenant.id})`]);
  return 0;
}
