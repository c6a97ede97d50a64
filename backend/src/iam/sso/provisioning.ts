// Comptes des utilisateurs d'un fournisseur externe (OIDC, LDAP, SAML). Le compte est celui que l'identité
// (fournisseur, sujet) désigne dans `user_identity`, jamais celui qu'une adresse désigne : une identité inconnue crée
// son compte (juste-à-temps) et s'y lie ; si son adresse est déjà celle d'un compte, elle ne s'y lie que si le
// fournisseur atteste l'adresse vérifiée, que l'option du fournisseur `linkByVerifiedEmail` le demande et que le
// réglage de plateforme le permet — jamais à un super-administrateur ; sinon la connexion est refusée (un
// administrateur lie l'identité). Les rôles suivent la correspondance groupes → rôles du fournisseur ; ceux que la
// correspondance ne mentionne pas (attribués à la main) sont gardés.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Settings } from '../../config/settings.js';
import type { Tx } from '../../db/transaction.js';
import { systemContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog } from '../../engine/registry.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { ProblemError } from '../../errors/problem.js';
import { message, type Locale } from '../../text/messages.js';
import type { ProviderSettings } from '../providers.js';
import { isSuperAdminSql } from '../super-admins.js';
import { linkedUser, linkIdentity, touchLink } from './identity-links.js';
import { LINK_BY_VERIFIED_EMAIL_SETTING, linksByVerifiedEmail } from './provider-trust.js';

export interface ProvisioningDeps {
  settings: Settings;
  records: RecordService;
  catalog: CatalogOf;
  tenantTx: TenantTx;
}

export interface ExternalIdentity {
  /** identifiant stable chez le fournisseur (sub OIDC, DN LDAP, NameID SAML) */
  subject: string;
  email: string | null;
  /** le fournisseur atteste que l'adresse est vérifiée (voir `emailVerifiedBy`) */
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

export interface ProvisionOptions {
  /** `sync` : synchronisation d'annuaire, pas une connexion */
  purpose?: 'login' | 'sync';
  locale?: Locale;
}

/** Compte de l'identité externe (créé s'il le faut), rôles mis à jour ; renvoie son id. */
export async function provisionUser(
  deps: ProvisioningDeps, tenantId: string, provider: ProviderSettings, identity: ExternalIdentity, options: ProvisionOptions = {},
): Promise<string> {
  const locale = options.locale ?? 'en';
  // réglage lu avant la transaction : sur PGlite, une seule connexion (une lecture imbriquée l'attendrait)
  const emailLinkAllowed = linksByVerifiedEmail(provider) && identity.emailVerified && (await deps.settings.platformValue<boolean>(LINK_BY_VERIFIED_EMAIL_SETTING));
  const ctx = systemContext(tenantId, `sso-${uuidv7()}`);
  const catalog = await deps.catalog(tenantId);
  const userModel = catalog.get('user')!;
  return deps.tenantTx(ctx, async (trx) => {
    const roles = await mappedRoles(trx, catalog, provider, identity.groups);
    let userId = await linkedUser(trx, provider.id, identity.subject);
    if (!userId) {
      const email = identity.email?.trim().toLowerCase();
      if (!email) throw new ProblemError(400, 'email_missing', `The ${provider.kind} provider did not give an email address`);
      const { rows } = await sql<{ id: string; super_admin: boolean }>`SELECT id, ${isSuperAdminSql(sql.ref('app_user.id'))} AS super_admin FROM app_user
        WHERE lower(email) = ${email} AND deleted_at IS NULL LIMIT 1`.execute(trx);
      const link = { provider, subject: identity.subject, email };
      if (!rows[0]) {
        const created = await deps.records.create(trx, ctx, catalog, userModel, { email, displayName: identity.name || email.split('@')[0], roles: roles.grant });
        await sql`UPDATE app_user SET auth_provider = ${provider.name}, external_id = ${identity.subject},
          email_verified_at = ${identity.emailVerified ? sql`now()` : sql`NULL`} WHERE id = ${created.id as string}`.execute(trx);
        await linkIdentity(trx, ctx, { ...link, userId: created.id as string, method: 'provisioned' });
        if (options.purpose !== 'sync') await touchLink(trx, provider.id, identity.subject);
        return created.id as string;
      }
      if (!emailLinkAllowed || rows[0].super_admin) {
        const text = message(locale, 'identity_not_linked', { email, provider: provider.label });
        throw new ProblemError(409, 'identity_not_linked', text, [{ field: 'email', code: 'identity_not_linked', message: text }]);
      }
      userId = rows[0].id;
      await linkIdentity(trx, ctx, { ...link, userId, method: 'verified_email' });
    }
    const existing = await deps.records.get(trx, ctx, catalog, userModel, userId);
    if (!existing.active || existing.locked) throw new ProblemError(401, 'invalid_credentials', 'This account is disabled');
    const current = (existing.roles as string[]) ?? [];
    const next = [...new Set([...current.filter((id) => !roles.managed.has(id)), ...roles.grant])].sort();
    if (next.join() !== [...current].sort().join()) await deps.records.update(trx, ctx, catalog, userModel, userId, { roles: next });
    if (options.purpose !== 'sync') await touchLink(trx, provider.id, identity.subject);
    return userId;
  }, { write: true });
}

/** Rôles que la correspondance du fournisseur gère (`managed`) et ceux que les groupes de l'identité donnent (`grant`). */
async function mappedRoles(trx: Tx, catalog: Catalog, provider: ProviderSettings, groups: string[]): Promise<{ managed: Set<string>; grant: string[] }> {
  const roleTable = sql.table(catalog.get('role')!.table);
  const mapped = [...new Set(Object.values(provider.roleMapping).flat())];
  const wanted = new Set(groups.flatMap((g) => provider.roleMapping[g] ?? []));
  const { rows } = await sql<{ id: string; name: string }>`SELECT id, name FROM ${roleTable} WHERE name = ANY(${mapped}::text[]) AND deleted_at IS NULL`.execute(trx);
  return { managed: new Set(rows.map((r) => r.id)), grant: rows.filter((r) => wanted.has(r.name)).map((r) => r.id) };
}
