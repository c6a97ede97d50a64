// Chemins OpenAPI des travaux d'import (l'envoi d'un fichier est décrit avec chaque entité : POST /api/v1/data/{entity}/import).
import { json, pathParameter, problems, ref, type Doc } from './path-helpers.js';

const tags = ['imports'];
const counts = { type: 'object', properties: Object.fromEntries(['rowsRead', 'created', 'updated', 'skipped', 'errors'].map((k) => [k, { type: 'integer' }])) };

export const IMPORT_JOB: Doc = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    entity: { type: 'string' },
    format: { enum: ['csv', 'json', 'xlsx'] },
    fileName: { type: 'string' },
    status: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
    options: { type: 'object' },
    progress: { type: 'object', properties: { bytes: { type: 'integer' }, totalBytes: { type: 'integer' }, percent: { type: 'integer' } } },
    counts,
    written: { type: 'boolean', description: 'the counted creations and updates are stored (false for a dry run or a rolled-back import)' },
    columns: { type: ['object', 'null'], properties: { mapped: { type: 'array', items: { type: 'object', properties: { column: { type: 'string' }, field: { type: 'string' } } } }, ignored: { type: 'array', items: { type: 'string' } } } },
    message: { type: ['string', 'null'] },
    cancelRequested: { type: 'boolean' },
    createdBy: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    links: { type: 'object', properties: { self: { type: 'string' }, errors: { type: 'string' }, events: { type: 'string' } } },
  },
};

const issue = { type: 'object', properties: { row: { type: 'integer' }, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, value: { type: ['string', 'null'] } } };

export const transferPaths: Doc = {
  '/api/v1/imports': {
    get: {
      tags, summary: 'Import jobs of the tenant, newest first (the caller’s own; all of them for administrators)',
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }, { name: 'before', in: 'query', schema: { type: 'string', format: 'date-time' } }],
      responses: { 200: { description: 'Jobs', ...json({ type: 'object', properties: { data: { type: 'array', items: ref('ImportJob') }, meta: { type: 'object' } } }) }, ...problems(400, 401) },
    },
  },
  '/api/v1/imports/{id}': {
    parameters: [pathParameter('id')],
    get: { tags, summary: 'State, progress and counts of an import job', responses: { 200: { description: 'Job', ...json(ref('ImportJob')) }, ...problems(401, 404) } },
  },
  '/api/v1/imports/{id}/cancel': {
    parameters: [pathParameter('id')],
    post: { tags, summary: 'Ask a queued or running import to stop after its current batch (all or nothing: nothing is written)', responses: { 200: { description: 'Job', ...json(ref('ImportJob')) }, ...problems(401, 404) } },
  },
  '/api/v1/imports/{id}/errors': {
    parameters: [pathParameter('id')],
    get: {
      tags, summary: 'Row and field errors of an import (JSON, or CSV to download)', parameters: [{ name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } }],
      responses: { 200: { description: 'Errors by row', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: issue } } } }, 'text/csv': { schema: { type: 'string' } } } }, ...problems(400, 401, 404) },
    },
  },
  '/api/v1/imports/{id}/events': {
    parameters: [pathParameter('id')],
    get: {
      tags, summary: 'Server-sent events: `progress` with the job at each change, then `end` with its final state',
      responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems(401, 404) },
    },
  },
};
