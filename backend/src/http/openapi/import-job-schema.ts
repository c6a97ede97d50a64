// Composant `ImportJob` du document OpenAPI : un travail d'import (état, progression, comptes, liens), tel que le
// renvoient les routes des imports (routes/imports.ts le référence par `#/components/schemas/ImportJob`).
import type { Doc } from './path-helpers.js';

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
