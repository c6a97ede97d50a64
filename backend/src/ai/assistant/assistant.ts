// Assistant : une question de l'utilisateur dans une conversation. Historique borné par un budget de jetons, consignes
// et outils générés pour CET utilisateur, réponse en flux (texte, appels d'outils, citations, propositions), puis
// messages gardés dans la conversation.
import type { ModelMessage } from 'ai';
import { v7 as uuidv7 } from 'uuid';
import type { Settings } from '../../config/settings.js';
import type { RequestContext } from '../../engine/context.js';
import type { Row } from '../../engine/crud/service.js';
import type { CatalogFor } from '../../engine/tenant-work.js';
import type { FileService } from '../../services/files/file-service.js';
import type { AiGateway, ChatResult } from '../gateway.js';
import { attachedImages } from './attachments.js';
import type { ConversationStore } from './conversations.js';
import { systemPrompt } from './prompt.js';
import type { Proposal } from './proposals.js';
import { assistantTools, offeredTools, recordLink, type AssistantToolDeps } from './tools.js';

export interface AssistantDeps extends AssistantToolDeps {
  gateway: Pick<AiGateway, 'chat'>;
  settings: Settings;
  catalogFor: CatalogFor;
  conversations: ConversationStore;
  files: Pick<FileService, 'find' | 'store' | 'list'>;
}

export type AssistantEvent =
  | { type: 'conversation'; id: string }
  | { type: 'text'; delta: string }
  | { type: 'tool-call'; id: string; name: string; input: unknown }
  | { type: 'tool-result'; id: string; name: string; error?: string }
  | { type: 'citation'; entity: string; id: string; label: string; link: string }
  | { type: 'proposal'; proposal: Pick<Proposal, 'id' | 'action' | 'entity' | 'recordId' | 'data' | 'summary'> }
  | { type: 'navigate'; link: string }
  | { type: 'done'; provider: string; model: string; usage: ChatResult['usage']; durationMs: number };

export interface AskRequest {
  ctx: RequestContext;
  message: string;
  conversationId?: string;
  /** images du gestionnaire de fichiers jointes à la question (vision) */
  attachments?: string[];
  onEvent: (event: AssistantEvent) => void;
  signal?: AbortSignal;
}

/** Estimation grossière (4 caractères par jeton) : assez pour borner l'historique sans tokeniseur par fournisseur. */
const tokensOf = (message: ModelMessage) => Math.ceil(JSON.stringify(message.content).length / 4);

/** Derniers messages qui tiennent dans le budget, à partir d'une question de l'utilisateur (jamais d'un résultat orphelin). */
export function truncateHistory(history: ModelMessage[], budget: number): ModelMessage[] {
  let used = 0;
  let start = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    used += tokensOf(history[i]!);
    if (used > budget) break;
    start = i;
  }
  while (start < history.length && history[start]!.role !== 'user') start++;
  return history.slice(start);
}

export class Assistant {
  constructor(private readonly deps: AssistantDeps) {}

  async ask(request: AskRequest): Promise<{ conversationId: string; text: string; usage: ChatResult['usage'] }> {
    const { ctx } = request;
    const { conversations, settings, records } = this.deps;
    const startedAt = performance.now();
    const catalog = await this.deps.catalogFor(ctx);
    const existing = request.conversationId;
    if (existing) await conversations.get(ctx, existing);
    const [historyBudget, maxSteps] = await Promise.all([
      settings.value<number>('ai.assistantHistoryTokens', { tenantId: ctx.tenantId }),
      settings.value<number>('ai.assistantMaxSteps', { tenantId: ctx.tenantId }),
    ]);
    const images = request.attachments?.length ? await attachedImages(this.deps.files, ctx, request.attachments) : undefined;
    const history = existing ? truncateHistory(await conversations.messages(ctx, existing), historyBudget) : [];
    // une nouvelle conversation n'est gardée qu'après une réponse (un refus de budget n'en laisse pas de vide)
    const conversationId = existing ?? uuidv7();
    let announced = false;
    const onEvent = (event: AssistantEvent) => {
      if (!announced) {
        announced = true;
        request.onEvent({ type: 'conversation', id: conversationId });
      }
      request.onEvent(event);
    };

    const cited = new Set<string>();
    const tools = await offeredTools(assistantTools(this.deps, {
      ctx, catalog, conversationId,
      sink: {
        cite: (entity, row) => {
          const id = String(row.id);
          if (cited.has(`${entity}/${id}`)) return;
          cited.add(`${entity}/${id}`);
          const model = catalog.get(entity);
          const label = model?.display && row[model.display] != null ? String(row[model.display]) : id;
          onEvent({ type: 'citation', entity, id, label, link: recordLink(entity, id) });
        },
        proposed: (p) => onEvent({ type: 'proposal', proposal: p }),
        navigate: (link) => onEvent({ type: 'navigate', link }),
      },
    }), settings, ctx.tenantId);
    // le modèle voit les images ; l'historique garde la question et le nom des images
    const question: ModelMessage = { role: 'user', content: images ? `${request.message}\n[${images.names.join(', ')}]` : request.message };
    const asked: ModelMessage = images ? { role: 'user', content: [{ type: 'text', text: request.message }, ...images.parts] } : question;
    const result = await this.deps.gateway.chat({
      tenantId: ctx.tenantId, userId: ctx.userId, feature: 'assistant', locale: ctx.locale, requestId: ctx.requestId,
      system: systemPrompt(ctx, catalog, (name) => records.allowed(ctx, catalog, name, 'read')),
      messages: [...history, asked],
      tools, maxSteps,
      signal: request.signal,
      onText: (delta) => onEvent({ type: 'text', delta }),
      onToolCall: (call) => onEvent({ type: 'tool-call', id: call.toolCallId, name: call.toolName, input: call.input }),
      onToolResult: (call) => onEvent({ type: 'tool-result', id: call.toolCallId, name: call.toolName, ...(call.error ? { error: call.error } : {}) }),
    });
    if (!existing) await conversations.start(ctx, conversationId, request.message);
    await conversations.append(ctx, conversationId, [question, ...result.responseMessages]);
    onEvent({ type: 'done', provider: result.provider, model: result.model, usage: result.usage, durationMs: Math.round(performance.now() - startedAt) });
    return { conversationId, text: result.text, usage: result.usage };
  }

  conversations(ctx: RequestContext): Promise<Row[]> {
    return this.deps.conversations.list(ctx);
  }

  /** Conversation de l'utilisateur avec ses messages (texte, appels d'outils et leurs résultats). */
  async conversation(ctx: RequestContext, id: string): Promise<Row & { messages: ModelMessage[] }> {
    const row = await this.deps.conversations.get(ctx, id);
    return { ...row, messages: await this.deps.conversations.messages(ctx, id) };
  }
}
