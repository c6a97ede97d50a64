// Lecture de documents (OCR local, extraction de facture) : lancer la lecture d'une pièce jointe (202, un travail),
// puis lire le brouillon et son état. La relecture et la confirmation passent par l'API des enregistrements
// (entité document_extraction : audit, permissions, suppression douce).
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiDocumentRouteDeps = Pick<PlatformServices, 'documents'>;

const confident = (value: object) => ({ type: 'object', properties: { value, confidence: { type: 'number', minimum: 0, maximum: 1 } } });
const text = { type: ['string', 'null'] };

const fieldsSchema = {
  type: ['object', 'null'],
  description: 'Extracted invoice fields, each { value, confidence }; amounts are exact decimal strings, dates ISO (YYYY-MM-DD)',
  properties: {
    supplier: confident(text), vatNumber: confident(text), number: confident(text), issueDate: confident(text), dueDate: confident(text),
    currency: confident(text), net: confident(text), vat: confident(text), gross: confident(text), iban: confident(text),
    vatLines: confident({
      type: ['array', 'null'],
      items: { type: 'object', properties: { rate: { type: 'string' }, base: text, amount: { type: 'string' } } },
    }),
  },
};

const extractionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'processing', 'draft', 'confirmed', 'rejected', 'failed'] },
    fileId: text, fileName: text, entity: text, recordId: text, supplier: text,
    supplierMatch: {
      type: ['object', 'null'], description: 'existing supplier the read one matches (by VAT number, IBAN or name), as the caller sees suppliers',
      properties: { id: { type: 'string' }, name: { type: 'string' }, confidence: { type: 'number' }, by: { type: 'string', enum: ['vatNumber', 'iban', 'name'] } },
    },
    fields: fieldsSchema,
    text, language: text,
    pages: { type: ['integer', 'null'] },
    confidence: { type: ['number', 'null'], description: 'mean OCR confidence of the pages (1 for a PDF text layer)' },
    durationMs: { type: ['integer', 'null'] },
    engine: text, jobId: text, error: text,
    version: { type: 'integer' },
  },
};

const startSchema = routeSchema({
  operationId: 'extractDocument', tags: ['ai'],
  summary: 'Read an attached image or PDF (OCR, PDF text layer first) and extract invoice fields into a draft to review',
  description: 'The file must be an attachment the caller can read and an image or a PDF within the limits of settings ai.local.documents.*; '
    + 'the caller must be allowed to create document_extraction records. Runs locally as a job: poll GET /ai/documents/{id} until the status is draft or failed. '
    + 'Review and confirm through the records API (PATCH /records/document_extraction/{id} with fields, supplier and status confirmed or rejected).',
  body: { type: 'object', additionalProperties: false, required: ['fileId'], properties: { fileId: uuidString } },
  responses: {
    202: {
      description: 'Draft created and reading queued',
      ...json({ type: 'object', properties: { id: { type: 'string' }, jobId: text, status: { type: 'string' } } }),
    },
    ...problems(400, 403, 404, 422),
  },
});

const getSchema = routeSchema({
  operationId: 'getDocumentExtraction', tags: ['ai'],
  summary: 'Status and result of a document reading: recognised text, extracted fields with their confidence, matching supplier',
  params: { type: 'object', required: ['id'], properties: { id: uuidString } },
  responses: { 200: { description: 'The extraction', ...json(extractionSchema) }, ...problems(403, 404) },
});

export function registerAiDocumentRoutes(app: FastifyInstance, deps: AiDocumentRouteDeps): void {
  app.post<{ Body: { fileId: string } }>('/api/v1/ai/documents', { schema: startSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const started = await deps.documents.start(ctx, request.body.fileId.toLowerCase());
    return reply.code(202).send(started);
  });

  app.get<{ Params: { id: string } }>('/api/v1/ai/documents/:id', { schema: getSchema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.documents.get(ctx, request.params.id.toLowerCase());
  });
}
