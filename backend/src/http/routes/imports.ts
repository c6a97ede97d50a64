// Import de fichiers (CSV, JSON, Excel) dans une entité : envoi, travail en arrière-plan, état, progression en direct
// (server-sent events), annulation et rapport d'erreurs téléchargeable.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { PlatformServices } from '../../core/services.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { receive, safeFileName } from '../../services/files/receive.js';
import { cell } from '../../services/import-export/export.js';
import { finished, type JobStatus } from '../../services/import-export/import-jobs.js';
import { importFormat, importOptions, type ImportOptionDeps, type ImportQuery } from '../../services/import-export/import-options.js';
import { requireAuth } from '../auth.js';
import { json, pageOf, problems, ref } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';
import { recordSchemas } from './record-schemas.js';
import { badRequest, ProblemError } from '../../errors/problem.js';

/** Services que ces routes utilisent. */
export type ImportRouteDeps = Pick<PlatformServices, 'catalogFor' | 'files' | 'imports' | 'records' | 'settings'> & ImportOptionDeps;

/** attente maximale d'un `wait=true` avant de répondre 202 avec l'état du moment */
const WAIT_MS = 120_000;
const POLL_MS = 500;

/** L'entité accepte l'import par l'appelant : droit d'import, de création, et de mise à jour pour l'upsert. */
function importModel(deps: ImportRouteDeps, ctx: RequestContext, catalog: Catalog, entity: string, mode: 'create' | 'upsert'): EntityModel {
  deps.records.entity(ctx, catalog, entity, 'import');
  deps.records.entity(ctx, catalog, entity, 'create');
  return deps.records.entity(ctx, catalog, entity, mode === 'upsert' ? 'update' : 'create');
}

async function sendJob(reply: FastifyReply, job: { status: JobStatus; id: string }): Promise<FastifyReply> {
  return reply.code(finished(job.status) ? 200 : 202).header('Location', `/api/v1/imports/${job.id}`).send(job);
}

// Description OpenAPI des travaux d'import (l'envoi d'un fichier est décrit avec chaque entité : POST /api/v1/data/{entity}/import).
// Identifiants de chemin non contraints : un id inconnu ou mal formé répond 404, comme avant.
const tags = ['imports'];
const JOB_ID = { type: 'object', properties: { id: { type: 'string', description: 'import job id' } }, required: ['id'] } as const;
const JOB = { 200: { description: 'Job', ...json(ref('ImportJob')) }, ...problems(404) };
const ISSUE = { type: 'object', properties: { row: { type: 'integer' }, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, value: { type: ['string', 'null'] } } };

const listJobsSchema = routeSchema({
  operationId: 'listImportJobs', tags, summary: 'Import jobs of the tenant, newest first (the caller’s own; all of them for administrators)',
  // lus par le gestionnaire (messages invalid_limit et invalid_cursor)
  parameters: [
    { name: 'limit', in: 'query', description: '1 to 500, 50 by default', schema: { type: 'integer', minimum: 1, maximum: 500 } },
    { name: 'before', in: 'query', description: 'cursor: meta.nextCursor of the previous page', schema: { type: 'string', format: 'date-time' } },
  ],
  responses: {
    200: { description: 'Jobs', ...json(pageOf(ref('ImportJob'), {}, 'the `before` of the next page, null on the last one')) },
    ...problems(400),
  },
});
const getJobSchema = routeSchema({
  operationId: 'getImportJob', tags, params: JOB_ID, responses: JOB, summary: 'State, progress and counts of an import job',
});
const cancelJobSchema = routeSchema({
  operationId: 'cancelImportJob', tags, params: JOB_ID, responses: JOB,
  summary: 'Ask a queued or running import to stop after its current batch (all or nothing: nothing is written)',
});
const jobErrorsSchema = routeSchema({
  operationId: 'listImportJobErrors', tags, params: JOB_ID, summary: 'Row and field errors of an import (JSON, or CSV to download)',
  parameters: [{ name: 'format', in: 'query', description: 'json by default', schema: { enum: ['json', 'csv'] } }],
  responses: {
    200: { description: 'Errors by row', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: ISSUE } } } }, 'text/csv': { schema: { type: 'string' } } } },
    ...problems(400, 404),
  },
});
const jobEventsSchema = routeSchema({
  operationId: 'streamImportJobEvents', tags, params: JOB_ID, summary: 'Server-sent events: `progress` with the job at each change, then `end` with its final state',
  responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems(404) },
});

export function registerImportRoutes(app: FastifyInstance, deps: ImportRouteDeps): void {
  app.post<{ Params: { entity: string }; Querystring: ImportQuery }>('/api/v1/data/:entity/import', { schema: recordSchemas.import }, async (request, reply) => {
    const ctx = requireAuth(request);
    const catalog = await deps.catalogFor(ctx);
    const { format: given, options } = await importOptions(deps, ctx, catalog, request.params.entity, request.query);
    const model = importModel(deps, ctx, catalog, request.params.entity, options.mode);
    if (!request.isMultipart()) throw new ProblemError(415, 'unsupported_media_type', 'Send the file as multipart/form-data (field "file")');
    const megabytes = await deps.settings.value<number>('import.maxMegabytes', { tenantId: ctx.tenantId, userId: ctx.userId });
    const part = await request.file({ limits: { fileSize: megabytes * 1024 * 1024 }, throwFileSizeLimit: false });
    if (!part) throw badRequest('validation_failed', 'No file in the request (field "file")');
    const name = safeFileName(part.filename);
    let format;
    try {
      format = importFormat(given, name);
    } catch (error) {
      part.file.resume();
      throw error;
    }
    const received = await receive(part.file, deps.files.incoming());
    if (part.file.truncated) {
      await rm(received.path, { force: true });
      throw new ProblemError(413, 'payload_too_large', `An import file is at most ${megabytes} MB`);
    }
    const job = await deps.imports.start({ ctx, catalog, model, file: { path: received.path, name, size: received.size, temporary: true }, format, options });
    if (request.query.wait !== 'true') return sendJob(reply, job);
    return sendJob(reply, await deps.imports.wait(ctx, job.id, WAIT_MS));
  });

  app.get<{ Querystring: { limit?: string; before?: string } }>('/api/v1/imports', { schema: listJobsSchema }, async (request) => {
    const ctx = requireAuth(request);
    const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('invalid_limit', 'limit must be 1–500');
    const before = request.query.before === undefined ? undefined : new Date(request.query.before);
    if (before && Number.isNaN(before.getTime())) throw badRequest('invalid_cursor', 'before must be a date-time');
    const data = await deps.imports.list(ctx, { limit, before });
    return { data, meta: { nextCursor: data.length === limit ? new Date(data.at(-1)!.createdAt).toISOString() : null } };
  });

  app.get<{ Params: { id: string } }>('/api/v1/imports/:id', { schema: getJobSchema }, async (request) => deps.imports.get(requireAuth(request), request.params.id));

  app.post<{ Params: { id: string } }>('/api/v1/imports/:id/cancel', { schema: cancelJobSchema }, async (request) => deps.imports.cancel(requireAuth(request), request.params.id));

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>('/api/v1/imports/:id/errors', { schema: jobErrorsSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const { format = 'json' } = request.query;
    if (format !== 'csv' && format !== 'json') throw badRequest('validation_failed', 'format must be csv or json', [{ field: 'format', code: 'invalid_enum', message: 'csv | json' }]);
    const job = await deps.imports.find(ctx, request.params.id);
    const scope = { tenantId: ctx.tenantId, userId: ctx.userId };
    async function* pages() {
      for (let offset = 0; ; offset += 1000) {
        const page = await deps.imports.jobs.issues(scope, job.id, offset, 1000);
        yield* page;
        if (page.length < 1000) return;
      }
    }
    reply.header('Content-Disposition', `attachment; filename="import-${job.id}-errors.${format}"`);
    if (format === 'json') {
      const data = [];
      for await (const issue of pages()) data.push(issue);
      return reply.type('application/json; charset=utf-8').send({ data });
    }
    const csv = stringify({ bom: true, record_delimiter: 'windows', header: true, columns: ['row', 'field', 'code', 'message', 'value'] });
    void (async () => {
      for await (const issue of pages()) csv.write([issue.row, issue.field, issue.code, cell(issue.message), cell(issue.value)]);
      csv.end();
    })().catch((error: unknown) => csv.destroy(error as Error));
    return reply.type('text/csv; charset=utf-8').send(csv);
  });

  app.get<{ Params: { id: string } }>('/api/v1/imports/:id/events', { schema: jobEventsSchema }, async (request, reply) => streamProgress(deps, request, reply));
}

/** Progression en server-sent events : `progress` à chaque changement, `end` avec l'état final, puis fin du flux. */
async function streamProgress(deps: ImportRouteDeps, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const ctx = requireAuth(request);
  let job = await deps.imports.get(ctx, request.params.id);
  let closed = false;
  request.raw.on('close', () => (closed = true));
  const events = Readable.from((async function* () {
    let last = '';
    for (;;) {
      const done = finished(job.status);
      const text = JSON.stringify(job);
      if (text !== last) yield `event: ${done ? 'end' : 'progress'}\ndata: ${text}\n\n`;
      last = text;
      if (done || closed) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await deps.imports.get(ctx, request.params.id);
    }
  })());
  return reply.type('text/event-stream; charset=utf-8').header('Cache-Control', 'no-cache').header('X-Accel-Buffering', 'no').send(events);
}
