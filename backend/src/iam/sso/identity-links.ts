// Identités externes liées aux comptes (`user_identity`) : une identité (fournisseur, sujet) mène à un seul compte, un
// compte a au plus une identité par fournisseur. Chaque liaison et chaque retrait sont audités sur l'utilisateur.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { appendAudit } from '../../audit/writer.js';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import { message } from '../../text/messages.js';

/** Origine d'une liaison : création juste-à-temps, adresse vérifiée, administrateur, l'utilisateur lui-même. */
export type LinkMethod = 'provisioned' | 'verified_email' | 'administrator' | 'self';

export interface IdentityLink {
  id: string;
  provider: string;
  providerLabel: string;
  kind: string;
  subject: string;
  email: string | null;
  method: LinkMethod;
  createdAt: Date;
  createdBy: string | null;
  lastLoginAt: Date | null;
}

export interface NewLink {
  userId: string;
  provider: { id: string; name: string };
  subject: string;
  email: string | null;
  method: LinkMethod;
}

/** Compte (vivant) lié à l'identité ; undefined si elle n'est liée à personne. */
export async function linkedUser(trx: Tx, providerId: string, subject: string): Promise<string | undefined> {
  const { rows } = await sql<{ user_id: string }>`SELECT i.user_id FROM user_identity i JOIN app_user u ON u.id = i.user_id AND u.deleted_at IS NULL
    WHERE i.provider_id = ${providerId} AND i.subject = ${subject}`.execute(trx);
  return rows[0]?.user_id;
}

/** Lie l'identité au compte (409 si elle l'est à un autre, ou si le compte en a déjà une chez ce fournisseur). */
export async function linkIdentity(trx: Tx, ctx: RequestContext, link: NewLink): Promise<string> {
  // une identité liée à un compte supprimé se libère
  await sql`DELETE FROM user_identity i WHERE i.provider_id = ${link.provider.id} AND (i.subject = ${link.subject} OR i.user_id = ${link.userId})
    AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = i.user_id AND u.deleted_at IS NULL)`.execute(trx);
  const { rows } = await sql<{ user_id: string; subject: string }>`SELECT user_id, subject FROM user_identity
    WHERE provider_id = ${link.provider.id} AND (subject = ${link.subject} OR user_id = ${link.userId})`.execute(trx);
  const taken = rows.find((r) => r.subject === link.subject);
  if (taken && taken.user_id !== link.userId) throw conflict(ctx, 'identity_taken');
  if (rows.length) throw conflict(ctx, 'identity_already_linked');
  const id = uuidv7();
  await sql`INSERT INTO user_identity (id, tenant_id, user_id, provider_id, subject, email, method, created_by)
    VALUES (${id}, app_tenant(), ${link.userId}, ${link.provider.id}, ${link.subject}, ${link.email}, ${link.method}, ${ctx.userId})`.execute(trx);
  await appendAudit(trx, ctx, [{
    action: 'auth.identity_linked', entity: 'user', recordId: link.userId,
    changes: { provider: link.provider.name, subject: link.subject, email: link.email, method: link.method },
  }]);
  return id;
}

/** Retire une liaison du compte (404 si elle n'est pas à lui). */
export async function unlinkIdentity(trx: Tx, ctx: RequestContext, userId: string, linkId: string): Promise<void> {
  const { rows } = await sql<{ subject: string; provider: string | null }>`DELETE FROM user_identity i WHERE i.id = ${linkId} AND i.user_id = ${userId}
    RETURNING i.subject, (SELECT p.name FROM auth_provider p WHERE p.id = i.provider_id) AS provider`.execute(trx);
  if (!rows[0]) throw notFound('No such linked identity');
  await appendAudit(trx, ctx, [{ action: 'auth.identity_unlinked', entity: 'user', recordId: userId, changes: { provider: rows[0].provider, subject: rows[0].subject } }]);
}

/** Connexion par cette identité : date gardée sur la liaison. */
export async function touchLink(trx: Tx, providerId: string, subject: string): Promise<void> {
  await sql`UPDATE user_identity SET last_login_at = now() WHERE provider_id = ${providerId} AND subject = ${subject}`.execute(trx);
}

export async function listIdentities(trx: Tx, userId: string): Promise<IdentityLink[]> {
  const { rows } = await sql<IdentityLink>`SELECT i.id, p.name AS provider, p.label AS "providerLabel", p.kind, i.subject, i.email, i.method,
      i.created_at AS "createdAt", i.created_by AS "createdBy", i.last_login_at AS "lastLoginAt"
    FROM user_identity i JOIN auth_provider p ON p.id = i.provider_id AND p.deleted_at IS NULL
    WHERE i.user_id = ${userId} ORDER BY p.name`.execute(trx);
  return rows;
}

function conflict(ctx: RequestContext, code: 'identity_taken' | 'identity_already_linked'): ProblemError {
  const text = message(ctx.locale, code);
  return new ProblemError(409, code, text, [{ field: 'subject', code, message: text }]);
}
