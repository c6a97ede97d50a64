// Clés d'API par intégration : `ofk_<tenant>.<id>.<secret>`, secret haché en base et montré une seule fois. Une clé
// est une identité de service du tenant : les droits de son rôle, restreints par ses portées, au nom de
// l'administrateur qui l'a créée ; expiration, adresses autorisées et limite de débit facultatives. Vérification
// gardée 30 s en cache ; révocation, rotation et modification l'effacent sur tous les nœuds (NOTIFY).
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { appendAudit, type Changes } from '../../audit/writer.js';
import type { Database } from '../../db/database.js';
import { executeAtCommit, inTenant, type Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { HookBus } from '../../events/hooks.js';
import { notFound, ProblemError, validationFailed } from '../../errors/problem.js';
import { ACCESS_CHANNEL } from '../access/store.js';
import { UUID } from '../token-input.js';
import { formatRefresh, hashSecret, newRefreshSecret, parseRefresh, sameHash } from '../tokens.js';
import { VerifiedCache } from '../verified-cache.js';
import { readCreate, readUpdate, type ApiKeyValues } from './input.js';
import { ipMatcher, type IpMatcher } from './ip-allow-list.js';
import { ApiKeyUsage, readRange, usageByDay } from './usage.js';

export const API_KEY_PREFIX = 'ofk_';
export const API_KEYS_CHANNEL = 'opsflux_api_keys';
// durée en cache d'une clé vérifiée : ses changements sont aussi propagés par NOTIFY, ce délai n'est qu'un filet
const CACHE_MS = 30_000;
/** clés actives par tenant sans réglage branché (tests) ; la plateforme donne `api.keys.maxPerTenant` */
const DEFAULT_MAX_KEYS = 1000;

/** Ce que la vérification d'une clé apporte à la requête (au-delà de l'identité). */
export interface ApiKeyGrant {
  id: string;
  tenantId: string;
  roleId: string;
  /** administrateur qui a créé la clé : auteur des écritures faites avec elle */
  userId: string;
  /** requêtes par minute ; null : réglage du tenant `api.rateLimit.perMinute` */
  rateLimit: number | null;
  expiresAt: number | null;
  allowsIp: IpMatcher;
}

/** Identité d'une requête authentifiée par une clé (mêmes champs qu'un jeton personnel, plus la clé). */
export interface ApiKeyIdentity {
  tenantId: string;
  userId: string;
  tokenId: string;
  scopes: string[] | null;
  apiKey: ApiKeyGrant;
}

interface KeyRow {
  id: string;
  name: string;
  description: string | null;
  role_id: string;
  scopes: string[] | null;
  allowed_ips: string[] | null;
  rate_limit: number | null;
  expires_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
}

const COLUMNS = sql`id, name, description, role_id, scopes, allowed_ips, rate_limit, expires_at, created_by, created_at, updated_at,
  rotated_at, revoked_at, last_used_at, last_used_ip`;

/** Colonne de chaque champ modifiable, et son type SQL. */
const COLUMN_OF: Record<keyof ApiKeyValues, [string, string]> = {
  name: ['name', 'text'], description: ['description', 'text'], roleId: ['role_id', 'uuid'], scopes: ['scopes', 'text[]'],
  allowedIps: ['allowed_ips', 'text[]'], rateLimit: ['rate_limit', 'integer'], expiresAt: ['expires_at', 'timestamptz'],
};

function status(row: KeyRow): 'active' | 'expired' | 'revoked' {
  if (row.revoked_at) return 'revoked';
  return row.expires_at && row.expires_at.getTime() <= Date.now() ? 'expired' : 'active';
}

export function describeKey(row: KeyRow) {
  return {
    id: row.id, name: row.name, description: row.description, roleId: row.role_id, scopes: row.scopes, allowedIps: row.allowed_ips,
    rateLimit: row.rate_limit, expiresAt: row.expires_at, status: status(row), createdBy: row.created_by, createdAt: row.created_at,
    updatedAt: row.updated_at, rotatedAt: row.rotated_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at, lastUsedIp: row.last_used_ip,
  };
}

const valueOf = (row: KeyRow, field: keyof ApiKeyValues): unknown => row[COLUMN_OF[field][0] as keyof KeyRow];
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class ApiKeys {
  private readonly verified = new VerifiedCache<ApiKeyIdentity | null>(CACHE_MS);
  readonly usage: ApiKeyUsage;
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly database: Database,
    private readonly afterCommit: () => void = () => undefined,
    onError?: (error: unknown) => void,
    /** clés actives permises dans le tenant (réglage `api.keys.maxPerTenant`), lue avant la transaction */
    private readonly maxPerTenant: (tenantId: string) => Promise<number> = async () => DEFAULT_MAX_KEYS,
  ) {
    this.usage = new ApiKeyUsage(database.db, onError);
  }

  static looksLike(token: string): boolean {
    return token.startsWith(API_KEY_PREFIX);
  }

  /** Écoute les changements de clés des autres nœuds et démarre l'écriture périodique de l'usage. */
  async start(): Promise<void> {
    this.unlisten = await this.database.listen(API_KEYS_CHANNEL, (id) => this.forget(id));
    this.usage.start();
  }

  async stop(): Promise<void> {
    await this.usage.stop();
    await this.unlisten?.();
  }

  async create(ctx: RequestContext, input: unknown) {
    const values = readCreate(input);
    const id = uuidv7();
    const secret = newRefreshSecret();
    const max = await this.maxPerTenant(ctx.tenantId);
    const row = await this.write(ctx, async (trx) => {
      const { rows: counted } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM api_key WHERE revoked_at IS NULL`.execute(trx);
      if (counted[0]!.n >= max) throw validationFailed([{ field: '', code: 'too_many_keys', message: `At most ${max} active keys per tenant (setting api.keys.maxPerTenant)` }]);
      await checkRole(trx, values.roleId);
      const { rows } = await sql<KeyRow>`
        INSERT INTO api_key (id, tenant_id, name, description, secret_hash, role_id, scopes, allowed_ips, rate_limit, expires_at, created_by)
        VALUES (${id}, app_tenant(), ${values.name}, ${values.description}, ${hashSecret(secret)}, ${values.roleId}, ${values.scopes}::text[],
                ${values.allowedIps}::text[], ${values.rateLimit}, ${values.expiresAt}, app_user())
        RETURNING ${COLUMNS}`.execute(trx);
      const { name, roleId, scopes, allowedIps, rateLimit, expiresAt } = values;
      await appendAudit(trx, ctx, [{ action: 'api_key.created', entity: 'api_key', recordId: id, changes: { name, roleId, scopes, allowedIps, rateLimit, expiresAt } }]);
      return rows[0]!;
    });
    return { ...describeKey(row), key: `${API_KEY_PREFIX}${formatRefresh({ tenantId: ctx.tenantId, tokenId: id, secret })}` };
  }

  list(ctx: RequestContext, options: { limit: number; cursor?: string }) {
    return inTenant(this.database.db, ctx, async (trx) => {
      const { rows } = await sql<KeyRow>`SELECT ${COLUMNS} FROM api_key
        WHERE ${options.cursor ? sql`id < ${options.cursor}` : sql`true`} ORDER BY id DESC LIMIT ${options.limit + 1}`.execute(trx);
      const page = rows.slice(0, options.limit);
      return { data: page.map(describeKey), meta: { nextCursor: rows.length > options.limit ? page.at(-1)!.id : null } };
    }, { singleStatement: true });
  }

  async get(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound();
    const row = await inTenant(this.database.db, ctx, (trx) => findKey(trx, id), { singleStatement: true });
    return describeKey(row);
  }

  async update(ctx: RequestContext, id: string, input: unknown) {
    if (!UUID.test(id)) throw notFound();
    const values = readUpdate(input);
    const row = await this.write(ctx, async (trx) => {
      const before = await liveKey(trx, id);
      const fields = (Object.keys(values) as Array<keyof ApiKeyValues>).filter((f) => !same(valueOf(before, f), values[f]));
      if (fields.length === 0) return before;
      if (values.roleId !== undefined && fields.includes('roleId')) await checkRole(trx, values.roleId);
      const assignments = fields.map((f) => sql`${sql.ref(COLUMN_OF[f][0])} = ${values[f]}::${sql.raw(COLUMN_OF[f][1])}`);
      const { rows } = await sql<KeyRow>`UPDATE api_key SET ${sql.join(assignments)}, updated_at = now() WHERE id = ${id} RETURNING ${COLUMNS}`.execute(trx);
      const changes: Changes = Object.fromEntries(fields.map((f) => [f, { from: valueOf(before, f), to: values[f] }]));
      await appendAudit(trx, ctx, [{ action: 'api_key.updated', entity: 'api_key', recordId: id, changes }]);
      await announce(trx, id);
      return rows[0]!;
    });
    this.forget(id);
    return describeKey(row);
  }

  /** Nouveau secret (montré une fois) ; l'ancien cesse aussitôt de valoir. */
  async rotate(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound();
    const secret = newRefreshSecret();
    const row = await this.write(ctx, async (trx) => {
      await liveKey(trx, id);
      const { rows } = await sql<KeyRow>`UPDATE api_key SET secret_hash = ${hashSecret(secret)}, rotated_at = now(), updated_at = now()
        WHERE id = ${id} RETURNING ${COLUMNS}`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'api_key.rotated', entity: 'api_key', recordId: id }]);
      await announce(trx, id);
      return rows[0]!;
    });
    this.forget(id);
    return { ...describeKey(row), key: `${API_KEY_PREFIX}${formatRefresh({ tenantId: ctx.tenantId, tokenId: id, secret })}` };
  }

  async revoke(ctx: RequestContext, id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound();
    await this.write(ctx, async (trx) => {
      const { rows } = await sql`UPDATE api_key SET revoked_at = now(), revoked_by = app_user(), updated_at = now()
        WHERE id = ${id} AND revoked_at IS NULL RETURNING id`.execute(trx);
      if (rows.length === 0) throw notFound();
      await appendAudit(trx, ctx, [{ action: 'api_key.revoked', entity: 'api_key', recordId: id }]);
      await announce(trx, id);
    });
    this.forget(id);
  }

  /** Usage de la clé sur la période (`from`, `to` : AAAA-MM-JJ) ; les compteurs de ce nœud sont d'abord écrits. */
  async usageOf(ctx: RequestContext, id: string, query: { from?: unknown; to?: unknown }) {
    if (!UUID.test(id)) throw notFound();
    const range = readRange(query);
    await this.usage.flush();
    return inTenant(this.database.db, ctx, async (trx) => {
      const key = await findKey(trx, id);
      const days = await usageByDay(trx, id, range);
      const totals: Record<string, number> = {};
      for (const day of days) for (const [cls, n] of Object.entries(day.byStatus)) totals[cls] = (totals[cls] ?? 0) + n;
      return {
        keyId: id, ...range, requests: days.reduce((sum, d) => sum + d.requests, 0), byStatus: totals, days,
        lastUsedAt: key.last_used_at, lastUsedIp: key.last_used_ip,
      };
    });
  }

  /** Identité portée par une clé valide (non révoquée, non expirée), sinon null. */
  async verify(token: string): Promise<ApiKeyIdentity | null> {
    const identity = await this.verified.get(token, () => this.lookup(token));
    if (identity?.apiKey.expiresAt && identity.apiKey.expiresAt <= Date.now()) return null;
    return identity;
  }

  /** Oublie la vérification en cache d'une clé (changée ici ou sur un autre nœud). */
  forget(id: string): void {
    this.verified.forget((identity) => identity?.tokenId === id);
  }

  private async lookup(token: string): Promise<ApiKeyIdentity | null> {
    const parts = parseRefresh(token.slice(API_KEY_PREFIX.length));
    if (!parts) return null;
    const { tenantId, tokenId, secret } = parts;
    return inTenant(this.database.db, { tenantId }, async (trx) => {
      const { rows } = await sql<KeyRow & { secret_hash: string }>`SELECT ${COLUMNS}, secret_hash FROM api_key
        WHERE id = ${tokenId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`.execute(trx);
      const row = rows[0];
      if (!row || !sameHash(row.secret_hash, hashSecret(secret))) return null;
      return {
        tenantId, userId: row.created_by, tokenId, scopes: row.scopes,
        apiKey: {
          id: tokenId, tenantId, roleId: row.role_id, userId: row.created_by, rateLimit: row.rate_limit,
          expiresAt: row.expires_at?.getTime() ?? null, allowsIp: ipMatcher(row.allowed_ips),
        },
      };
    }, { singleStatement: true });
  }

  private async write<T>(ctx: RequestContext, work: (trx: Tx) => Promise<T>): Promise<T> {
    const result = await inTenant(this.database.db, ctx, work);
    this.afterCommit();
    return result;
  }
}

async function findKey(trx: Tx, id: string): Promise<KeyRow> {
  const { rows } = await sql<KeyRow>`SELECT ${COLUMNS} FROM api_key WHERE id = ${id}`.execute(trx);
  if (!rows[0]) throw notFound('Unknown API key');
  return rows[0];
}

/** Clé du tenant, verrouillée pour modification ; une clé révoquée ne se modifie plus (409). */
async function liveKey(trx: Tx, id: string): Promise<KeyRow> {
  const { rows } = await sql<KeyRow>`SELECT ${COLUMNS} FROM api_key WHERE id = ${id} FOR UPDATE`.execute(trx);
  if (!rows[0]) throw notFound('Unknown API key');
  if (rows[0].revoked_at) throw new ProblemError(409, 'api_key_revoked', 'This API key is revoked');
  return rows[0];
}

/** Le rôle doit exister dans le tenant (la politique RLS de la table des rôles borne la recherche au tenant). */
async function checkRole(trx: Tx, roleId: string): Promise<void> {
  const { rows } = await sql`SELECT 1 FROM role WHERE id = ${roleId} AND deleted_at IS NULL`.execute(trx);
  if (rows.length === 0) throw validationFailed([{ field: 'roleId', code: 'unknown_role', message: 'roleId is not a role of this tenant' }]);
}

/** Les autres nœuds oublient leur vérification en cache de la clé, au commit. */
function announce(trx: Tx, id: string): Promise<void> {
  const notify: RawBuilder<unknown> = sql`SELECT pg_notify(${API_KEYS_CHANNEL}, ${id})`;
  return executeAtCommit(trx, notify);
}

/**
 * Le profil d'une clé couvre toutes les sociétés du tenant, lues à son chargement : une société créée doit le faire
 * recharger, comme une écriture sur les droits (profils du tenant oubliés sur tous les nœuds après le commit).
 */
export function installApiKeyHooks(hooks: HookBus): void {
  hooks.on('afterCreate', 'company', async ({ ctx, trx }) => {
    ctx.accessChanged = true;
    await executeAtCommit(trx, sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${ctx.tenantId})`);
  });
}
