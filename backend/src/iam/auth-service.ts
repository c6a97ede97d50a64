// Connexion native, rafraîchissement à rotation, déconnexion, profil courant.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import { appendAudit } from '../audit/writer.js';
import { lockoutPolicy, sessionLifetimes, type SessionLifetimes } from './security-policy.js';
import type { Settings } from '../config/settings.js';
import type { MfaService } from './mfa.js';
import { DEFAULT_TENANT, findTenant, type Tenant } from '../tenancy/tenants.js';
import type { RequestContext } from '../engine/context.js';
import { ProblemError } from '../errors/problem.js';
import { message, type Locale } from '../text/messages.js';
import { LoginThrottle, throttleFromSettings } from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import { isSuperAdminSql } from './super-admins.js';
import {
  formatRefresh, hashSecret, newRefreshSecret, parseRefresh, sameHash, type TokenSigner,
} from './tokens.js';

export interface LoginInput {
  totp?: string;
  email: string;
  password: string;
  tenant?: string;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** langue des messages d'erreur (défaut : anglais) */
  locale?: Locale;
}

/** Second facteur d'une connexion par fournisseur externe. */
export interface ExternalSecondFactor {
  /** le fournisseur atteste une authentification à plusieurs facteurs et le tenant lui fait confiance */
  providerMfa: boolean;
  /** code TOTP ou de secours saisi à l'étape du second facteur */
  totp?: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** durée de vie du jeton de rafraîchissement (s) */
  refreshExpiresIn: number;
  user: Record<string, unknown>;
  /** famille des jetons (session) : jamais renvoyée telle quelle, elle fonde le jeton anti-CSRF des cookies */
  sessionId: string;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  active: boolean;
  locked?: boolean;
  /** secondes de verrouillage restantes après trop d'échecs */
  locked_for?: number | null;
  super_admin: boolean;
  locale: string | null;
}

const invalidCredentials = () => new ProblemError(401, 'invalid_credentials', 'Invalid email or password');
const superAdminBySso = (locale: Locale = 'en') => new ProblemError(403, 'sso_super_admin', message(locale, 'sso_super_admin'));
const invalidRefresh = () => new ProblemError(401, 'invalid_token', 'Invalid or expired refresh token');
const tooManyAttempts = (seconds: number) =>
  new ProblemError(429, 'too_many_attempts', 'Too many failed attempts, try again later', undefined, { 'Retry-After': String(seconds) });

export class AuthService {
  readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Db,
    private readonly signer: TokenSigner,
    private readonly mfa: MfaService,
    private readonly settings: Settings,
  ) {
    this.throttle = new LoginThrottle(throttleFromSettings(settings, 'security.throttle.loginFailures'));
  }

  async login(input: LoginInput, client: ClientInfo): Promise<SessionTokens> {
    const email = input.email.trim().toLowerCase();
    const keys = [`account:${input.tenant ?? DEFAULT_TENANT}:${email}`, `ip:${client.ip ?? '?'}`];
    const wait = await this.throttle.retryAfter(keys);
    if (wait > 0) throw tooManyAttempts(wait);
    const tenant = await findTenant(this.db, input.tenant ?? DEFAULT_TENANT);
    const user = tenant ? await this.findUser(tenant, email) : undefined;
    const valid = await verifyPassword(user?.password_hash, input.password);
    // verrouillage après trop d'échecs : en base, donc valable sur tous les nœuds et après un redémarrage
    if (user?.locked_for) throw tooManyAttempts(user.locked_for);
    if (!tenant || !user || !valid || !user.active || user.locked) {
      this.throttle.fail(keys);
      if (tenant && user) await this.recordFailure(tenant.id, user.id, client);
      throw invalidCredentials();
    }
    // réglages lus avant la transaction : sur PGlite, une seule connexion (une lecture imbriquée l'attendrait)
    const lifetimes = await sessionLifetimes(this.settings, tenant.id);
    const session = await inTenant(this.db, { tenantId: tenant.id, userId: user.id }, async (trx) => {
      // second facteur : TOTP ou code de secours, vérifié (et consommé) dans la transaction de la connexion
      if (!(await this.mfa.check(trx, user.id, input.totp))) return null;
      await sql`UPDATE app_user SET last_login_at = now(), failed_logins = 0, locked_until = NULL WHERE id = ${user.id}`.execute(trx);
      await appendAudit(trx, ctxOf(tenant.id, user.id, client), [{ action: 'auth.login', entity: 'user', recordId: user.id }]);
      return this.issue(trx, tenant.id, user, uuidv7(), client, lifetimes);
    });
    if (!session) return this.refuseSecondFactor(tenant.id, user.id, input.totp, keys, client);
    this.throttle.succeed(keys);
    return session;
  }

  /**
   * Session d'un utilisateur authentifié par un fournisseur externe (LDAP, OIDC, SAML), trouvé par son identité liée.
   * Le second facteur est le même que pour un mot de passe (TOTP si l'utilisateur l'a activé), sauf si le fournisseur
   * l'atteste et que le tenant lui fait confiance. Un super-administrateur n'ouvre jamais de session par un
   * fournisseur : ses réglages sont des données du tenant.
   */
  async startExternalSession(tenantId: string, userId: string, client: ClientInfo, provider: string, factor: ExternalSecondFactor): Promise<SessionTokens> {
    const keys = [`mfa:${tenantId}:${userId}`, `ip:${client.ip ?? '?'}`];
    const wait = await this.throttle.retryAfter(keys);
    if (wait > 0) throw tooManyAttempts(wait);
    const lifetimes = await sessionLifetimes(this.settings, tenantId);
    const session = await inTenant(this.db, { tenantId, userId }, async (trx) => {
      const { rows } = await sql<UserRow>`SELECT id, email, display_name, password_hash, active, locked, ${isSuperAdminSql(sql.ref('app_user.id'))} AS super_admin, locale,
          CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM locked_until - now()))::int END AS locked_for
        FROM app_user WHERE id = ${userId} AND deleted_at IS NULL AND active AND NOT locked`.execute(trx);
      const user = rows[0];
      if (!user) throw invalidCredentials();
      if (user.super_admin) throw superAdminBySso(client.locale);
      if (user.locked_for) throw tooManyAttempts(user.locked_for);
      const second = factor.providerMfa ? 'provider' : (await this.mfa.enabled(trx, userId)) ? 'totp' : 'none';
      if (second === 'totp' && !(await this.mfa.check(trx, userId, factor.totp))) return null;
      await sql`UPDATE app_user SET last_login_at = now(), failed_logins = 0, locked_until = NULL WHERE id = ${userId}`.execute(trx);
      await appendAudit(trx, ctxOf(tenantId, userId, client), [{ action: 'auth.login', entity: 'user', recordId: userId, changes: { provider, secondFactor: second } }]);
      return this.issue(trx, tenantId, user, uuidv7(), client, lifetimes);
    });
    if (!session) return this.refuseSecondFactor(tenantId, userId, factor.totp, keys, client);
    this.throttle.succeed(keys);
    return session;
  }

  /** Second facteur absent (401 `mfa_required`) ou faux (401 `invalid_mfa`, échec compté pour le verrouillage). */
  private async refuseSecondFactor(tenantId: string, userId: string, totp: string | undefined, keys: string[], client: ClientInfo): Promise<never> {
    if (totp === undefined) throw new ProblemError(401, 'mfa_required', 'A two-factor code is required', [{ field: 'totp', code: 'required', message: 'A two-factor code is required' }]);
    this.throttle.fail(keys);
    await this.recordFailure(tenantId, userId, client);
    throw new ProblemError(401, 'invalid_mfa', 'Invalid two-factor code', [{ field: 'totp', code: 'invalid_code', message: 'Invalid two-factor code' }]);
  }

  /** `allowSession` : contrôle supplémentaire de la session avant rotation (jeton anti-CSRF des cookies). */
  async refresh(token: unknown, client: ClientInfo, allowSession: (sessionId: string) => boolean = () => true): Promise<SessionTokens> {
    const parts = parseRefresh(token);
    if (!parts) throw invalidRefresh();
    const lifetimes = await sessionLifetimes(this.settings, parts.tenantId);
    // la détection de réutilisation révoque la famille : elle doit être validée même si la requête échoue
    const outcome = await inTenant(this.db, { tenantId: parts.tenantId }, async (trx) => {
      const { rows } = await sql<{ user_id: string; family_id: string; token_hash: string; used_at: Date | null; revoked_at: Date | null; expired: boolean }>`
        SELECT user_id, family_id, token_hash, used_at, revoked_at, expires_at < now() AS expired
        FROM refresh_token WHERE id = ${parts.tokenId} FOR UPDATE`.execute(trx);
      const row = rows[0];
      if (!row || !sameHash(row.token_hash, hashSecret(parts.secret))) return { error: 'invalid' as const };
      if (row.used_at || row.revoked_at) {
        await sql`UPDATE refresh_token SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = ${row.family_id}`.execute(trx);
        await appendAudit(trx, ctxOf(parts.tenantId, row.user_id, client), [{ action: 'auth.refresh_reuse', entity: 'user', recordId: row.user_id }]);
        return { error: 'reused' as const };
      }
      if (row.expired || !allowSession(row.family_id)) return { error: 'invalid' as const };
      const { rows: users } = await sql<UserRow>`
        SELECT id, email, display_name, password_hash, active, ${isSuperAdminSql(sql.ref('app_user.id'))} AS super_admin, locale FROM app_user
        WHERE id = ${row.user_id} AND deleted_at IS NULL AND NOT locked`.execute(trx);
      const user = users[0];
      if (!user?.active) return { error: 'invalid' as const };
      await sql`UPDATE refresh_token SET used_at = now() WHERE id = ${parts.tokenId}`.execute(trx);
      return { tokens: await this.issue(trx, parts.tenantId, user, row.family_id, client, lifetimes) };
    });
    if ('error' in outcome) throw invalidRefresh();
    return outcome.tokens;
  }

  /** Révoque la famille du jeton de rafraîchissement donné (ou toutes les sessions de l'utilisateur). */
  async logout(ctx: RequestContext, refreshToken: unknown, everywhere: boolean): Promise<void> {
    const parts = parseRefresh(refreshToken);
    await inTenant(this.db, { tenantId: ctx.tenantId, userId: ctx.userId }, async (trx) => {
      if (everywhere || !parts) {
        await sql`UPDATE refresh_token SET revoked_at = now() WHERE user_id = ${ctx.userId} AND revoked_at IS NULL`.execute(trx);
      } else {
        await sql`UPDATE refresh_token SET revoked_at = now()
          WHERE user_id = ${ctx.userId} AND family_id = (SELECT family_id FROM refresh_token WHERE id = ${parts.tokenId})`.execute(trx);
      }
      await appendAudit(trx, ctx, [{ action: 'auth.logout', entity: 'user', recordId: ctx.userId }]);
    });
  }

  private async findUser(tenant: Tenant, email: string): Promise<UserRow | undefined> {
    return inTenant(this.db, { tenantId: tenant.id }, async (trx) => {
      const { rows } = await sql<UserRow>`
        SELECT id, email, display_name, password_hash, active, locked, ${isSuperAdminSql(sql.ref('app_user.id'))} AS super_admin, locale,
          CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM locked_until - now()))::int END AS locked_for
        FROM app_user WHERE lower(email) = ${email} AND deleted_at IS NULL LIMIT 1`.execute(trx);
      return rows[0];
    });
  }

  /** Échec compté en base ; au seuil, le compte est verrouillé pour un temps (audité). */
  private async recordFailure(tenantId: string, userId: string, client: ClientInfo): Promise<void> {
    const { threshold: lockoutThreshold, minutes: lockoutMinutes } = await lockoutPolicy(this.settings, tenantId);
    await inTenant(this.db, { tenantId, userId }, async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`
        UPDATE app_user SET
          locked_until = CASE WHEN failed_logins + 1 >= ${lockoutThreshold} THEN now() + make_interval(mins => ${lockoutMinutes}) ELSE locked_until END,
          failed_logins = CASE WHEN failed_logins + 1 >= ${lockoutThreshold} THEN 0 ELSE failed_logins + 1 END
        WHERE id = ${userId} RETURNING locked_until > now() AS locked`.execute(trx);
      const actions = ['auth.login_failed', ...(rows[0]?.locked ? ['auth.account_locked'] : [])];
      await appendAudit(trx, ctxOf(tenantId, userId, client), actions.map((action) => ({ action, entity: 'user', recordId: userId })));
    });
  }

  private async issue(trx: Tx, tenantId: string, user: UserRow, familyId: string, client: ClientInfo, lifetimes: SessionLifetimes): Promise<SessionTokens> {
    const tokenId = uuidv7();
    const secret = newRefreshSecret();
    await sql`INSERT INTO refresh_token (id, tenant_id, user_id, family_id, token_hash, expires_at, ip, user_agent)
      VALUES (${tokenId}, ${tenantId}, ${user.id}, ${familyId}, ${hashSecret(secret)},
              now() + make_interval(secs => ${lifetimes.refreshSeconds}), ${client.ip}, ${client.userAgent?.slice(0, 500) ?? null})`.execute(trx);
    return {
      accessToken: await this.signer.signAccess({ userId: user.id, tenantId, superAdmin: user.super_admin, sessionId: familyId }, lifetimes.accessSeconds),
      refreshToken: formatRefresh({ tenantId, tokenId, secret }),
      tokenType: 'Bearer',
      expiresIn: lifetimes.accessSeconds,
      refreshExpiresIn: lifetimes.refreshSeconds,
      user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale, superAdmin: user.super_admin },
      sessionId: familyId,
    };
  }
}

function ctxOf(tenantId: string, userId: string, client: ClientInfo): RequestContext {
  return { tenantId, userId, requestId: client.requestId, ip: client.ip, locale: 'en' };
}
