// Provisionnement juste-à-temps des utilisateurs d'un fournisseur externe (OIDC, LDAP, SAML) : création au premier
// passage, rôles tenus à jour par la correspondance groupes → rôles du fournisseur. Les rôles que la correspondance ne
// mentionne pas (attribués à la main) sont gardés.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Platform } from '../../core/platform.js';
import { systemContext } from '../../engine/context.js';
import { ProblemError } from '../../http/problem.js';
import type { ProviderSettings } from '../providers.js';

export interface ExternalIdentity {
  /** identifiant stable chez le fournisseur (sub OIDC, DN LDAP, NameID SAML) */
  subject: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

export async function provisionUser(platform: Platform, tenantId: string, provider: ProviderSettings, identity: ExternalIdentity): Promise<string> {
  const email = identity.email?.trim().toLowerCase();
  if (!email) throw new ProblemError(400, 'email_missing', `The ${provider.kind} provider did not give an email address`);
  const ctx = systemContext(tenantId, `sso-${uuidv7()}`);
  const catalog = await platform.catalog(tenantId);
  const userModel = catalog.get('user')!;
  return platform.tenantTx(ctx, async (trx) => {
    const roleTable = sql.table(catalog.get('role')!.table);
    const mapped = [...new Set(Object.values(provider.roleMapping).flat())];
    const wanted = new Set(identity.groups.flatMap((g) => provider.roleMapping[g] ?? []));
    const { rows: roles } = await sql<{ id: string; name: string }>`SELECT id, name FROM ${roleTable} WHERE name = ANY(${mapped}::text[]) AND deleted_at IS NULL`.execute(trx);
    const managed = new Set(roles.map((r) => r.id));
    const grant = roles.filter((r) => wanted.has(r.name)).map((r) => r.id);
    const { rows } = await sql<{ id: string }>`SELECT id FROM ${sql.table(userModel.table)}
      WHERE lower(email) = ${email} AND deleted_at IS NULL LIMIT 1`.execute(trx);
    const existing = rows[0] ? await platform.records.get(trx, ctx, catalog, userModel, rows[0].id) : undefined;
    if (!existing) {
      const created = await platform.records.create(trx, ctx, catalog, userModel, { email, displayName: identity.name || email.split('@')[0], roles: grant });
      await sql`UPDATE ${sql.table(userModel.table)} SET auth_provider = ${provider.name}, external_id = ${identity.subject}, email_verified_at = now()
        WHERE id = ${created.id as string}`.execute(trx);
      return created.id as string;
    }
    if (!existing.active || existing.locked) throw new ProblemError(401, 'invalid_credentials', 'This account is disabled');
    const current = (existing.roles as string[]) ?? [];
    const next = [...new Set([...current.filter((id) => !managed.has(id)), ...grant])].sort();
    if (next.join() !== [...current].sort().join()) await platform.records.update(trx, ctx, catalog, userModel, existing.id as string, { roles: next });
    return existing.id as string;
  }, { write: true });
}
