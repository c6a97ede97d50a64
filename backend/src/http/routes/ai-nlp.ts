// Analyse de texte locale (sans fournisseur) : langue, sentiment, mots-clés et entités nommées d'un texte, comme
// l'appelant ; analyses stockées des champs de texte d'un enregistrement qu'il peut lire.
import type { FastifyInstance } from 'fastify';
import { ENTITY_TYPES } from '../../ai/local/nlp/entity.js';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiNlpRouteDeps = Pick<PlatformServices, 'nlp'>;

/** Plafond technique du corps ; la limite réglée (`ai.local.nlp.maxChars`) est contrôlée par le service. */
const MAX_TEXT = 200_000;

const analysisProperties = {
  language: { type: 'string', enum: ['fr', 'en', 'und'] },
  sentiment: { type: 'object', properties: { score: { type: 'number', minimum: -1, maximum: 1 }, label: { type: 'string', enum: ['positive', 'negative', 'neutral'] } } },
  keywords: { type: 'array', items: { type: 'string' } },
  entities: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: [...ENTITY_TYPES] },
        text: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' },
        value: { description: 'amount: {amount, currency}; date: YYYY-MM-DD; email, phone: normalised' },
        match: { type: 'object', properties: { entity: { type: 'string' }, id: { type: 'string' }, label: { type: 'string' } } },
      },
    },
  },
} as const;

const analyseSchema = routeSchema({
  operationId: 'analyseText', tags: ['ai'],
  summary: 'Analyse a text locally: language, sentiment, keywords and named entities (parties and records matched as the caller, amounts, dates, e-mails, phones)',
  description: 'Runs without any AI provider (lexicons and trigram models shipped with the server). Parties (customers, suppliers… by name) and record '
    + 'references (eids such as customer-000123) are looked up with the caller’s rights: only records they may read are matched. '
    + 'Offsets are UTF-16 code units of the text. Texts longer than the setting ai.local.nlp.maxChars are refused (422).',
  body: {
    type: 'object', additionalProperties: false, required: ['text'],
    properties: {
      text: { type: 'string', maxLength: MAX_TEXT },
      locale: { type: 'string', enum: ['fr', 'en'], description: 'language to assume when the text is too short to tell' },
    },
  },
  responses: { 200: { description: 'The analysis', ...json({ type: 'object', properties: analysisProperties }) }, ...problems(400, 422) },
});

const recordSchema = routeSchema({
  operationId: 'getRecordTextAnalysis', tags: ['ai'],
  summary: 'Stored analyses of the text fields of a record (fields listed in the setting ai.local.nlp.fields, analysed after each write)',
  description: 'The record must be readable by the caller; analyses of fields hidden from them are left out, and matches to records they cannot read are removed.',
  params: {
    type: 'object', required: ['entity', 'id'],
    properties: { entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' }, id: uuidString },
  },
  responses: {
    200: {
      description: 'One analysis per analysed field',
      ...json({
        type: 'object',
        properties: {
          data: {
            type: 'array',
            items: { type: 'object', properties: { field: { type: 'string' }, analysedAt: { type: 'string', format: 'date-time' }, ...analysisProperties } },
          },
        },
      }),
    },
    ...problems(400, 404),
  },
});

export function registerAiNlpRoutes(app: FastifyInstance, deps: AiNlpRouteDeps): void {
  app.post<{ Body: { text: string; locale?: string } }>('/api/v1/ai/nlp/analyse', { schema: analyseSchema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.nlp.analyse(ctx, request.body.text, request.body.locale);
  });

  app.get<{ Params: { entity: string; id: string } }>('/api/v1/ai/nlp/records/:entity/:id', { schema: recordSchema }, async (request) => {
    const ctx = requireAuth(request);
    const analyses = await deps.nlp.forRecord(ctx, request.params.entity, request.params.id.toLowerCase());
    return { data: analyses.map(({ textHash: _hash, ...rest }) => rest) };
  });
}
