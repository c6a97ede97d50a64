// `opsflux admin create` : super-administrateur avec mot de passe (tenant `default` par défaut).
import { createUser, DEFAULT_TENANT } from '@opsflux/backend';
import { UsageError, type CommandContext } from './index.js';
import { output, SLUG, withPlatform } from './open.js';

export async function adminCreate(ctx: CommandContext): Promise<number> {
  const { email, password, name } = ctx.options;
  const tenant = ctx.options.tenant ?? DEFAULT_TENANT;
  if (!email || password === undefined) throw new UsageError('admin create needs --email and --password');
  if (!SLUG.test(tenant)) throw new UsageError('--tenant must be a slug of lowercase letters, digits and dashes');
  const created = await withPlatform(ctx, (platform) => createUser(platform, { email, password, tenant, displayName: name, superAdmin: true }), { writes: true })
    .catch((error: unknown) => {
      // unicité de l'adresse dans le tenant
      if ((error as { code?: string }).code === '23505') throw new Error(`a user with email ${email.trim().toLowerCase()} already exists in tenant "${tenant}"`);
      throw error;
    });
  output(ctx, { id: created.id, tenantId: created.tenantId, tenant, email: email.trim().toLowerCase() },
    [`super-administrator ${email.trim().toLowerCase()} created in tenant "${tenant}" (id ${created.id})`]);
  return 0;
}
