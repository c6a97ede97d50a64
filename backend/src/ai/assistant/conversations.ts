// Conversations de l'assistant : l'enregistrement `ai_conversation` (titre, propriétaire, dernier message) écrit par
// la plateforme au nom de l'utilisateur, et ses messages (format du Vercel AI SDK) ajoutés à la table ai_message.
import { sql } from 'kysely';
import type { ModelMessage } from 'ai';
import { systemContext, type RequestContext } from '../../engine/context.js';
import type { RecordService, Row } from '../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import { notFound } from '../../errors/problem.js';

export interface ConversationStoreDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
}

const ENTITY = 'ai_conversation';
const TITLE_LENGTH = 80;

export class ConversationStore {
  constructor(private readonly deps: ConversationStoreDeps) {}

  /** La conversation de l'utilisateur (404 pour celle d'un autre : son existence n'est pas révélée). */
  async get(ctx: RequestContext, id: string): Promise<Row> {
    const { records, tenantTx } = this.deps;
    const { system, catalog, model } = await this.scope(ctx);
    const rows = await tenantTx(system, (trx) => records.list(trx, system, catalog, model, { filter: { and: [{ id }, { user: ctx.userId }] }, limit: 1 }));
    if (!rows.data[0]) throw notFound('No such conversation');
    return rows.data[0];
  }

  async list(ctx: RequestContext, limit = 50): Promise<Row[]> {
    const { records, tenantTx } = this.deps;
    const { system, catalog, model } = await this.scope(ctx);
    const rows = await tenantTx(system, (trx) => records.list(trx, system, catalog, model, { filter: { user: ctx.userId }, sort: '-lastMessageAt', limit }));
    return rows.data;
  }

  async start(ctx: RequestContext, id: string, firstMessage: string): Promise<void> {
    const { records, tenantTx } = this.deps;
    const { system, catalog, model } = await this.scope(ctx);
    const title = firstMessage.replace(/\s+/g, ' ').trim().slice(0, TITLE_LENGTH) || '…';
    await tenantTx(system, (trx) => records.create(trx, system, catalog, model, { id, title, lastMessageAt: new Date().toISOString() }), { write: true });
  }

  async messages(ctx: RequestContext, conversationId: string): Promise<ModelMessage[]> {
    const { rows } = await this.deps.tenantTx(ctx, (trx) => sql<{ message: ModelMessage }>`
      SELECT message FROM ai_message WHERE conversation_id = ${conversationId} ORDER BY id`.execute(trx), { singleStatement: true });
    return rows.map((r) => r.message);
  }

  async append(ctx: RequestContext, conversationId: string, messages: ModelMessage[]): Promise<void> {
    const { records, tenantTx } = this.deps;
    const { system, catalog, model } = await this.scope(ctx);
    await tenantTx(system, async (trx) => {
      await sql`INSERT INTO ai_message (tenant_id, conversation_id, message)
        SELECT ${ctx.tenantId}, ${conversationId}, m FROM jsonb_array_elements(${JSON.stringify(messages)}::jsonb) AS m`.execute(trx);
      await records.update(trx, system, catalog, model, conversationId, { lastMessageAt: new Date().toISOString() });
    }, { write: true });
  }

  /** Contexte de la plateforme au nom de l'utilisateur (l'entité est personnelle ; la plateforme l'écrit pour lui). */
  private async scope(ctx: RequestContext) {
    const catalog = await this.deps.catalog(ctx.tenantId);
    const model = catalog.get(ENTITY)!;
    return { system: { ...systemContext(ctx.tenantId, ctx.requestId, ctx.userId), locale: ctx.locale }, catalog, model };
  }
}
