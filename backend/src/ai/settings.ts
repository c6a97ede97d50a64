// Réglages de l'IA, par plateforme et par tenant (un tenant qui pose sa liste de fournisseurs n'utilise qu'elle) :
// fournisseurs et modèles, clés (scellées), routage par fonction, droit d'appeler des fournisseurs externes.
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../config/registry.js';
import { OPTIMISE_SETTINGS } from './local/optimise/settings.js';
import { RECOMMEND_SETTINGS } from './local/recommend/settings.js';
import { GRAPH_SETTINGS } from './local/graph/settings.js';
import { PROCESS_SETTINGS } from './local/process/settings.js';
import { FORECAST_SETTINGS } from './local/forecast/settings.js';
import { ANOMALY_SETTINGS } from './local/anomaly/settings.js';

export const AI_PROVIDER_KINDS = ['openai', 'anthropic', 'mistral', 'openai-compatible', 'ollama'] as const;
export type AiProviderKind = (typeof AI_PROVIDER_KINDS)[number];

/** Fonctions qui appellent un modèle ; chacune a sa liste ordonnée de fournisseurs (repli sur le suivant). */
export const AI_FEATURES = ['assistant', 'automation', 'embeddings', 'vision', 'transcription', 'suggestions', 'ocr'] as const;
export type AiFeature = (typeof AI_FEATURES)[number];

const NAME = '^[a-z][a-z0-9_-]{0,31}$';

export const AI_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.providers', scope: 'tenant', default: [],
    label: { en: 'AI providers', fr: 'Fournisseurs d’IA' },
    description: {
      en: 'Kinds: openai, anthropic, mistral, ollama (its native API; baseUrl such as http://host:11434/api), openai-compatible (Llama through vLLM, llama.cpp, Groq, Together, any custom endpoint). Mark on-premises servers “external: false”. embeddingModel (openai, mistral, ollama, openai-compatible) and transcriptionModel (openai, openai-compatible) enable embeddings and speech-to-text. Keys go in ai.providerKeys. Costs per million tokens (input, output) feed the accounting.',
      fr: 'Genres : openai, anthropic, mistral, ollama (son API native ; baseUrl du type http://hôte:11434/api), openai-compatible (Llama via vLLM, llama.cpp, Groq, Together, tout point d’accès compatible). Marquez les serveurs internes « external: false ». embeddingModel (openai, mistral, ollama, openai-compatible) et transcriptionModel (openai, openai-compatible) ouvrent les plongements et la transcription de la voix. Les clés vont dans ai.providerKeys. Les coûts par million de jetons (entrée, sortie) alimentent la comptabilité.',
    },
    schema: {
      type: 'array', maxItems: 20,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'kind', 'chatModel'],
        properties: {
          name: { type: 'string', pattern: NAME },
          kind: { type: 'string', enum: [...AI_PROVIDER_KINDS] },
          baseUrl: { type: 'string', maxLength: 500, pattern: '^(https?://.+)?$' },
          chatModel: { type: 'string', minLength: 1, maxLength: 200 },
          embeddingModel: { type: 'string', maxLength: 200 },
          transcriptionModel: { type: 'string', maxLength: 200 },
          timeoutSeconds: { type: 'integer', minimum: 1, maximum: 600 },
          external: { type: 'boolean' },
          inputCostPerMillion: { type: 'number', minimum: 0, maximum: 10000 },
          outputCostPerMillion: { type: 'number', minimum: 0, maximum: 10000 },
        },
      },
    },
  }),
  defineSetting({
    key: 'ai.providerKeys', scope: 'tenant', secret: true, default: {},
    label: { en: 'AI provider keys', fr: 'Clés des fournisseurs d’IA' },
    description: { en: 'Provider name → API key; sealed at rest.', fr: 'Nom du fournisseur → clé d’API ; chiffrées au repos.' },
    schema: { type: 'object', maxProperties: 20, propertyNames: { pattern: NAME }, additionalProperties: { type: 'string', maxLength: 500 } },
  }),
  defineSetting({
    key: 'ai.routing', scope: 'tenant', default: {},
    label: { en: 'AI providers by feature', fr: 'Fournisseurs d’IA par fonction' },
    description: {
      en: 'Feature (assistant, automation, embeddings, vision, transcription, suggestions — the AI suggestions on fields of record forms) → provider names in order; the next one is tried when one fails. Without an entry: every provider, in list order.',
      fr: 'Fonction (assistant, automation, embeddings, vision, transcription, suggestions — les suggestions d’IA sur les champs des fiches) → noms des fournisseurs dans l’ordre ; le suivant est essayé quand l’un échoue. Sans entrée : tous les fournisseurs, dans l’ordre de la liste.',
    },
    schema: {
      type: 'object', additionalProperties: false,
      properties: Object.fromEntries(AI_FEATURES.map((f) => [f, { type: 'array', maxItems: 20, items: { type: 'string', pattern: NAME } }])),
    },
  }),
  defineSetting({
    key: 'ai.externalProviders', scope: 'tenant', schema: { type: 'boolean' }, default: true,
    label: { en: 'External AI providers allowed', fr: 'Fournisseurs d’IA externes permis' },
    description: {
      en: 'Off: only providers marked “external: false” (on-premises) receive this tenant’s data.',
      fr: 'Désactivé : seuls les fournisseurs marqués « external: false » (internes) reçoivent les données de ce tenant.',
    },
  }),
  defineSetting({
    key: 'ai.retries', scope: 'tenant', schema: { type: 'integer', minimum: 0, maximum: 5 }, default: 2,
    label: { en: 'Retries of a failed AI call on the same provider (with backoff)', fr: 'Nouvelles tentatives d’un appel d’IA échoué chez le même fournisseur (avec délai croissant)' },
  }),
  defineSetting({
    key: 'ai.budgets', scope: 'tenant', default: {},
    label: { en: 'AI budgets (per calendar month)', fr: 'Budgets d’IA (par mois civil)' },
    description: {
      en: 'Tokens for the whole tenant (monthlyTokens), for each user (monthlyTokensPerUser), for each feature (features.assistant…), and cost (monthlyCost, in the providers’ cost unit). Absent: no limit. A call beyond a limit is refused (429).',
      fr: 'Jetons pour tout le tenant (monthlyTokens), pour chaque utilisateur (monthlyTokensPerUser), par fonction (features.assistant…), et coût (monthlyCost, dans l’unité des coûts des fournisseurs). Absent : pas de limite. Un appel au-delà d’une limite est refusé (429).',
    },
    schema: {
      type: 'object', additionalProperties: false,
      properties: {
        monthlyTokens: { type: 'integer', minimum: 0 },
        monthlyTokensPerUser: { type: 'integer', minimum: 0 },
        monthlyCost: { type: 'number', minimum: 0 },
        features: {
          type: 'object', additionalProperties: false,
          properties: Object.fromEntries(AI_FEATURES.map((f) => [f, { type: 'integer', minimum: 0 }])),
        },
      },
    },
  }),
  defineSetting({
    key: 'ai.requestLog', scope: 'tenant', default: 'usage',
    schema: { type: 'string', enum: ['usage', 'redacted', 'content'] },
    label: { en: 'AI request log', fr: 'Journal des requêtes d’IA' },
    description: {
      en: 'usage: tokens, cost and duration only; redacted: also prompts and answers with e-mail addresses, phone numbers, IBANs and card numbers masked; content: prompts and answers as sent.',
      fr: 'usage : jetons, coût et durée seulement ; redacted : aussi les prompts et les réponses, adresses e-mail, numéros de téléphone, IBAN et numéros de carte masqués ; content : prompts et réponses tels qu’envoyés.',
    },
  }),
  defineSetting({
    key: 'ai.browserSpeech', scope: 'tenant', schema: { type: 'boolean' }, default: true,
    label: { en: 'Dictation may use the browser’s speech recognition', fr: 'La dictée peut utiliser la reconnaissance vocale du navigateur' },
    description: {
      en: 'Off: dictation always records the voice and sends it to the provider routed for transcription (the browser’s recognition may send the audio to the browser vendor).',
      fr: 'Désactivé : la dictée enregistre toujours la voix et l’envoie au fournisseur routé pour la transcription (la reconnaissance du navigateur peut envoyer le son à l’éditeur du navigateur).',
    },
  }),
  defineSetting({
    key: 'ai.assistantMaxSteps', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 20 }, default: 8,
    label: { en: 'Assistant: model calls per question at most (each tool result calls the model again)', fr: 'Assistant : appels au modèle par question au plus (chaque résultat d’outil rappelle le modèle)' },
  }),
  defineSetting({
    key: 'ai.assistantDisabledTools', scope: 'tenant',
    schema: { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } }, default: [],
    label: { en: 'Assistant and MCP: tools not offered', fr: 'Assistant et MCP : outils non proposés' },
    description: {
      en: 'Tool names (search_records, forecast_series, read_document…). Each offered tool adds its definition to every question sent to the provider: leaving out the unused ones shortens the prompt.',
      fr: 'Noms d’outils (search_records, forecast_series, read_document…). Chaque outil proposé ajoute sa définition à chaque question envoyée au fournisseur : écarter ceux qui ne servent pas raccourcit le prompt.',
    },
  }),
  defineSetting({
    key: 'ai.assistantHistoryTokens', scope: 'tenant', schema: { type: 'integer', minimum: 500, maximum: 200000 }, default: 12000,
    label: { en: 'Assistant: conversation history sent with a question (tokens, oldest messages dropped first)', fr: 'Assistant : historique de conversation envoyé avec une question (jetons, les plus anciens messages retirés d’abord)' },
  }),
  ...GRAPH_SETTINGS,
  ...PROCESS_SETTINGS,
  ...RECOMMEND_SETTINGS,
  ...OPTIMISE_SETTINGS,
  ...FORECAST_SETTINGS,
  ...ANOMALY_SETTINGS,
];
