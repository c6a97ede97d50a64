// Passerelle d'IA : conversation (réponse en flux, images comprises), plongements et transcription de la voix auprès
// des fournisseurs routés pour la fonction, avec nouvelles tentatives chez chacun (délai croissant, par le SDK) puis
// repli sur le suivant tant que rien n'a encore été transmis à l'appelant. Toute requête passe par la politique des
// connexions sortantes (genre `ai`). Les budgets sont vérifiés avant l'appel et chaque appel est compté (AiUsage).
// Avec des outils, le modèle enchaîne les étapes (appel d'outil → résultat → suite) jusqu'à `maxSteps`.
import {
  embedMany, experimental_transcribe as transcribe, jsonSchema, Output, stepCountIs, streamText,
  type JSONSchema7, type ModelMessage, type ToolSet,
} from 'ai';
import type { Settings } from '../config/settings.js';
import { ProblemError } from '../errors/problem.js';
import { message, type Locale } from '../text/messages.js';
import type { Outbound } from '../services/outbound/outbound.js';
import { chatModel, embeddingModel, providersFor, timeoutMs, transcriptionModel, type AiProvider } from './providers.js';
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

/** Ce que toute réponse d'un fournisseur rapporte. */
export interface Answered {
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
}

export interface ChatResult extends Answered {
  text: string;
  /** messages produits (texte, appels d'outils et leurs résultats), à ajouter à l'historique */
  responseMessages: ModelMessage[];
  /** objet de la réponse structurée (avec `schema`) */
  object?: unknown;
  /** fournisseurs essayés avant celui qui a répondu, avec leur erreur */
  failures: Array<{ provider: string; error: string }>;
}

export interface EmbedRequest extends Omit<UsageAudience, 'feature'> {
  values: string[];
  signal?: AbortSignal;
}

export interface EmbedResult extends Answered {
  embeddings: number[][];
  failures: ChatResult['failures'];
}

export interface TranscribeRequest extends Omit<UsageAudience, 'feature'> {
  audio: Uint8Array;
  mediaType: string;
  signal?: AbortSignal;
}

export interface TranscribeResult extends Answered {
  text: string;
  language: string | null;
  durationSeconds: number | null;
  failures: ChatResult['failures'];
}

/** Un essai chez un fournisseur : sa réponse et ce qui en est journalisé. */
interface Attempt<T> {
  result: T & Answered;
  logged?: string;
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

/** Modèle d'un fournisseur pour chaque genre d'appel, s'il le sert (Anthropic n'a ni plongements ni transcription). */
const MODEL_FOR = {
  chat: (p: AiProvider) => p.chatModel,
  embeddings: (p: AiProvider) => (embeddingModel(p, fetch) ? p.embeddingModel : undefined),
  transcription: (p: AiProvider) => (transcriptionModel(p, fetch) ? p.transcriptionModel : undefined),
};

/** Indisponibilité en problème HTTP (503, message dans la langue de l'appelant) ; toute autre erreur passe telle quelle. */
export function asAiProblem(error: unknown, locale: Locale): unknown {
  return error instanceof AiUnavailableError ? new ProblemError(503, 'ai_unavailable', message(locale, 'ai_unavailable')) : error;
}

/** Ce que le tenant peut demander : une fonction est offerte si un fournisseur permis et capable lui est routé. */
export interface AiCapabilities {
  assistant: boolean;
  /** suggestions d'IA sur les champs des fiches */
  suggestions: boolean;
  vision: boolean;
  embeddings: boolean;
  transcription: boolean;
  /** la dictée peut passer par la reconnaissance vocale du navigateur */
  browserSpeech: boolean;
}

export class AiGateway {
  constructor(private readonly deps: AiGatewayDeps) {}

  async capabilities(tenantId: string): Promise<AiCapabilities> {
    const offered = async (feature: AiFeature, modelOf: (p: AiProvider) => string | undefined = MODEL_FOR.chat) =>
      (await providersFor(this.deps.settings, tenantId, feature)).some((p) => modelOf(p) !== undefined);
    const [assistant, suggestions, vision, embeddings, transcription, browserSpeech] = await Promise.all([
      offered('assistant'), offered('suggestions'), offered('vision'), offered('embeddings', MODEL_FOR.embeddings), offered('transcription', MODEL_FOR.transcription),
      this.deps.settings.value<boolean>('ai.browserSpeech', { tenantId }),
    ]);
    return { assistant, suggestions, vision, embeddings, transcription, browserSpeech };
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    return this.firstToAnswer(request, { system: request.system, messages: request.messages }, MODEL_FOR.chat, async (provider, retries, onStart) => {
      const result = await this.stream(provider, request, retries, onStart);
      return { result, logged: result.text };
    });
  }

  /** Plongements des textes (un vecteur par texte, dans l'ordre), chez le premier fournisseur routé qui en offre. */
  async embed(request: EmbedRequest): Promise<EmbedResult> {
    const audience = { ...request, feature: 'embeddings' as const };
    return this.firstToAnswer(audience, { values: request.values }, MODEL_FOR.embeddings, async (provider, maxRetries, onStart) => {
      const model = embeddingModel(provider, this.guardedFetch());
      if (!model) throw new Error(`${provider.kind} offers no embeddings`);
      const { embeddings, usage } = await embedMany({ model, values: request.values, maxRetries, abortSignal: this.signal(provider, request) });
      onStart();
      return { result: { embeddings, provider: provider.name, model: provider.embeddingModel!, usage: { inputTokens: usage.tokens, outputTokens: 0 } } };
    });
  }

  /** Texte d'un enregistrement sonore, chez le premier fournisseur routé pour la transcription. */
  async transcribe(request: TranscribeRequest): Promise<TranscribeResult> {
    const audience = { ...request, feature: 'transcription' as const };
    const prompt = { audio: { mediaType: request.mediaType, bytes: request.audio.byteLength } };
    return this.firstToAnswer(audience, prompt, MODEL_FOR.transcription, async (provider, maxRetries, onStart) => {
      const model = transcriptionModel(provider, this.guardedFetch());
      if (!model) throw new Error(`${provider.kind} offers no speech-to-text`);
      const result = await transcribe({ model, audio: request.audio, maxRetries, abortSignal: this.signal(provider, request) });
      onStart();
      return {
        result: {
          text: result.text, language: result.language ?? null, durationSeconds: result.durationInSeconds ?? null,
          provider: provider.name, model: provider.transcriptionModel!, usage: { inputTokens: 0, outputTokens: 0 },
        },
        logged: result.text,
      };
    });
  }

  /**
   * Budgets vérifiés, puis chaque fournisseur routé pour la fonction et capable (`modelOf` donne son modèle pour
   * elle, ou rien) dans l'ordre, jusqu'à la première réponse ; chaque essai est compté. Une réponse déjà commencée
   * (`onStart`) ne se reprend pas ailleurs.
   */
  private async firstToAnswer<T>(
    request: UsageAudience & { signal?: AbortSignal },
    prompt: unknown,
    modelOf: (provider: AiProvider) => string | undefined,
    attempt: (provider: AiProvider, retries: number, onStart: () => void) => Promise<Attempt<T>>,
  ): Promise<T & Answered & { failures: ChatResult['failures'] }> {
    const { usage } = this.deps;
    await usage.assertWithinBudget(request);
    const providers = (await providersFor(this.deps.settings, request.tenantId, request.feature)).filter((p) => modelOf(p) !== undefined);
    const retries = await this.deps.settings.value<number>('ai.retries', { tenantId: request.tenantId });
    const failures: ChatResult['failures'] = [];
    for (const provider of providers) {
      let started = false;
      const startedAt = performance.now();
      const durationMs = () => performance.now() - startedAt;
      let answer: Attempt<T>;
      try {
        answer = await attempt(provider, retries, () => (started = true));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.recordFailure(request, { status: 'failed', provider, model: modelOf(provider), inputTokens: 0, outputTokens: 0, durationMs: durationMs(), error: reason, prompt });
        if (started || request.signal?.aborted) throw error;
        failures.push({ provider: provider.name, error: reason });
        continue;
      }
      const { result } = answer;
      await usage.record(request, { status: 'ok', provider, model: result.model, ...result.usage, durationMs: durationMs(), prompt, response: answer.logged });
      return { ...result, failures };
    }
    throw new AiUnavailableError(request.feature, failures);
  }

  /** Trace d'un échec ; si elle-même échoue, l'erreur du fournisseur reste celle qui est rapportée. */
  private async recordFailure(request: UsageAudience, entry: Parameters<AiUsage['record']>[1]): Promise<void> {
    await this.deps.usage.record(request, entry).catch(() => undefined);
  }

  /**
   * Délai du fournisseur, et départ de l'appelant. Pas d'`AbortSignal.any([AbortSignal.timeout(…)])` : le composite ne
   * tient ses sources que faiblement, et un délai ramassé par le ramasse-miettes ne se déclenche jamais (appel pendu).
   */
  private signal(provider: AiProvider, request: { signal?: AbortSignal }): AbortSignal {
    const controller = new AbortController();
    const ms = timeoutMs(provider);
    setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms).unref();
    request.signal?.addEventListener('abort', () => controller.abort(request.signal?.reason), { once: true });
    if (request.signal?.aborted) controller.abort(request.signal.reason);
    return controller.signal;
  }

  private async stream(provider: AiProvider, request: ChatRequest, maxRetries: number, onStart: () => void) {
    const result = streamText({
      model: chatModel(provider, this.guardedFetch()),
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      ...(request.schema ? { output: Output.object({ schema: jsonSchema(request.schema) }) } : {}),
      stopWhen: stepCountIs(request.maxSteps ?? 1),
      maxRetries,
      abortSignal: this.signal(provider, request),
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
