// Mise en service d'un tenant par le super-administrateur : le tenant, son rôle « Administrator » et son premier
// administrateur (qui administre ce tenant seulement).
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTenant, type Tenant } from '../tenancy/tenants.js';
import { systemContext } from '../engine/context.js';
import { validateInput } from '../engine/validate.js';
import { ProblemError, validationFailed } from '../errors/problem.js';
import type { UserSetupDeps } from './bootstrap.js';
import { hashPassword, passwordError } from './passwords.js';
import { passwordPolicy } from './security-policy.js';
import type { Locale } from '../text/messages.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface TenantRequest {
  slug?: unknown;
  name?: unknown;
  admin?: { email?: unknown; password?: unknown; displayName?: unknown };
}

export async function provisionTenant(deps: UserSetupDeps, input: TenantRequest, locale: Locale = 'en'): Promise<Tenant & { adminUserId: string }> {
  const slug = typeof input.slug === 'string' ? input.slug : '';
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 200) : slug;
  const email = typeof input.admin?.email === 'string' ? input.admin.email.trim().toLowerCase() : '';
  const password = typeof input.admin?.password === 'string' ? input.admin.password : '';
  const displayName = typeof input.admin?.displayName === 'string' ? input.admin.displayName : email.split('@')[0];
  // tout est contrôlé avant d'écrire : un refus ne laisse pas de tenant vide
  const errors = [];
  if (!SLUG.test(slug)) errors.push({ field: 'slug', code: 'invalid_value', message: 'slug must be lowercase letters, digits and dashes (at most 63)' });
  const weak = passwordError(password, await passwordPolicy(deps.settings, null), locale, 'admin.password');
  if (weak) errors.push(weak);
  const { errors: profile } = validateInput(deps.registry.global().get('user')!, { email, displayName }, 'create', 'en');
  errors.push(...profile.map((e) => ({ ...e, field: `admin.${e.field}` })));
  if (errors.length) throw validationFailed(errors);

  const tenant = await createTenant(deps.db, slug, name);
  if (!tenant) throw new ProblemError(409, 'tenant_exists', `Tenant "${slug}" already exists`);
  const ctx = systemContext(tenant.id, `tenant-${uuidv7()}`);
  const catalog = await deps.catalog(tenant.id);
  const hash = await hashPassword(password);
  const adminUserId = await deps.tenantTx(ctx, async (trx) => {
    const role = await deps.records.create(trx, ctx, catalog, catalog.get('role')!, {
      name: 'Administrator', description: 'Administers this tenant', admin: true,
    });
    const user = await deps.records.create(trx, ctx, catalog, catalog.get('user')!, { email, displayName, roles: [role.id] });
    await sql`UPDATE app_user SET password_hash = ${hash} WHERE id = ${user.id as string}`.execute(trx);
    return user.id as string;
  }, { write: true });
  return { ...tenant, adminUserId };
}
