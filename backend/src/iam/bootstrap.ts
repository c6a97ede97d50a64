// Premier administrateur et création d'utilisateurs avec mot de passe (CLI, démarrage).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Platform } from '../core/platform.js';
import { DEFAULT_TENANT, ensureTenant, findTenant } from '../core/tenants.js';
import { systemContext } from '../engine/context.js';
import { validateInput } from '../engine/validate.js';
import { validationFailed } from '../errors/problem.js';
import { checkPassword, hashPassword } from './passwords.js';
import { passwordPolicy } from './security-policy.js';
import { designateSuperAdmin } from './super-admins.js';

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  tenant?: string;
  superAdmin?: boolean;
}

export async function createUser(platform: Platform, input: NewUser): Promise<{ id: string; tenantId: string }> {
  const existing = await findTenant(platform.db, input.tenant ?? DEFAULT_TENANT);
  checkPassword(input.password, await passwordPolicy(platform.settings, existing?.id ?? null));
  const profile = { email: input.email.trim().toLowerCase(), displayName: input.displayName ?? input.email.split('@')[0] };
  // profil contrôlé avant de créer le tenant : un échec ne laisse pas de tenant vide derrière lui
  const { errors } = validateInput(platform.registry.global().get('user')!, profile, 'create', 'en');
  if (errors.length) throw validationFailed(errors);
  const tenant = await ensureTenant(platform.db, input.tenant ?? DEFAULT_TENANT);
  const ctx = systemContext(tenant.id, `cli-${uuidv7()}`);
  const hash = await hashPassword(input.password);
  const catalog = await platform.catalog(tenant.id);
  const model = catalog.get('user')!;
  return platform.tenantTx(ctx, async (trx) => {
    const record = await platform.records.create(trx, ctx, catalog, model, profile);
    await sql`UPDATE app_user SET password_hash = ${hash} WHERE id = ${record.id as string}`.execute(trx);
    if (input.superAdmin) await designateSuperAdmin(trx, tenant.id, record.id as string);
    return { id: record.id as string, tenantId: tenant.id };
  }, { write: true });
}

async function userCount(platform: Platform, tenantId: string): Promise<number> {
  const ctx = systemContext(tenantId, 'bootstrap');
  return platform.tenantTx(ctx, async (trx) => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user`.execute(trx);
    return rows[0]!.n;
  });
}

/**
 * Au démarrage : si le tenant par défaut n'a aucun utilisateur, crée le super-administrateur
 * depuis OPSFLUX_ADMIN_EMAIL / OPSFLUX_ADMIN_PASSWORD, sinon un compte de premier démarrage dont les identifiants sont affichés une fois.
 */
export async function ensureFirstAdmin(platform: Platform, env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<void> {
  const tenant = await ensureTenant(platform.db, DEFAULT_TENANT, 'Default');
  if ((await userCount(platform, tenant.id)) > 0) return;
  const email = env.OPSFLUX_ADMIN_EMAIL;
  const password = env.OPSFLUX_ADMIN_PASSWORD;
  if (email && password) {
    await createUser(platform, { email, password, displayName: 'Administrator', superAdmin: true });
    print(`OpsFlux: super-administrator ${email} created in tenant "${DEFAULT_TENANT}".`);
    return;
  }
  const generated = randomBytes(12).toString('base64url');
  const adminEmail = email ?? 'admin@opsflux.local';
  await createUser(platform, { email: adminEmail, password: generated, displayName: 'Administrator', superAdmin: true });
  print('OpsFlux first run — super-administrator created (shown once, change the password):');
  print(`  email:    ${adminEmail}`);
  print(`  password: ${generated}`);
}
