// Premier administrateur et création d'utilisateurs avec mot de passe (CLI, démarrage).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Settings } from '../config/settings.js';
import { DEFAULT_TENANT, ensureTenant, findTenant } from '../tenancy/tenants.js';
import type { Db } from '../db/database.js';
import { systemContext } from '../engine/context.js';
import type { RecordService } from '../engine/crud/service.js';
import type { EntityRegistry } from '../engine/registry.js';
import type { CatalogOf, TenantTx } from '../engine/tenant-work.js';
import { validateInput } from '../engine/validate.js';
import { validationFailed } from '../errors/problem.js';
import { checkPassword, hashPassword } from './passwords.js';
import { passwordPolicy } from './security-policy.js';
import { designateSuperAdmin } from './super-admins.js';

/** Services pour créer des comptes (et un tenant avec son administrateur) : démarrage, CLI, démonstration. */
export interface UserSetupDeps {
  db: Db;
  settings: Settings;
  registry: EntityRegistry;
  records: RecordService;
  catalog: CatalogOf;
  tenantTx: TenantTx;
}

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  tenant?: string;
  superAdmin?: boolean;
}

export async function createUser(deps: UserSetupDeps, input: NewUser): Promise<{ id: string; tenantId: string }> {
  const existing = await findTenant(deps.db, input.tenant ?? DEFAULT_TENANT);
  checkPassword(input.password, await passwordPolicy(deps.settings, existing?.id ?? null));
  const profile = { email: input.email.trim().toLowerCase(), displayName: input.displayName ?? input.email.split('@')[0] };
  // profil contrôlé avant de créer le tenant : un échec ne laisse pas de tenant vide derrière lui
  const { errors } = validateInput(deps.registry.global().get('user')!, profile, 'create', 'en');
  if (errors.length) throw validationFailed(errors);
  const tenant = await ensureTenant(deps.db, input.tenant ?? DEFAULT_TENANT);
  const ctx = systemContext(tenant.id, `cli-${uuidv7()}`);
  const hash = await hashPassword(input.password);
  const catalog = await deps.catalog(tenant.id);
  const model = catalog.get('user')!;
  return deps.tenantTx(ctx, async (trx) => {
    const record = await deps.records.create(trx, ctx, catalog, model, profile);
    await sql`UPDATE app_user SET password_hash = ${hash} WHERE id = ${record.id as string}`.execute(trx);
    if (input.superAdmin) await designateSuperAdmin(trx, tenant.id, record.id as string);
    return { id: record.id as string, tenantId: tenant.id };
  }, { write: true });
}

async function userCount(deps: UserSetupDeps, tenantId: string): Promise<number> {
  const ctx = systemContext(tenantId, 'bootstrap');
  return deps.tenantTx(ctx, async (trx) => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user`.execute(trx);
    return rows[0]!.n;
  });
}

/**
 * Au démarrage : si le tenant par défaut n'a aucun utilisateur, crée le super-administrateur
 * depuis OPSFLUX_ADMIN_EMAIL / OPSFLUX_ADMIN_PASSWORD, sinon un compte de premier démarrage dont les identifiants sont affichés une fois.
 */
export async function ensureFirstAdmin(deps: UserSetupDeps, env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<void> {
  const tenant = await ensureTenant(deps.db, DEFAULT_TENANT, 'Default');
  if ((await userCount(deps, tenant.id)) > 0) return;
  const email = env.OPSFLUX_ADMIN_EMAIL;
  const password = env.OPSFLUX_ADMIN_PASSWORD;
  if (email && password) {
    await createUser(deps, { email, password, displayName: 'Administrator', superAdmin: true });
    print(`OpsFlux: super-administrator ${email} created in tenant "${DEFAULT_TENANT}".`);
    return;
  }
  const generated = randomBytes(12).toString('base64url');
  const adminEmail = email ?? 'admin@opsflux.local';
  await createUser(deps, { email: adminEmail, password: generated, displayName: 'Administrator', superAdmin: true });
  print('OpsFlux first run — super-administrator created (shown once, change the password):');
  print(`  email:    ${adminEmail}`);
  print(`  password: ${generated}`);
}
