// Parcours par courriel : mot de passe oublié (réponse identique que le compte existe ou non) et vérification de
// l'adresse. Jeton `<tenant>.<id>.<secret>` à usage unique, haché en base, valable une heure (24 h pour la vérification).
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { appendAudit } from '../audit/writer.js';
import { findTenant, DEFAULT_TENANT } from '../tenancy/tenants.js';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import { type RequestContext, systemContext } from '../engine/context.js';
import { ProblemError } from '../errors/problem.js';
import type { Mailer } from '../services/email/transport/mailer.js';
import { checkPassword, hashPassword } from './passwords.js';
import { passwordPolicy, ticketMinutes } from './security-policy.js';
import type { Settings } from '../config/settings.js';
import type { Locale } from '../text/messages.js';
import { formatRefresh, hashSecret, newRefreshSecret, parseRefresh, sameHash } from './tokens.js';

type Purpose = 'password_reset' | 'email_verification';

/** Durée lisible d'un lien : en heures quand elle tombe juste, sinon en minutes. */
function validity(minutes: number, locale: 'fr' | 'en'): string {
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return locale === 'fr' ? `${hours} heure${hours > 1 ? 's' : ''}` : `${hours} hour${hours > 1 ? 's' : ''}`;
  }
  return `${minutes} minutes`;
}

const TEXTS = {
  password_reset: {
    fr: { subject: 'Réinitialisation de votre mot de passe OpsFlux', body: (link: string, valid: string) => `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable ${valid}) :\n${link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.` },
    en: { subject: 'Reset your OpsFlux password', body: (link: string, valid: string) => `Hello,\n\nTo choose a new password, open this link (valid for ${valid}):\n${link}\n\nIf you did not ask for this, ignore this message.` },
  },
  email_verification: {
    fr: { subject: 'Vérifiez votre adresse e-mail OpsFlux', body: (link: string, valid: string) => `Bonjour,\n\nPour confirmer votre adresse, ouvrez ce lien (valable ${valid}) :\n${link}` },
    en: { subject: 'Verify your OpsFlux email address', body: (link: string, valid: string) => `Hello,\n\nTo confirm your address, open this link (valid for ${valid}):\n${link}` },
  },
} as const;

const invalidTicket = () => new ProblemError(400, 'invalid_token', 'Invalid, used or expired link', [{ field: 'token', code: 'invalid_token', message: 'Invalid, used or expired link' }]);

export class AccountMail {
  constructor(private readonly db: Db, private readonly mailer: Mailer, private readonly publicUrl: string, private readonly settings: Settings) {}

  /**
   * Mot de passe oublié : envoie un lien si le compte existe et est actif ; ne dit jamais lequel des deux. Une adresse
   * changée depuis la création du compte (par un administrateur, par exemple) ne reçoit de lien qu'une fois vérifiée
   * par l'utilisateur connecté : sinon, changer l'adresse d'un compte suffirait à en prendre le contrôle.
   */
  async forgot(email: string, tenantSlug = DEFAULT_TENANT): Promise<void> {
    const tenant = await findTenant(this.db, tenantSlug);
    if (!tenant) return;
    const user = await inTenant(this.db, { tenantId: tenant.id }, async (trx) => (await sql<{ id: string; email: string; locale: string | null }>`
      SELECT id, email, locale FROM app_user WHERE lower(email) = ${email.trim().toLowerCase()} AND deleted_at IS NULL AND active AND NOT locked
        AND (email_verified_at IS NOT NULL OR email_changed_at IS NULL)
      LIMIT 1`.execute(trx)).rows[0], { singleStatement: true });
    if (!user) return;
    await this.sendTicket(tenant.id, user, 'password_reset', '/app/reset-password');
  }

  /** Nouveau mot de passe par lien : jeton consommé, sessions fermées, verrouillage levé. */
  async reset(token: unknown, password: unknown, locale: Locale = 'en'): Promise<void> {
    // la politique est celle du tenant du lien (un lien forgé échouera de toute façon à la consommation)
    const parts = parseRefresh(token);
    if (!parts) throw invalidTicket();
    checkPassword(password, await passwordPolicy(this.settings, parts.tenantId), locale);
    const hash = await hashPassword(password as string);
    await this.consume(token, 'password_reset', async (trx, tenantId, userId) => {
      await sql`UPDATE app_user SET password_hash = ${hash}, failed_logins = 0, locked_until = NULL WHERE id = ${userId}`.execute(trx);
      await sql`UPDATE refresh_token SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`.execute(trx);
      await appendAudit(trx, systemCtx(tenantId, userId), [{ action: 'auth.password_reset', entity: 'user', recordId: userId }]);
    });
  }

  async requestVerification(ctx: RequestContext): Promise<void> {
    const user = await inTenant(this.db, ctx, async (trx) => (await sql<{ id: string; email: string; locale: string | null; verified: boolean }>`
      SELECT id, email, locale, email_verified_at IS NOT NULL AS verified FROM app_user WHERE id = app_user()`.execute(trx)).rows[0], { singleStatement: true });
    if (!user) throw new ProblemError(404, 'not_found', 'User not found');
    if (user.verified) throw new ProblemError(409, 'already_verified', 'This email address is already verified');
    await this.sendTicket(ctx.tenantId, user, 'email_verification', '/app/verify-email');
  }

  async verify(token: unknown): Promise<void> {
    await this.consume(token, 'email_verification', async (trx, tenantId, userId, issuedAt) => {
      // le lien vérifie l'adresse à laquelle il a été envoyé : pas une adresse posée depuis
      const { rows } = await sql`UPDATE app_user SET email_verified_at = now()
        WHERE id = ${userId} AND (email_changed_at IS NULL OR email_changed_at <= ${issuedAt}) RETURNING id`.execute(trx);
      if (!rows[0]) throw invalidTicket();
      await appendAudit(trx, systemCtx(tenantId, userId), [{ action: 'auth.email_verified', entity: 'user', recordId: userId }]);
    });
  }

  private async sendTicket(tenantId: string, user: { id: string; email: string; locale: string | null }, purpose: Purpose, page: string): Promise<void> {
    const id = uuidv7();
    const secret = newRefreshSecret();
    const minutes = await ticketMinutes(this.settings, tenantId, purpose);
    await inTenant(this.db, { tenantId }, async (trx) => {
      // un seul lien valable à la fois : les précédents sont retirés
      await sql`UPDATE auth_ticket SET used_at = now() WHERE user_id = ${user.id} AND purpose = ${purpose} AND used_at IS NULL`.execute(trx);
      await sql`INSERT INTO auth_ticket (id, tenant_id, user_id, purpose, token_hash, expires_at)
        VALUES (${id}, app_tenant(), ${user.id}, ${purpose}, ${hashSecret(secret)}, now() + make_interval(mins => ${minutes}))`.execute(trx);
    });
    const token = formatRefresh({ tenantId, tokenId: id, secret });
    const locale = user.locale === 'en' ? 'en' : 'fr';
    const text = TEXTS[purpose][locale];
    const link = `${this.publicUrl}${page}?token=${encodeURIComponent(token)}`;
    await this.mailer.send({ to: user.email, subject: text.subject, text: text.body(link, validity(minutes, locale)) });
  }

  /** Consomme un jeton valide (non utilisé, non expiré) et exécute `apply` dans la même transaction. */
  private async consume(
    token: unknown, purpose: Purpose, apply: (trx: Parameters<Parameters<typeof inTenant>[2]>[0], tenantId: string, userId: string, issuedAt: Date) => Promise<void>,
  ): Promise<void> {
    const parts = parseRefresh(token);
    if (!parts) throw invalidTicket();
    await inTenant(this.db, { tenantId: parts.tenantId }, async (trx) => {
      const { rows } = await sql<{ user_id: string; token_hash: string; created_at: Date }>`
        UPDATE auth_ticket SET used_at = now() WHERE id = ${parts.tokenId} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > now()
        RETURNING user_id, token_hash, created_at`.execute(trx);
      const row = rows[0];
      // jeton inconnu ou secret faux : on annule (le lien authentique reste utilisable)
      if (!row || !sameHash(row.token_hash, hashSecret(parts.secret))) throw invalidTicket();
      await apply(trx, parts.tenantId, row.user_id, row.created_at);
    });
  }
}

function systemCtx(tenantId: string, userId: string): RequestContext {
  return systemContext(tenantId, `mail-${uuidv7()}`, userId);
}
