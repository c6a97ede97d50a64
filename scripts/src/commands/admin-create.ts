import { createUser } from '@opsflux/backend/iam/bootstrap.ts';
import { UsageError, type CommandContext } from './index.js';
import { output, withPlatform } from './open.js';

/** Crée un super-administrateur (tenant `default` par défaut). */
export async function adminCreate(ctx: CommandContext): Promise<number> {
  const { email, password, tenant, name } = ctx.options;
  if (typeof email !== 'string' || typeof password !== 'string') throw new UsageError('admin create needs --email and --password');
  const created = await withPlatform(ctx, (platform) =>
    createUser(platform, { email, password, tenant: tenant as string | undefined, displayName: name as string | undefined, superAdmin: true }));
  output(ctx, created, [`administrator ${email} created (id ${created.id})`]);
  return 0;
}
