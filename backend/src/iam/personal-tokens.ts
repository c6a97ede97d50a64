// Jetons d'accès personnels (API, scripts, intégrations) : `ofp_<tenant>.<id>.<secret>`, secret haché en base,
// portées `entité:action` optionnelles, expiration optionnelle, révocables. Vérification gardée 30 s en cache.
import type { FieldError } from '@opsflux/sdk';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import { appendAudit } from '../audit/writer.js';
import type { RequestContext } from '../engine/context.js';
import { notFound, validationFailed } from '../errors/problem.js';
import { readExpiry, readScopes, UUID } from './token-input.js';
import { hashSecret, newRefreshSecret, sameHash } from './tokens.js';
import { VerifiedCache } from './verified-cache.js';

export const PERSONAL_TOKEN_PREFIX = 'ofp_';
// durée en cache d'un jeton vérifié : délai maximal de prise en compte d'une révocation sur un autre nœud, fixé court par sécurité
const CACHE_MS = 30_000;
/** jetons actifs par utilisateur sans réglage branché (tests) ; la plateforme donne `api.tokens.maxPerUser` */
const DEFAULT_MAX_TOKENS = 100;

export interface TokenIdentity {
  tenantId: string;
  userId: string;
  tokenId: string;
  scopes: string[] | null;
}

export interface TokenInput {
  name?: unknown;
  scopes?: unknown;
  expiresAt?: unknown;
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string[] | null;
  expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}

const describe = (row: TokenRow) => ({
  id: row.id, name: row.name, scopes: row.scopes, expiresAt: row.expires_at, createdAt: row.created_at, lastUsedAt: row.last_used_at,
});

export class PersonalTokens {
  private readonly verified = new VerifiedCache<TokenIdentity | null>(CACHE_MS);

  /** `maxPerUser` : jetons actifs permis à un utilisateur du tenant (réglage `api.tokens.maxPerUser`), lue avant la transaction */
  constructor(private readonly db: Db, private readonly maxPerUser: (tenantId: string) => Promise<number> = async () => DEFAULT_MAX_TOKENS) {}

  static looksLike(token: string): boolean {
    return token.startsWith(PERSONAL_TOKEN_PREFIX);
  }

  async create(ctx: RequestContext, input: TokenInput) {
    const { name, scopes, expiresAt } = checkInput(input);
    const id = uuidv7();
    const secret = newRefreshSecret();
    const max = await this.maxPerUser(ctx.tenantId);
    const row = await inTenant(this.db, ctx, async (trx) => {
      const { rows: counted } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM personal_token WHERE user_id = app_user() AND revoked_at IS NULL`.execute(trx);
      if (counted[0]!.n >= max) throw validationFailed([{ field: '', code: 'too_many_tokens', message: `At most ${max} active tokens per user (setting api.tokens.maxPerUser)` }]);
      const { rows } = await sql<TokenRow>`
        INSERT INTO personal_token (id, tenant_id, user_id, name, token_hash, scopes, expires_at)
        VALUES (${id}, app_tenant(), app_user(), ${name}, ${hashSecret(secret)}, ${scopes}::text[], ${expiresAt})
        RETURNING id, name, scopes, expires_at, created_at, last_used_at`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'auth.token_created', entity: 'user', recordId: ctx.userId, changes: { tokenId: id, name, scopes } }]);
      return rows[0]!;
    });
    return { ...describe(row), token: `${PERSONAL_TOKEN_PREFIX}${ctx.tenantId}.${id}.${secret}` };
  }

  list(ctx: RequestContext) {
    return inTenant(this.db, ctx, async (trx) => {
      const { rows } = await sql<TokenRow>`SELECT id, name, scopes, expires_at, created_at, last_used_at FROM personal_token
        WHERE user_id = app_user() AND revoked_at IS NULL ORDER BY created_at DESC`.execute(trx);
      return { data: rows.map(describe) };
    }, { singleStatement: true });
  }

  async revoke(ctx: RequestContext, id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound();
    await inTenant(this.db, ctx, async (trx) => {
      const { rows } = await sql`UPDATE personal_token SET revoked_at = now() WHERE id = ${id} AND user_id = app_user() AND revoked_at IS NULL RETURNING id`.execute(trx);
      if (rows.length === 0) throw notFound();
      await appendAudit(trx, ctx, [{ action: 'auth.token_revoked', entity: 'user', recordId: ctx.userId, changes: { tokenId: id } }]);
    });
    this.verified.forget((identity) => identity?.tokenId === id);
  }

  /** Identité portée par un jeton valide (non révoqué, non expiré), sinon null. */
  verify(token: string): Promise<TokenIdentity | null> {
    return this.verified.get(token, () => this.lookup(token));
  }

  private async lookup(token: string): Promise<TokenIdentity | null> {
    if (token.length > 300) return null;
    const [tenantId, tokenId, secret, extra] = token.slice(PERSONAL_TOKEN_PREFIX.length).split('.');
    if (!tenantId || !tokenId || !secret || extra !== undefined || !UUID.test(tenantId) || !UUID.test(tokenId)) return null;
    return inTenant(this.db, { tenantId }, async (trx) => {
      const { rows } = await sql<{ user_id: string; token_hash: string; scopes: string[] | null }>`
        UPDATE personal_token SET last_used_at = now() WHERE id = ${tokenId} AND revoked_at IS NULL
          AND (expires_at IS NULL OR expires_at > now()) RETURNING user_id, token_hash, scopes`.execute(trx);
      const row = rows[0];
      if (!row || !sameHash(row.token_hash, hashSecret(secret))) return null;
      return { tenantId, userId: row.user_id, tokenId, scopes: row.scopes };
    }, { singleStatement: true });
  }
}

function checkInput(input: TokenInput): { name: string; scopes: string[] | null; expiresAt: Date | null } {
  const errors: FieldError[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 100) errors.push({ field: 'name', code: 'required', message: 'name is required (1–100 characters)' });
  const scopes = readScopes(input.scopes, errors);
  const expiresAt = readExpiry(input.expiresAt, errors);
  if (errors.length) throw validationFailed(errors);
  return { name, scopes, expiresAt };
}
