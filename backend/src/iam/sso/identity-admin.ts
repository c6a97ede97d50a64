// Gestion des identités externes liées à un compte, depuis une session (jamais par jeton ni clé d'API) : l'utilisateur
// voit et retire les siennes et lie une identité dont il a prouvé la possession chez le fournisseur ; un administrateur
// (`user:admin`) qui a au moins les droits du compte les voit, les lie et les retire. Un super-administrateur ne se
// connecte pas par un fournisseur : aucune identité ne se lie à son compte.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import { assertMayEditCredentials } from '../access/credential-rights.js';
import type { IdentityProviders, ProviderSettings } from '../providers.js';
import { isSuperAdminSql } from '../super-admins.js';
import { linkIdentity, listIdentities, unlinkIdentity, type IdentityLink } from './identity-links.js';

export interface IdentityAdminDeps {
  providers: IdentityProviders;
  records: RecordService;
  catalog: CatalogOf;
  tenantTx: TenantTx;
}

const forbidden = (detail: string) => new ProblemError(403, 'forbidden', detail);

function requireSession(ctx: RequestContext): string {
  if (ctx.tokenId || !ctx.userId) throw new ProblemError(403, 'session_required', 'Linked identities are managed from a signed-in session');
  return ctx.userId;
}

/** Compte vivant du tenant ; indique s'il est super-administrateur. */
async function target(trx: Tx, userId: string): Promise<{ superAdmin: boolean }> {
  const { rows } = await sql<{ super_admin: boolean }>`SELECT ${isSuperAdminSql(sql.ref('app_user.id'))} AS super_admin FROM app_user
    WHERE id = ${userId} AND deleted_at IS NULL`.execute(trx);
  if (!rows[0]) throw notFound('User not found');
  return { superAdmin: rows[0].super_admin };
}

export class IdentityAdmin {
  constructor(private readonly deps: IdentityAdminDeps) {}

  async list(ctx: RequestContext, userId: string): Promise<IdentityLink[]> {
    await this.authorise(ctx, userId);
    return this.deps.tenantTx(ctx, async (trx) => {
      await target(trx, userId);
      return listIdentities(trx, userId);
    });
  }

  /** Liaison par un administrateur, sur sa parole : il nomme le fournisseur et le sujet. */
  async link(ctx: RequestContext, userId: string, body: { provider?: unknown; subject?: unknown; email?: unknown }): Promise<IdentityLink> {
    await this.authorise(ctx, userId);
    const errors = [];
    if (typeof body.provider !== 'string' || !body.provider) errors.push({ field: 'provider', code: 'required', message: 'provider is required' });
    if (typeof body.subject !== 'string' || !body.subject || body.subject.length > 1000) errors.push({ field: 'subject', code: 'required', message: 'subject is required (at most 1000 characters)' });
    if (body.email !== undefined && body.email !== null && typeof body.email !== 'string') errors.push({ field: 'email', code: 'invalid_type', message: 'email is a string' });
    if (errors.length) throw validationFailed(errors);
    const provider = await this.deps.providers.load(ctx.tenantId, body.provider as string);
    if (!provider) throw validationFailed([{ field: 'provider', code: 'invalid_reference', message: message(ctx.locale, 'invalid_reference') }]);
    return this.save(ctx, userId, provider, { subject: body.subject as string, email: (body.email as string | undefined) ?? null }, 'administrator');
  }

  async unlink(ctx: RequestContext, userId: string, linkId: string): Promise<void> {
    await this.authorise(ctx, userId);
    // catalogue lu avant la transaction : sur PGlite, une seule connexion
    const catalog = await this.deps.catalog(ctx.tenantId);
    await this.deps.tenantTx(ctx, async (trx) => {
      await target(trx, userId);
      if (userId !== ctx.userId) await assertMayEditCredentials(trx, ctx, catalog, userId, ['identities']);
      await unlinkIdentity(trx, ctx, userId, linkId);
    }, { write: true });
  }

  async save(ctx: RequestContext, userId: string, provider: ProviderSettings, identity: { subject: string; email: string | null }, method: 'administrator' | 'self'): Promise<IdentityLink> {
    const catalog = await this.deps.catalog(ctx.tenantId);
    return this.deps.tenantTx(ctx, async (trx) => {
      if ((await target(trx, userId)).superAdmin) throw new ProblemError(403, 'sso_super_admin', message(ctx.locale, 'sso_super_admin'));
      if (userId !== ctx.userId) await assertMayEditCredentials(trx, ctx, catalog, userId, ['identities']);
      const id = await linkIdentity(trx, ctx, { userId, provider, subject: identity.subject, email: identity.email?.toLowerCase() ?? null, method });
      return (await listIdentities(trx, userId)).find((l) => l.id === id)!;
    }, { write: true });
  }

  /** Soi-même, ou un administrateur des utilisateurs. */
  private async authorise(ctx: RequestContext, userId: string): Promise<void> {
    if (requireSession(ctx) === userId) return;
    const catalog = await this.deps.catalog(ctx.tenantId);
    if (!this.deps.records.allowed(ctx, catalog, 'user', 'admin')) throw forbidden('Managing the linked identities of another user requires the user:admin permission');
  }
}

/** L'utilisateur connecté lie une identité dont il vient de prouver la possession chez le fournisseur. */
export function linkOwnIdentity(deps: IdentityAdminDeps, ctx: RequestContext, provider: ProviderSettings, identity: { subject: string; email: string | null }): Promise<IdentityLink> {
  return new IdentityAdmin(deps).save(ctx, requireSession(ctx), provider, identity, 'self');
}
