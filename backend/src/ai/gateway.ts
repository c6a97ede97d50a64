// Passerelle d'IA : une conversation (réponse en flux) auprès des fournisseurs routés pour la fonction, avec
// nouvelles tentatives chez chacun (délai croissant, par le SDK) puis repli sur le suivant tant que rien n'a encore
// été transmis à l'appelant. Toute requête passe par la politique des connexions sortantes (genre `ai`).
import { streamText, type ModelMessage } from 'ai';
import type { Settings } from '../config/settings.js';
import type { Outbound } from '../services/outbound/outbound.js';
import { chatModel, providersFor, timeoutMs, type AiProvider } from './providers.js';
import type { AiFeature } from './settings.js';

export interface AiGatewayDeps {
  settings: Settings;
  outbound: Pick<Outbound, 'fetch'>;
}

export interface ChatRequest {
  tenantId: string;
  feature: AiFeature;
  system?: string;
  messages: ModelMessage[];
  /** chaque morceau de texte, dès qu'il arrive */
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface ChatResult {
  text: string;
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
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
    const providers = await providersFor(this.deps.settings, request.tenantId, request.feature);
    const retries = await this.deps.settings.value<number>('ai.retries', { tenantId: request.tenantId });
    const failures: ChatResult['failures'] = [];
    for (const provider of providers) {
      let streamed = false;
      try {
        return { ...(await this.stream(provider, request, retries, () => (streamed = true))), failures };
      } catch (error) {
        // une réponse déjà commencée ne se reprend pas ailleurs : l'appelant en a reçu une partie
        if (streamed || request.signal?.aborted) throw error;
        failures.push({ provider: provider.name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    throw new AiUnavailableError(request.feature, failures);
  }

  private async stream(provider: AiProvider, request: ChatRequest, maxRetries: number, onFirstText: () => void) {
    const signals = [AbortSignal.timeout(timeoutMs(provider)), ...(request.signal ? [request.signal] : [])];
    const result = streamText({
      model: chatModel(provider, this.guardedFetch()),
      system: request.system,
      messages: request.messages,
      maxRetries,
      abortSignal: AbortSignal.any(signals),
      // l'erreur arrive aussi dans le flux, où elle est traitée (repli) : pas d'écriture sur la console
      onError: () => undefined,
    });
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
      // délai du fournisseur dépassé (ou appelant parti) : rien de plus ne viendra
      if (part.type === 'abort') throw new Error(`aborted after ${timeoutMs(provider)} ms or by the caller`);
      if (part.type === 'text-delta' && part.text) {
        if (!text) onFirstText();
        text += part.text;
        request.onText?.(part.text);
      }
    }
    const usage = await result.totalUsage;
    return {
      text, provider: provider.name, model: provider.chatModel,
      usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
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
