// Services de modèles de l'IA pour les applications : ce que le tenant offre (assistant, suggestions sur les champs,
// vision, plongements, transcription, dictée par le navigateur), plongements de textes et transcription d'un
// enregistrement de voix.
import type { FastifyInstance } from 'fastify';
import { buffer } from 'node:stream/consumers';
import { asAiProblem } from '../../ai/gateway.js';
import type { PlatformServices } from '../../core/services.js';
import { badRequest, ProblemError } from '../../errors/problem.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiModelRouteDeps = Pick<PlatformServices, 'ai'>;

const tags = ['ai'];
/** Limite de l'API de transcription d'OpenAI, que suivent les serveurs compatibles. */
export const MAX_AUDIO_MEGABYTES = 25;
export const MAX_EMBEDDING_INPUTS = 100;
export const MAX_EMBEDDING_LENGTH = 8000;

const ANSWERED = { provider: { type: 'string' }, model: { type: 'string' } };

const schemas = {
  capabilities: routeSchema({
    operationId: 'getAiCapabilities', tags, summary: 'AI features offered to the caller’s tenant (a provider allowed and able is routed to each)',
    responses: {
      200: {
        description: 'Capabilities',
        ...json({ type: 'object', properties: Object.fromEntries(['assistant', 'suggestions', 'vision', 'embeddings', 'transcription', 'browserSpeech'].map((k) => [k, { type: 'boolean' }])) }),
      },
    },
  }),
  embeddings: routeSchema({
    operationId: 'createAiEmbeddings', tags, summary: 'Embedding vectors of texts, from the provider routed for embeddings (budgeted and accounted)',
    body: {
      type: 'object', additionalProperties: false, required: ['input'],
      properties: {
        input: {
          oneOf: [
            { type: 'string', minLength: 1, maxLength: MAX_EMBEDDING_LENGTH },
            { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: { type: 'string', minLength: 1, maxLength: MAX_EMBEDDING_LENGTH } },
          ],
        },
      },
    },
    responses: {
      200: {
        description: 'One vector per input, in order',
        ...json({
          type: 'object',
          properties: {
            data: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, embedding: { type: 'array', items: { type: 'number' } } } } },
            ...ANSWERED, usage: { type: 'object', properties: { inputTokens: { type: 'integer' } } },
          },
        }),
      },
      ...problems(400, 429, 503),
    },
  }),
  transcriptions: routeSchema({
    operationId: 'createAiTranscription', tags, summary: `Text of a voice recording (multipart field "file", audio up to ${MAX_AUDIO_MEGABYTES} MB), from the provider routed for transcription`,
    requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
    responses: {
      200: {
        description: 'Transcript',
        ...json({ type: 'object', properties: { text: { type: 'string' }, language: { type: ['string', 'null'] }, durationSeconds: { type: ['number', 'null'] }, ...ANSWERED } }),
      },
      ...problems(400, 413, 415, 429, 503),
    },
  }),
};

export function registerAiModelRoutes(app: FastifyInstance, deps: AiModelRouteDeps): void {
  app.get('/api/v1/ai/capabilities', { schema: schemas.capabilities }, async (request) => deps.ai.capabilities(requireAuth(request).tenantId));

  app.post<{ Body: { input: string | string[] } }>('/api/v1/ai/embeddings', { schema: schemas.embeddings }, async (request) => {
    const ctx = requireAuth(request);
    const values = typeof request.body.input === 'string' ? [request.body.input] : request.body.input;
    const result = await deps.ai.embed({ tenantId: ctx.tenantId, userId: ctx.userId, locale: ctx.locale, requestId: ctx.requestId, values })
      .catch((error: unknown) => { throw asAiProblem(error, ctx.locale); });
    return {
      data: result.embeddings.map((embedding, index) => ({ index, embedding })),
      provider: result.provider, model: result.model, usage: { inputTokens: result.usage.inputTokens },
    };
  });

  app.post('/api/v1/ai/transcriptions', { schema: schemas.transcriptions }, async (request) => {
    const ctx = requireAuth(request);
    if (!request.isMultipart()) throw new ProblemError(415, 'unsupported_media_type', 'Send the recording as multipart/form-data (field "file")');
    const part = await request.file({ limits: { fileSize: MAX_AUDIO_MEGABYTES * 1024 * 1024 }, throwFileSizeLimit: false });
    if (!part) throw badRequest('validation_failed', 'No recording in the request (field "file")', [{ field: 'file', code: 'required', message: 'This field is required.' }]);
    const audio = await buffer(part.file);
    if (part.file.truncated) throw new ProblemError(413, 'payload_too_large', `Voice recordings are limited to ${MAX_AUDIO_MEGABYTES} MB`);
    // le type annoncé par le navigateur (audio/webm;codecs=opus…) ; le fournisseur reconnaît le format au contenu
    const mediaType = part.mimetype.split(';')[0]!.trim().toLowerCase();
    if (!mediaType.startsWith('audio/') && mediaType !== 'video/webm') {
      throw new ProblemError(415, 'unsupported_media_type', 'Send an audio recording (audio/webm, audio/ogg, audio/wav, audio/mpeg…)');
    }
    if (!audio.byteLength) throw badRequest('validation_failed', 'The recording is empty', [{ field: 'file', code: 'required', message: 'The recording is empty.' }]);
    const result = await deps.ai.transcribe({ tenantId: ctx.tenantId, userId: ctx.userId, locale: ctx.locale, requestId: ctx.requestId, audio, mediaType })
      .catch((error: unknown) => { throw asAiProblem(error, ctx.locale); });
    return { text: result.text, language: result.language, durationSeconds: result.durationSeconds, provider: result.provider, model: result.model };
  });
}
