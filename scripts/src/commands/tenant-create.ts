// `opsflux tenant create NAME` : nouveau tenant ; refuse un identifiant invalide ou déjà pris.
import { createTenant } from '@opsflux/backend';
import { UsageError, type CommandContext } from './index.js';
import { output, SLUG, withPlatform } from './open.js';

export async function tenantCreate(ctx: CommandContext): Promise<number> {
  const [slug] = ctx.args;
  if (!slug || !SLUG.test(slug)) throw new UsageError('tenant create needs a NAME of lowercase letters, digits and dashes (at most 63)');
  const tenant = await withPlatform(ctx, async (platform) => {
    // y compris un tenant désactivé : le slug reste pris
    const created = await createTenant(platform.db, slug, ctx.options.name ?? slug);
    if (!created) throw new Error(`tenant "${slug}" already exists`);
    return created;
  });
  output(ctx, tenant, [`tenant ${tenant.slug} created (id ${tenant.id})`]);
  return 0;
}
