// Résultats des actions `ai` : chacun garde sa provenance (règle, tâche, fournisseur, modèle, confiance, date). Sans
// approbation, il s'applique aussitôt (écriture de la plateforme au nom de la règle, chemin `rules`) ; avec, il
// attend dans la file de revue qu'un utilisateur qui peut modifier l'enregistrement l'approuve ou le rejette.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { systemContext, type RequestContext } from '../../engine/context.js';
import { toProblem } from '../../engine/errors.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import type { Tx } from '../../db/transaction.js';
import { AI_WRITE_PREFIX, type AiRulePayload } from './rule-action.js';

export type SuggestionStatus = 'pending' | 'applied' | 'rejected' | 'failed';

export interface Suggestion {
  id: string;
  ruleId: string | null;
  ruleName: string | null;
  task: string;
  entity: string;
  recordId: string;
  values: Record<string, unknown>;
  confidence: number | null;
  provider: string | null;
  model: string | null;
  status: SuggestionStatus;
  error: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

const COLUMNS = sql`id, rule_id AS "ruleId", rule_name AS "ruleName", task, entity, record_id AS "recordId", "values", confidence, provider, model,
  status, error, created_at AS "createdAt", decided_at AS "decidedAt", decided_by AS "decidedBy"`;

export interface SuggestionStoreDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
}

export interface Outcome {
  values: Record<string, unknown>;
  confidence: number;
  provider: string;
  model: string;
}

export class SuggestionStore {
  constructor(private readonly deps: SuggestionStoreDeps) {}

  /** Garde le résultat ; l'applique aussitôt si la règle ne demande pas d'approbation. */
  async record(tenantId: string, payload: AiRulePayload, outcome: Outcome): Promise<Suggestion> {
    const id = uuidv7();
    const system = { ...systemContext(tenantId, `${AI_WRITE_PREFIX}${id}`), writer: 'rules' as const };
    return this.deps.tenantTx(system, async (trx) => {
      await sql`
        INSERT INTO ai_suggestion (id, tenant_id, rule_id, rule_name, task, entity, record_id, "values", confidence, provider, model, status)
        VALUES (${id}, ${tenantId}, ${payload.rule.id}, ${payload.rule.name}, ${payload.task}, ${payload.entity}, ${payload.recordId},
                ${JSON.stringify(outcome.values)}::jsonb, ${outcome.confidence}, ${outcome.provider}, ${outcome.model}, 'pending')`.execute(trx);
      if (payload.approval) return this.read(trx, id);
      return this.apply(trx, system, id, null);
    }, { write: true });
  }

  /** Suggestions des entités que l'appelant peut lire (file de revue : `pending`). */
  async list(ctx: RequestContext, filter: { status?: SuggestionStatus; entity?: string; recordId?: string; limit?: number }): Promise<Suggestion[]> {
    const catalog = await this.deps.catalogFor(ctx);
    const readable = catalog.all().filter((m) => this.deps.records.allowed(ctx, catalog, m.name, 'read')).map((m) => m.name);
    if (readable.length === 0) return [];
    const { rows } = await this.deps.tenantTx(ctx, (trx) => sql<Suggestion>`
      SELECT ${COLUMNS} FROM ai_suggestion
      WHERE entity = ANY(${readable}::text[])
        ${filter.status ? sql`AND status = ${filter.status}` : sql``}
        ${filter.entity ? sql`AND entity = ${filter.entity}` : sql``}
        ${filter.recordId ? sql`AND record_id = ${filter.recordId}` : sql``}
      ORDER BY created_at DESC LIMIT ${filter.limit ?? 100}`.execute(trx), { singleStatement: true });
    return rows;
  }

  /** Approuve (écrit comme l'utilisateur : ses droits de modification s'appliquent) ou rejette une suggestion en attente. */
  async decide(ctx: RequestContext, id: string, decision: 'approve' | 'reject'): Promise<Suggestion> {
    return this.deps.tenantTx(ctx, async (trx) => {
      const { rows } = await sql<{ status: SuggestionStatus; entity: string }>`SELECT status, entity FROM ai_suggestion WHERE id = ${id} FOR UPDATE`.execute(trx);
      const row = rows[0];
      const catalog = await this.deps.catalogFor(ctx);
      if (!row || !this.deps.records.allowed(ctx, catalog, row.entity, 'read')) throw notFound('No such suggestion');
      if (row.status !== 'pending') throw new ProblemError(409, 'suggestion_decided', `This suggestion is already ${row.status}`);
      if (decision === 'reject') {
        await sql`UPDATE ai_suggestion SET status = 'rejected', decided_at = now(), decided_by = ${ctx.userId} WHERE id = ${id}`.execute(trx);
        return this.read(trx, id);
      }
      return this.apply(trx, ctx, id, ctx.userId, true);
    }, { write: true });
  }

  /** Écrit les valeurs sur l'enregistrement ; une valeur refusée (validation, droits) marque la suggestion en échec. */
  private async apply(trx: Tx, ctx: RequestContext, id: string, decidedBy: string | null, asCaller = false): Promise<Suggestion> {
    const suggestion = await this.read(trx, id);
    const catalog = asCaller ? await this.deps.catalogFor(ctx) : await this.deps.catalog(ctx.tenantId);
    const { records } = this.deps;
    await sql`SAVEPOINT ai_apply`.execute(trx);
    try {
      const model = records.entity(ctx, catalog, suggestion.entity, 'update');
      await records.update(trx, ctx, catalog, model, suggestion.recordId, suggestion.values);
      await sql`RELEASE SAVEPOINT ai_apply`.execute(trx);
      await sql`UPDATE ai_suggestion SET status = 'applied', decided_at = now(), decided_by = ${decidedBy} WHERE id = ${id}`.execute(trx);
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT ai_apply`.execute(trx);
      const problem = toProblem(error, ctx.locale);
      if (!problem || asCaller) throw problem ?? error;
      const detail = [problem.message, ...(problem.errors ?? []).map((e) => `${e.field}: ${e.message}`)].join('; ');
      await sql`UPDATE ai_suggestion SET status = 'failed', error = ${detail} WHERE id = ${id}`.execute(trx);
    }
    return this.read(trx, id);
  }

  private async read(trx: Tx, id: string): Promise<Suggestion> {
    const { rows } = await sql<Suggestion>`SELECT ${COLUMNS} FROM ai_suggestion WHERE id = ${id}`.execute(trx);
    return rows[0]!;
  }
}
