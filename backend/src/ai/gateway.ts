// Passerelle d'IA : une conversation (réponse en flux) auprès des fournisseurs routés pour la fonction, avec
// nouvelles tentatives chez chacun (délai croissant, par le SDK) puis repli sur le suivant tant que rien n'a encore
// été transmis à l'appelant. Toute requête passe par la politique des connexions sortantes (genre `ai`). Les budgets
// sont vérifiés avant l'appel et chaque appel est compté (AiUsage). Avec des outils, le modèle enchaîne les étapes
// (appel d'outil → résultat → suite) jusqu'à `maxSteps`.
import { jsonSchema, Output, stepCountIs, streamText, type JSONSchema7, type ModelMessage, type ToolSet } from 'ai';
import type { Settings } from '../config/settings.js';
import type { Outbound } from '../services/outbound/outbound.js';
import { chatModel, providersFor, timeoutMs, type AiProvider } from './providers.js';
import type { AiFeature } from './settings.js';
import type { AiUsage, UsageAudience } from './usage.js';

export interface AiGatewayDeps {
  settings: Settings;
  outbound: Pick<Outbound, 'fetch'>;
  usage: AiUsage;
}

export interface ToolCallEvent {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface ChatRequest extends UsageAudience {
  system?: string;
  messages: ModelMessage[];
  /** outils offerts au modèle ; leurs entrées sont validées par leur schéma avant l'exécution */
  tools?: ToolSet;
  /** étapes au plus (chaque résultat d'outil relance le modèle) ; 1 sans outils */
  maxSteps?: number;
  /** réponse structurée : un objet JSON conforme à ce schéma (sortie structurée du fournisseur), validé */
  schema?: JSONSchema7;
  /** chaque morceau de texte, dès qu'il arrive */
  onText?: (delta: string) => void;
  onToolCall?: (call: ToolCallEvent) => void;
  onToolResult?: (call: ToolCallEvent & { output: unknown; error?: string }) => void;
  signal?: AbortSignal;
}

export interface ChatResult {
  text: string;
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  /** messages produits (texte, appels d'outils et leurs résultats), à ajouter à l'historique */
  responseMessages: ModelMessage[];
  /** objet de la réponse structurée (avec `schema`) */
  object?: unknown;
  /** fournisseurs essayés avant celui qui a répondu, avec leur erreur */
  failures: Array<{ provider: string; error: string }>;
}

/** Aucun fournisseur configuré ou permis pour cette fonction, ou tous ont échoué. */
export class AiUnavailableError extends Error {
  override name = 'AiUnavailableError';

  constructor(readonly feature: AiFeature, readonly failures: ChatResult['failures']) {
    super(failures.length
      ? `No AI provider answered for ${feature}: ${failures.map((f) => `${f.provider}: ${f.error}`).join('; ')}`
      : `No AI provider is configured or allowed for ${feature} (settings ai.providers, ai.routing, ai.externalProviders)`);
  }
}

export class AiGateway {
  constructor(private readonly deps: AiGatewayDeps) {}

  async chat(request: ChatRequest): Promise<ChatResult> {
    const { usage } = this.deps;
    await usage.assertWithinBudget(request);
    const providers = await providersFor(this.deps.settings, request.tenantId, request.feature);
    const retries = await this.deps.settings.value<number>('ai.retries', { tenantId: request.tenantId });
    const failures: ChatResult['failures'] = [];
    const prompt = { system: request.system, messages: request.messages };
    for (const provider of providers) {
      let started = false;
      const startedAt = performance.now();
      try {
        const result = await this.stream(provider, request, retries, () => (started = true));
        await usage.record(request, { status: 'ok', provider, ...result.usage, durationMs: performance.now() - startedAt, prompt, response: result.text });
        return { ...result, failures };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await usage.record(request, { status: 'failed', provider, inputTokens: 0, outputTokens: 0, durationMs: performance.now() - startedAt, error: reason, prompt });
        // une réponse déjà commencée (texte transmis, outil exécuté) ne se reprend pas ailleurs
        if (started || request.signal?.aborted) throw error;
        failures.push({ provider: provider.name, error: reason });
      }
    }
    throw new AiUnavailableError(request.feature, failures);
  }

  private async stream(provider: AiProvider, request: ChatRequest, maxRetries: number, onStart: () => void) {
    const signals = [AbortSignal.timeout(timeoutMs(provider)), ...(request.signal ? [request.signal] : [])];
    const result = streamText({
      model: chatModel(provider, this.guardedFetch()),
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      ...(request.schema ? { output: Output.object({ schema: jsonSchema(request.schema) }) } : {}),
      stopWhen: stepCountIs(request.maxSteps ?? 1),
      maxRetries,
      abortSignal: AbortSignal.any(signals),
      // l'erreur arrive aussi dans le flux, où elle est traitée (repli) : pas d'écriture sur la console
      onError: () => undefined,
    });
    let text = '';
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'error':
          throw part.error;
        case 'abort':
          // délai du fournisseur dépassé (ou appelant parti) : rien de plus ne viendra
          throw new Error(`aborted after ${timeoutMs(provider)} ms or by the caller`);
        case 'text-delta':
          if (!part.text) break;
          onStart();
          text += part.text;
          request.onText?.(part.text);
          break;
        case 'tool-call':
          onStart();
          request.onToolCall?.({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
          break;
        case 'tool-result':
          request.onToolResult?.({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input, output: part.output });
          break;
        case 'tool-error':
          request.onToolResult?.({
            toolCallId: part.toolCallId, toolName: part.toolName, input: part.input, output: undefined,
            error: part.error instanceof Error ? part.error.message : String(part.error),
          });
          break;
      }
    }
    const [usage, response] = await Promise.all([result.totalUsage, result.response]);
    return {
      text, provider: provider.name, model: provider.chatModel,
      usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
      responseMessages: response.messages,
      ...(request.schema ? { object: await result.output } : {}),
    };
  }

  /** `fetch` du SDK : chaque appel passe par la garde sortante (adresse résolue et vérifiée à chaque connexion). */
  private guardedFetch(): typeof globalThis.fetch {
    const { outbound } = this.deps;
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return outbound.fetch('ai', url, init as Parameters<Outbound['fetch']>[2]);
    }) as typeof globalThis.fetch;
  }
}
