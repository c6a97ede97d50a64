// Routes génériques des enregistrements : /api/v1/data/{entity}… (contrat « Records »).
import { appendAudit } from '../../audit/writer.js';
import { EXPORT_FORMATS, EXPORT_TYPES, exportStream, type ExportFormat } from '../../services/import-export/export.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { RequestContext } from '../../engine/context.js';
import { idempotentCreate } from '../../engine/crud/idempotency.js';
import type { Row } from '../../engine/crud/service.js';
import { toProblem } from '../../engine/errors.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import type { Tx } from '../../db/transaction.js';
import { UUID } from '../../engine/validate.js';
import { requireAuth } from '../auth.js';
import { badRequest, notFound, ProblemError } from '../../errors/problem.js';
import { parseListQuery } from '../../engine/query/list-params.js';
import { recordSchemas } from './record-schemas.js';

/** Services que ces routes utilisent. */
export type RecordRouteDeps = Pick<PlatformServices, 'catalogFor' | 'records' | 'tenantTx'>;

type EntityParams = { entity: string };
type RecordParams = { entity: string; id: string };
const MAX_BULK = 1000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function recordId(id: string): string {
  if (!UUID.test(id)) throw notFound();
  return id.toLowerCase();
}

/** Version attendue d'après If-Match (`"3"`, `W/"3"`, `3` ; `*` = aucune contrainte). */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,10})"?$/.exec(header.trim());
  if (!match) throw badRequest('invalid_if_match', 'If-Match must be an ETag such as "3"');
  return Number(match[1]);
}

function sendRecord(reply: FastifyReply, record: Row, status = 200) {
  return reply.code(status).header('ETag', `"${String(record.version)}"`).send(record);
}

export function registerRecordRoutes(app: FastifyInstance, deps: RecordRouteDeps): void {
  const records = deps.records;

  /** Résout l'entité dans le catalogue du tenant, puis exécute le travail dans la transaction de la requête. */
  async function run<T>(
    request: FastifyRequest<{ Params: EntityParams }>,
    action: Parameters<typeof records.entity>[3],
    work: (trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel) => Promise<T>,
    singleStatement = false,
  ): Promise<T> {
    const ctx = requireAuth(request);
    const catalog = await deps.catalogFor(ctx);
    const model = records.entity(ctx, catalog, request.params.entity, action);
    request.entityModel = model;
    return deps.tenantTx(ctx, (trx) => work(trx, ctx, catalog, model), { write: action !== 'read', singleStatement });
  }

  app.get<{ Params: EntityParams; Querystring: Record<string, string | undefined> }>('/api/v1/data/:entity', { schema: recordSchemas.list }, async (request) => {
    const options = parseListQuery(request.query);
    // sans comptage, une liste est une seule instruction
    return run(request, 'read', (trx, ctx, catalog, model) => records.list(trx, ctx, catalog, model, options), !options.count);
  });

  // export de la liste (mêmes paramètres) en CSV ou JSON, en flux
  app.get<{ Params: EntityParams; Querystring: Record<string, string | undefined> }>('/api/v1/data/:entity/export', { schema: recordSchemas.export }, async (request, reply) => {
    const { format = 'csv', ...query } = request.query;
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw badRequest('validation_failed', 'format must be csv, json or xlsx', [{ field: 'format', code: 'invalid_enum', message: EXPORT_FORMATS.join(' | ') }]);
    }
    const options = parseListQuery(query);
    const ctx = requireAuth(request);
    const catalog = await deps.catalogFor(ctx);
    const model = records.entity(ctx, catalog, request.params.entity, 'export');
    // la première page est lue avant de répondre : un filtre invalide donne encore un 400
    await deps.tenantTx(ctx, (trx) => records.list(trx, ctx, catalog, model, { ...options, limit: 1, count: false }), { singleStatement: true });
    await appendExportAudit(deps, ctx, model.name, format, options);
    return reply
      .type(EXPORT_TYPES[format as ExportFormat])
      .header('Content-Disposition', `attachment; filename="${model.name}.${format}"`)
      .send(exportStream(deps, ctx, catalog, model, options, format as ExportFormat));
  });

  app.post<{ Params: EntityParams }>('/api/v1/data/:entity', { schema: recordSchemas.create }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
      throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    const outcome = await run(request, 'create', async (trx, ctx, catalog, model) => {
      // sans clé d'idempotence, rien ne suit la création : elle part avec le COMMIT
      if (!key) return { record: await records.create(trx, ctx, catalog, model, request.body, { final: true }), replayed: false };
      return idempotentCreate(trx, model, key, request.body, () => records.create(trx, ctx, catalog, model, request.body));
    });
    if (outcome.replayed) reply.header('Idempotent-Replayed', 'true');
    reply.header('Location', `/api/v1/data/${request.params.entity}/${String(outcome.record.id)}`);
    return sendRecord(reply, outcome.record, 201);
  });

  app.post<{ Params: EntityParams; Body: { operations?: unknown } }>('/api/v1/data/:entity/bulk', { schema: recordSchemas.bulk }, async (request) => {
    const operations = request.body?.operations;
    if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_BULK) {
      throw badRequest('invalid_bulk', `operations must be a non-empty array of at most ${MAX_BULK} items`);
    }
    return run(request, 'update', async (trx, ctx, catalog, model) => {
      const results: unknown[] = [];
      for (const [index, op] of operations.entries()) {
        try {
          results.push(await runOperation(trx, ctx, catalog, model, op));
        } catch (error) {
          const problem = toProblem(error, ctx.locale, model);
          if (!problem) throw error;
          const errors = (problem.errors ?? [{ field: '', code: problem.code, message: problem.message }]).map((e) => ({
            ...e, field: `operations[${index}]${e.field ? `.${e.field}` : ''}`,
          }));
          throw new ProblemError(problem.status, problem.code, `Operation ${index} failed: ${problem.message}`, errors);
        }
      }
      return { results };
    });
  });

  async function runOperation(trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, op: unknown) {
    if (typeof op !== 'object' || op === null) throw badRequest('invalid_operation', 'Each operation must be an object');
    const { op: kind, id, eid, data, version } = op as Record<string, unknown>;
    const expected = version === undefined ? undefined : Number(version);
    if (expected !== undefined && !Number.isInteger(expected)) throw badRequest('invalid_operation', 'version must be an integer');
    switch (kind) {
      case 'create': {
        const record = await records.create(trx, ctx, catalog, model, data);
        return { op: kind, status: 201, id: record.id, record };
      }
      case 'update': {
        const record = await records.update(trx, ctx, catalog, model, recordId(String(id)), data, expected);
        return { op: kind, status: 200, id: record.id, record };
      }
      case 'upsert': {
        if (typeof eid !== 'string' || eid.length === 0 || eid.length > 255) throw badRequest('invalid_operation', 'upsert needs an eid');
        const { created, record } = await records.upsertByEid(trx, ctx, catalog, model, eid, data ?? {});
        return { op: kind, status: created ? 201 : 200, id: record.id, record };
      }
      case 'delete': {
        await records.remove(trx, ctx, catalog, model, recordId(String(id)), expected);
        return { op: kind, status: 204, id };
      }
      default:
        throw badRequest('invalid_operation', 'op must be create, update, upsert or delete');
    }
  }

  app.get<{ Params: RecordParams; Querystring: { trashed?: string } }>('/api/v1/data/:entity/:id', { schema: recordSchemas.get }, async (request, reply) => {
    const id = recordId(request.params.id);
    const trashed = request.query.trashed === 'with' || request.query.trashed === 'only' ? request.query.trashed : undefined;
    const record = await run(request, 'read', (trx, ctx, catalog, model) => records.get(trx, ctx, catalog, model, id, trashed), true);
    return sendRecord(reply, record);
  });

  app.patch<{ Params: RecordParams }>('/api/v1/data/:entity/:id', { schema: recordSchemas.update }, async (request, reply) => {
    const id = recordId(request.params.id);
    const version = expectedVersion(request);
    const record = await run(request, 'update', (trx, ctx, catalog, model) => records.update(trx, ctx, catalog, model, id, request.body, version));
    return sendRecord(reply, record);
  });

  app.delete<{ Params: RecordParams }>('/api/v1/data/:entity/:id', { schema: recordSchemas.remove }, async (request, reply) => {
    const id = recordId(request.params.id);
    const version = expectedVersion(request);
    await run(request, 'delete', (trx, ctx, catalog, model) => records.remove(trx, ctx, catalog, model, id, version));
    return reply.code(204).send();
  });

  app.post<{ Params: RecordParams }>('/api/v1/data/:entity/:id/restore', { schema: recordSchemas.restore }, async (request, reply) => {
    const id = recordId(request.params.id);
    const record = await run(request, 'update', (trx, ctx, catalog, model) => records.restore(trx, ctx, catalog, model, id));
    return sendRecord(reply, record);
  });

  app.put<{ Params: { entity: string; eid: string } }>('/api/v1/data/:entity/by-eid/:eid', { schema: recordSchemas.upsertByEid }, async (request, reply) => {
    const eid = request.params.eid;
    if (eid.length === 0 || eid.length > 255) throw badRequest('invalid_eid', 'eid must have 1–255 characters');
    const { created, record } = await run(request, 'update', (trx, ctx, catalog, model) =>
      records.upsertByEid(trx, ctx, catalog, model, eid, request.body ?? {}));
    return sendRecord(reply, record, created ? 201 : 200);
  });

  app.get<{ Params: RecordParams; Querystring: { limit?: string; cursor?: string } }>('/api/v1/data/:entity/:id/history', { schema: recordSchemas.history }, async (request) => {
    const id = recordId(request.params.id);
    const limit = request.query.limit === undefined ? undefined : Number(request.query.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw badRequest('invalid_limit', 'limit must be 1–1000');
    const before = request.query.cursor === undefined ? undefined : Number(request.query.cursor);
    if (before !== undefined && !Number.isSafeInteger(before)) throw badRequest('invalid_cursor', 'Invalid cursor');
    return run(request, 'read', (trx, ctx, catalog, model) => records.history(trx, ctx, catalog, model, id, { limit, before }));
  });
}

/** Un export est tracé dans le journal d'audit (qui, quoi, avec quel filtre). */
async function appendExportAudit(deps: RecordRouteDeps, ctx: RequestContext, entity: string, format: string, options: { filter?: unknown; fields?: string[] }): Promise<void> {
  await deps.tenantTx(ctx, (trx) => appendAudit(trx, ctx, [{
    action: 'export', entity, changes: { export: { from: null, to: { format, filter: options.filter ?? null, fields: options.fields ?? null } } },
  }]), { write: true });
}
