// Comptabilité de l'IA : chaque appel laisse une ligne (jetons, coût, durée, fournisseur ; prompt et réponse selon
// `ai.requestLog`) ; avant un appel, les budgets du mois (tenant, utilisateur, fonction, coût) sont vérifiés.
import { sql } from 'kysely';
import type { Settings } from '../config/settings.js';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import { ProblemError } from '../errors/problem.js';
import { message, type Locale } from '../text/messages.js';
import type { AiProviderConfig } from './providers.js';
import { redactDeep, redactPersonalData } from './redact.js';
import type { AiFeature } from './settings.js';

export interface AiBudgets {
  monthlyTokens?: number;
  monthlyTokensPerUser?: number;
  monthlyCost?: number;
  features?: Partial<Record<AiFeature, number>>;
}

export type RequestLogMode = 'usage' | 'redacted' | 'content';

export interface UsageAudience {
  tenantId: string;
  userId?: string | null;
  feature: AiFeature;
  locale?: Locale;
  requestId?: string;
}

export interface UsageEntry {
  status: 'ok' | 'failed';
  provider?: AiProviderConfig;
  /** modèle appelé (plongements, transcription) ; celui de la conversation sinon */
  model?: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  error?: string;
  prompt?: unknown;
  response?: string;
}

export const USAGE_GROUPINGS = {
  user: sql`coalesce(user_id::text, '')`,
  feature: sql`feature`,
  provider: sql`coalesce(provider, '')`,
  model: sql`coalesce(model, '')`,
  day: sql`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
} as const;
export type UsageGrouping = keyof typeof USAGE_GROUPINGS;

export interface UsageTotals {
  key: string;
  calls: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export interface UsageLogEntry {
  id: string;
  userId: string | null;
  feature: string;
  provider: string | null;
  model: string | null;
  status: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  durationMs: number;
  requestId: string | null;
  error: string | null;
  prompt: unknown;
  response: string | null;
  at: Date;
}

interface Spent {
  tenant_tokens: string;
  user_tokens: string;
  feature_tokens: string;
  tenant_cost: string;
}

export function costOf(provider: AiProviderConfig | undefined, inputTokens: number, outputTokens: number): number {
  if (!provider) return 0;
  return (inputTokens * (provider.inputCostPerMillion ?? 0) + outputTokens * (provider.outputCostPerMillion ?? 0)) / 1_000_000;
}

export class AiUsage {
  constructor(private readonly deps: { db: Db; settings: Settings }) {}

  /** Refuse l'appel (429) si un budget du mois est épuisé. */
  async assertWithinBudget(audience: UsageAudience): Promise<void> {
    const budgets = await this.deps.settings.value<AiBudgets>('ai.budgets', { tenantId: audience.tenantId });
    const featureLimit = budgets.features?.[audience.feature];
    const limits: Array<[keyof Spent, number | undefined, string]> = [
      ['tenant_tokens', budgets.monthlyTokens, 'tenant'],
      ['user_tokens', audience.userId ? budgets.monthlyTokensPerUser : undefined, 'user'],
      ['feature_tokens', featureLimit, `feature:${audience.feature}`],
      ['tenant_cost', budgets.monthlyCost, 'cost'],
    ];
    if (limits.every(([, limit]) => limit === undefined)) return;
    const spent = await this.spentThisMonth(audience);
    for (const [column, limit, scope] of limits) {
      if (limit !== undefined && Number(spent[column]) >= limit) {
        await this.record(audience, { status: 'failed', inputTokens: 0, outputTokens: 0, durationMs: 0, error: `budget ${scope} exhausted` }, 'refused');
        throw new ProblemError(429, 'ai_budget_exhausted', message(audience.locale ?? 'en', `ai_budget_${scope.startsWith('feature') ? 'feature' : scope}`, {
          limit, feature: audience.feature,
        }), undefined, { 'Retry-After': String(secondsToNextMonth()) });
      }
    }
  }

  /** Ligne du journal : toujours l'usage ; le prompt et la réponse seulement si le tenant le permet. */
  async record(audience: UsageAudience, entry: UsageEntry, status: 'ok' | 'failed' | 'refused' = entry.status): Promise<void> {
    const mode = await this.deps.settings.value<RequestLogMode>('ai.requestLog', { tenantId: audience.tenantId });
    const keep = (text: string | undefined) => (text === undefined || mode === 'usage' ? null : mode === 'redacted' ? redactPersonalData(text) : text);
    const kept = entry.prompt === undefined || mode === 'usage' ? undefined : binaryAsSize(entry.prompt);
    const prompt = kept === undefined ? null : JSON.stringify(mode === 'redacted' ? redactDeep(kept) : kept);
    const cost = costOf(entry.provider, entry.inputTokens, entry.outputTokens);
    await inTenant(this.deps.db, { tenantId: audience.tenantId, userId: audience.userId ?? null }, (trx) => sql`
      INSERT INTO ai_usage (tenant_id, user_id, feature, provider, model, status, input_tokens, output_tokens, cost, duration_ms,
                            request_id, error, prompt, response)
      VALUES (${audience.tenantId}, ${audience.userId ?? null}, ${audience.feature}, ${entry.provider?.name ?? null}, ${entry.model ?? entry.provider?.chatModel ?? null},
              ${status}, ${entry.inputTokens}, ${entry.outputTokens}, ${cost}, ${Math.round(entry.durationMs)}, ${audience.requestId ?? null},
              ${entry.error?.slice(0, 2000) ?? null}, ${prompt}::jsonb, ${keep(entry.response)})`.execute(trx), { singleStatement: true });
  }

  /** Totaux d'une période, groupés (utilisateur, fonction, fournisseur, modèle ou jour). */
  async report(tenantId: string, options: { from: Date; to: Date; groupBy: UsageGrouping }): Promise<UsageTotals[]> {
    const key = USAGE_GROUPINGS[options.groupBy];
    const { rows } = await inTenant(this.deps.db, { tenantId, userId: null }, (trx) => sql<UsageTotals>`
      SELECT ${key} AS key, count(*)::int AS calls, (count(*) FILTER (WHERE status <> 'ok'))::int AS failed,
             coalesce(sum(input_tokens), 0)::int AS "inputTokens", coalesce(sum(output_tokens), 0)::int AS "outputTokens",
             coalesce(sum(cost), 0)::float8 AS cost
      FROM ai_usage WHERE at >= ${options.from} AND at < ${options.to}
      GROUP BY 1 ORDER BY 4 + 5 DESC, 1 LIMIT 500`.execute(trx), { singleStatement: true });
    return rows;
  }

  /** Journal des appels, les plus récents d'abord (prompt et réponse seulement s'ils ont été gardés). */
  async log(tenantId: string, options: { limit: number; before?: number }): Promise<{ data: UsageLogEntry[]; nextCursor: string | null }> {
    const { rows } = await inTenant(this.deps.db, { tenantId, userId: null }, (trx) => sql<UsageLogEntry>`
      SELECT id::text, user_id AS "userId", feature, provider, model, status, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
             cost::float8, duration_ms AS "durationMs", request_id AS "requestId", error, prompt, response, at
      FROM ai_usage ${options.before ? sql`WHERE id < ${options.before}` : sql``}
      ORDER BY ai_usage.id DESC LIMIT ${options.limit + 1}`.execute(trx), { singleStatement: true });
    const more = rows.length > options.limit;
    if (more) rows.length = options.limit;
    return { data: rows, nextCursor: more ? rows[rows.length - 1]!.id : null };
  }

  private async spentThisMonth(audience: UsageAudience): Promise<Spent> {
    const { rows } = await inTenant(this.deps.db, { tenantId: audience.tenantId, userId: audience.userId ?? null }, (trx) => sql<Spent>`
      SELECT coalesce(sum(input_tokens + output_tokens), 0) AS tenant_tokens,
             coalesce(sum(input_tokens + output_tokens) FILTER (WHERE user_id = ${audience.userId ?? null}), 0) AS user_tokens,
             coalesce(sum(input_tokens + output_tokens) FILTER (WHERE feature = ${audience.feature}), 0) AS feature_tokens,
             coalesce(sum(cost), 0) AS tenant_cost
      FROM ai_usage WHERE at >= date_trunc('month', now())`.execute(trx), { singleStatement: true });
    return rows[0]!;
  }
}

/** Le journal garde la taille d'une image ou d'un son envoyé, jamais son contenu. */
export function binaryAsSize(value: unknown): unknown {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return { binary: true, bytes: value.byteLength };
  if (Array.isArray(value)) return value.map(binaryAsSize);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof URL)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, binaryAsSize(inner)]));
  }
  return value;
}

function secondsToNextMonth(now = new Date()): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.ceil((next - now.getTime()) / 1000);
}
