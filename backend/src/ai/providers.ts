// Fournisseurs d'IA configurés : lecture des réglages du tenant (repli sur ceux de la plateforme), choix et ordre
// selon la fonction, et modèle du Vercel AI SDK dont chaque requête passe par la politique des connexions sortantes.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel, TranscriptionModel } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { Settings } from '../config/settings.js';
import type { AiFeature, AiProviderKind } from './settings.js';

export interface AiProviderConfig {
  name: string;
  kind: AiProviderKind;
  baseUrl?: string;
  chatModel: string;
  embeddingModel?: string;
  transcriptionModel?: string;
  timeoutSeconds?: number;
  /** faux : serveur interne, permis quand le tenant refuse les fournisseurs externes */
  external?: boolean;
  /** coût d'un million de jetons envoyés et reçus (comptabilité, budget en coût) */
  inputCostPerMillion?: number;
  outputCostPerMillion?: number;
}

/** Fournisseur prêt à l'appel : sa configuration et sa clé. */
export interface AiProvider extends AiProviderConfig {
  apiKey: string | undefined;
}

/** Délai d'un appel sans réglage du fournisseur : une réponse longue en flux tient dans ce temps. */
const DEFAULT_TIMEOUT_SECONDS = 120;

export const timeoutMs = (provider: AiProviderConfig): number => (provider.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;

/** Fournisseurs à essayer pour cette fonction, dans l'ordre ; vide si aucun n'est configuré ou permis. */
export async function providersFor(settings: Settings, tenantId: string, feature: AiFeature): Promise<AiProvider[]> {
  const audience = { tenantId };
  const [configured, keys, routing, externalAllowed] = await Promise.all([
    settings.value<AiProviderConfig[]>('ai.providers', audience),
    settings.value<Record<string, string>>('ai.providerKeys', audience),
    settings.value<Partial<Record<AiFeature, string[]>>>('ai.routing', audience),
    settings.value<boolean>('ai.externalProviders', audience),
  ]);
  const byName = new Map(configured.map((p) => [p.name, p]));
  const order = routing[feature] ?? configured.map((p) => p.name);
  return order
    .map((name) => byName.get(name))
    .filter((p): p is AiProviderConfig => p !== undefined && (externalAllowed || p.external === false))
    .map((p) => ({ ...p, apiKey: keys[p.name] || undefined }));
}

/** Modèle de conversation du fournisseur ; `fetch` est la requête gardée par la politique sortante. */
export function chatModel(provider: AiProvider, fetch: typeof globalThis.fetch): LanguageModel {
  const baseURL = provider.baseUrl || undefined;
  const { apiKey } = provider;
  switch (provider.kind) {
    case 'openai':
      // API « chat completions » : celle que parlent aussi les serveurs compatibles
      return createOpenAI({ baseURL, apiKey, fetch }).chat(provider.chatModel);
    case 'anthropic':
      return createAnthropic({ baseURL, apiKey, fetch })(provider.chatModel);
    case 'mistral':
      return createMistral({ baseURL, apiKey, fetch })(provider.chatModel);
    case 'openai-compatible':
      if (!baseURL) throw new Error(`AI provider ${provider.name}: an openai-compatible provider needs a baseUrl`);
      return createOpenAICompatible({ name: provider.name, baseURL, apiKey, fetch, includeUsage: true })(provider.chatModel);
    case 'ollama':
      // API native d'Ollama (/api/chat, flux NDJSON) ; sans adresse, le serveur local par défaut
      return createOllama({ baseURL, fetch, headers: bearer(apiKey) })(provider.chatModel);
  }
}

/** Modèle de plongements du fournisseur ; absent si le genre n'en offre pas (Anthropic) ou s'il n'est pas réglé. */
export function embeddingModel(provider: AiProvider, fetch: typeof globalThis.fetch): EmbeddingModel | undefined {
  const { embeddingModel: model, apiKey } = provider;
  const baseURL = provider.baseUrl || undefined;
  if (!model) return undefined;
  switch (provider.kind) {
    case 'openai':
      return createOpenAI({ baseURL, apiKey, fetch }).embedding(model);
    case 'mistral':
      return createMistral({ baseURL, apiKey, fetch }).embedding(model);
    case 'openai-compatible':
      return baseURL ? createOpenAICompatible({ name: provider.name, baseURL, apiKey, fetch }).embeddingModel(model) : undefined;
    case 'ollama':
      return createOllama({ baseURL, fetch, headers: bearer(apiKey) }).embedding(model);
    case 'anthropic':
      return undefined;
  }
}

/**
 * Modèle de transcription : l'API `audio/transcriptions` d'OpenAI, que parlent aussi les serveurs compatibles
 * (faster-whisper, vLLM, LocalAI…) ; absent pour les autres genres ou sans modèle réglé.
 */
export function transcriptionModel(provider: AiProvider, fetch: typeof globalThis.fetch): TranscriptionModel | undefined {
  const { transcriptionModel: model, apiKey } = provider;
  const baseURL = provider.baseUrl || undefined;
  if (!model || (provider.kind !== 'openai' && provider.kind !== 'openai-compatible')) return undefined;
  if (provider.kind === 'openai-compatible' && !baseURL) return undefined;
  // un serveur interne se passe souvent de clé, que le client d'OpenAI exige : clé vide, en-tête retiré
  const keyless = provider.kind === 'openai-compatible' && !apiKey;
  return createOpenAI({ baseURL, apiKey: keyless ? '' : apiKey, fetch: keyless ? withoutAuthorization(fetch) : fetch }).transcription(model);
}

/** Ollama n'a pas de clé ; un mandataire devant lui peut en demander une. */
const bearer = (apiKey: string | undefined): Record<string, string> | undefined => (apiKey ? { Authorization: `Bearer ${apiKey}` } : undefined);

function withoutAuthorization(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    return fetch(input, { ...init, headers });
  };
}
