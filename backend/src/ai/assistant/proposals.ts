// Écritures proposées par l'assistant : gardées en attente, exécutées seulement quand leur auteur confirme, par le
// service générique (ou l'action du module, `run`) et avec SES droits du moment (une proposition n'élève jamais
// rien) ; annulables.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog } from '../../engine/registry.js';
import type { CatalogFor, TenantTx } from '../../engine/tenant-work.js';
import type { Tx } from '../../db/transaction.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import { runModuleAction, type ModuleTools } from './module-tools.js';

export interface ProposalDraft {
  conversationId: string | null;
  /** `run` : action d'un module ; `entity` porte alors le nom de l'outil, `data` ses arguments */
  action: 'create' | 'update' | 'delete' | 'run';
  entity: string;
  recordId: string | null;
  data: Record<string, unknown> | null;
  summary: string | null;
}

export interface Proposal extends ProposalDraft {
  id: string;
  status: 'pending' | 'applied' | 'cancelled';
  /** enregistrement écrit, ou résultat de l'action du module */
  result: { id?: string; output?: unknown } | null;
  createdAt: string;
  decidedAt: string | null;
}

interface ProposalRow {
  id: string;
  conversation_id: string | null;
  action: Proposal['action'];
  entity: string;
  record_id: string | null;
  data: Record<string, unknown> | null;
  summary: string | null;
  status: Proposal['status'];
  result: Proposal['result'];
  created_at: Date;
  decided_at: Date | null;
}

const toProposal = (r: ProposalRow): Proposal => ({
  id: r.id, conversationId: r.conversation_id, action: r.action, entity: r.entity, recordId: r.record_id, data: r.data,
  summary: r.summary, status: r.status, result: r.result, createdAt: r.created_at.toISOString(), decidedAt: r.decided_at?.toISOString() ?? null,
});

export interface ProposalStoreDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  modules?: ModuleTools;
}

export class ProposalStore {
  constructor(private readonly deps: ProposalStoreDeps) {}

  async create(ctx: RequestContext, draft: ProposalDraft): Promise<string> {
    const id = uuidv7();
    await this.deps.tenantTx(ctx, (trx) => sql`
      INSERT INTO ai_proposal (id, tenant_id, user_id, conversation_id, action, entity, record_id, data, summary)
      VALUES (${id}, ${ctx.tenantId}, ${ctx.userId}, ${draft.conversationId}, ${draft.action}, ${draft.entity}, ${draft.recordId},
              ${draft.data === null ? null : JSON.stringify(draft.data)}::jsonb, ${draft.summary})`.execute(trx), { singleStatement: true });
    return id;
  }

  /** Propositions de l'utilisateur, les plus récentes d'abord (celles d'une conversation si elle est donnée). */
  async list(ctx: RequestContext, conversationId?: string): Promise<Proposal[]> {
    const { rows } = await this.deps.tenantTx(ctx, (trx) => sql<ProposalRow>`
      SELECT * FROM ai_proposal WHERE user_id = ${ctx.userId}
        ${conversationId ? sql`AND conversation_id = ${conversationId}` : sql``}
      ORDER BY created_at DESC LIMIT 100`.execute(trx), { singleStatement: true });
    return rows.map(toProposal);
  }

  /** Confirme (écrit comme l'utilisateur, dans la même transaction) ou annule une proposition encore en attente. */
  async decide(ctx: RequestContext, id: string, decision: 'confirm' | 'cancel'): Promise<Proposal> {
    const catalog = await this.deps.catalogFor(ctx);
    return this.deps.tenantTx(ctx, async (trx) => {
      const { rows } = await sql<ProposalRow>`
        SELECT * FROM ai_proposal WHERE id = ${id} AND user_id = ${ctx.userId} FOR UPDATE`.execute(trx);
      const row = rows[0];
      if (!row) throw notFound('No such proposal');
      if (row.status !== 'pending') throw new ProblemError(409, 'proposal_decided', `This proposal is already ${row.status}`);
      let result: Proposal['result'] = null;
      if (decision === 'confirm') {
        if (row.action === 'run') result = { output: (await runModuleAction(this.deps, trx, ctx, catalog, row.entity, row.data ?? {})) ?? null };
        else result = await this.write(trx, ctx, catalog, row);
      }
      const { rows: updated } = await sql<ProposalRow>`
        UPDATE ai_proposal SET status = ${decision === 'confirm' ? 'applied' : 'cancelled'}, decided_at = now(),
          result = ${result === null ? null : JSON.stringify(result)}::jsonb
        WHERE id = ${id} RETURNING *`.execute(trx);
      return toProposal(updated[0]!);
    }, { write: true });
  }

  /** Écriture d'un enregistrement par le service générique, comme l'utilisateur. */
  private async write(trx: Tx, ctx: RequestContext, catalog: Catalog, row: ProposalRow): Promise<{ id: string }> {
    const { records } = this.deps;
    const model = records.entity(ctx, catalog, row.entity, row.action as 'create' | 'update' | 'delete');
    if (row.action === 'create') return { id: String((await records.create(trx, ctx, catalog, model, row.data ?? {})).id) };
    if (row.action === 'update') return { id: String((await records.update(trx, ctx, catalog, model, row.record_id!, row.data ?? {})).id) };
    await records.remove(trx, ctx, catalog, model, row.record_id!);
    return { id: row.record_id! };
  }
}
