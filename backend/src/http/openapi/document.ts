// Document OpenAPI 3.1 d'un tenant : routes fixes + un jeu de chemins par entité de son catalogue.
import { VERSION } from '../../core/platform.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { componentName, inputSchema, recordSchema } from './schemas.js';
import { problems, staticPaths, staticSchemas } from './static-paths.js';

type Doc = Record<string, unknown>;

const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const PROBLEM_STATUSES = [400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429];

const PROBLEM = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, instance: { type: 'string' }, requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'code', 'message'], properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const LIST_PARAMETERS = [
  { name: 'filter', in: 'query', description: 'JSON filter, e.g. {"amount":{"gte":100},"or":[{"status":"open"}]}', schema: { type: 'string' } },
  { name: 'sort', in: 'query', description: 'Comma list, "-" for descending, e.g. -createdAt,name', schema: { type: 'string' } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
  { name: 'cursor', in: 'query', description: 'meta.nextCursor of the previous page', schema: { type: 'string' } },
  { name: 'fields', in: 'query', description: 'Comma list of fields to return (id always)', schema: { type: 'string' } },
  { name: 'q', in: 'query', description: 'Text search', schema: { type: 'string', maxLength: 200 } },
  { name: 'trashed', in: 'query', schema: { enum: ['with', 'only'] } },
  { name: 'count', in: 'query', schema: { type: 'boolean' } },
];

function entityPaths(model: EntityModel): Record<string, Doc> {
  const base = `/api/v1/data/${model.name}`;
  const name = componentName(model.name);
  const tags = [model.name];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const record = { description: model.label.en, headers: { ETag: { schema: { type: 'string' } } }, ...json(ref(name)) };
  const paths: Record<string, Doc> = {
    [base]: {
      get: {
        tags, operationId: `list_${model.name}`, summary: `List ${model.label.en}`, parameters: LIST_PARAMETERS,
        responses: { 200: { description: 'A page of records', ...json({ type: 'object', required: ['data', 'meta'], properties: { data: { type: 'array', items: ref(name) }, meta: { type: 'object', properties: { nextCursor: { type: ['string', 'null'] }, count: { type: 'integer' } } } } }) }, ...problems(400, 401, 403, 404) },
      },
      ...(model.abstract ? {} : {
        post: {
          tags, operationId: `create_${model.name}`, summary: `Create ${model.label.en}`,
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, ...json(ref(`${name}Input`)) },
          responses: { 201: record, ...problems(400, 401, 403, 404, 409, 413) },
        },
      }),
    },
    [`${base}/{id}`]: {
      parameters: [idParam],
      get: { tags, operationId: `get_${model.name}`, parameters: [{ name: 'trashed', in: 'query', schema: { enum: ['with', 'only'] } }], responses: { 200: record, ...problems(401, 404) } },
      patch: {
        tags, operationId: `update_${model.name}`, parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' } }],
        requestBody: { required: true, ...json(ref(`${name}Patch`)) }, responses: { 200: record, ...problems(400, 401, 403, 404, 409, 412) },
      },
      delete: { tags, operationId: `delete_${model.name}`, summary: 'Soft delete', parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' } }], responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 412) } },
    },
    [`${base}/{id}/restore`]: { parameters: [idParam], post: { tags, operationId: `restore_${model.name}`, responses: { 200: record, ...problems(401, 404) } } },
    [`${base}/{id}/history`]: {
      parameters: [idParam],
      get: { tags, operationId: `history_${model.name}`, summary: 'Audit history, newest first', responses: { 200: { description: 'History', ...json(ref('History')) }, ...problems(401, 404) } },
    },
    [`${base}/by-eid/{eid}`]: {
      parameters: [{ name: 'eid', in: 'path', required: true, schema: { type: 'string', maxLength: 255 } }],
      put: { tags, operationId: `upsert_${model.name}`, summary: 'Create or update by external id', requestBody: { required: true, ...json(ref(`${name}Patch`)) }, responses: { 200: record, 201: record, ...problems(400, 401, 404, 409) } },
    },
    [`${base}/export`]: {
      get: {
        tags, operationId: `export_${model.name}`, summary: 'Streamed export of the list (same filter, sort, fields) as CSV (formulas neutralised), JSON or Excel; needs the export right; audited',
        parameters: [{ name: 'format', in: 'query', schema: { enum: ['csv', 'json', 'xlsx'] } }, { name: 'filter', in: 'query', schema: { type: 'string' } }, { name: 'sort', in: 'query', schema: { type: 'string' } }, { name: 'fields', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'File', content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: ref(name) } }, [XLSX]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403, 404) },
      },
    },
    [`${base}/import`]: {
      post: {
        tags, operationId: `import_${model.name}`,
        summary: 'Import a CSV, JSON (array or lines) or Excel file as a background job (202, or 200 with wait=true); columns matched by field name or label, references by eid; needs the import and create rights (and update for upsert)',
        parameters: IMPORT_PARAMETERS,
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
        responses: { 200: { description: 'Finished job', ...json(ref('ImportJob')) }, 202: { description: 'Queued or running job', ...json(ref('ImportJob')) }, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    [`${base}/bulk`]: {
      post: {
        tags, operationId: `bulk_${model.name}`, summary: 'All-or-nothing batch of create, update, upsert and delete',
        requestBody: { required: true, ...json({ type: 'object', required: ['operations'], properties: { operations: { type: 'array', maxItems: 1000, items: { type: 'object', required: ['op'], properties: { op: { enum: ['create', 'update', 'upsert', 'delete'] }, id: { type: 'string', format: 'uuid' }, eid: { type: 'string' }, version: { type: 'integer' }, data: ref(`${name}Patch`) } } } } }) },
        responses: { 200: { description: 'Results in order', ...json({ type: 'object', properties: { results: { type: 'array', items: { type: 'object' } } } }) }, ...problems(400, 401, 404, 409, 412, 413) },
      },
    },
  };
  return paths;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const choice = (name: string, values: string[], description: string) => ({ name, in: 'query', schema: { enum: values }, description });
const IMPORT_PARAMETERS = [
  choice('format', ['csv', 'json', 'xlsx'], 'file format (default: from the file name)'),
  choice('mode', ['upsert', 'create'], 'upsert (default): a known eid updates its record; create: a known eid is an error'),
  choice('onError', ['rollback', 'skip'], 'rollback (default): nothing is written if a row is refused; skip: refused rows are skipped'),
  choice('dryRun', ['true', 'false'], 'validate and count without writing'),
  { name: 'mapping', in: 'query', schema: { type: 'string' }, description: 'JSON object: column header → field name (or null to ignore the column)' },
  { name: 'template', in: 'query', schema: { type: 'string' }, description: 'name of a saved import_template of this entity' },
  choice('encoding', ['utf-8', 'windows-1252', 'iso-8859-15', 'utf-16le'], 'text encoding (default UTF-8; a UTF-16 byte order mark is honoured)'),
  { name: 'delimiter', in: 'query', schema: { type: 'string', maxLength: 1 }, description: 'CSV delimiter (default: guessed from the header line)' },
  choice('dateOrder', ['dmy', 'mdy'], 'order of day and month in dates such as 01/02/2024 (default dmy)'),
  choice('wait', ['true', 'false'], 'answer when the job ends (up to two minutes)'),
];

export function buildDocument(catalog: Catalog | undefined): Doc {
  const models = catalog?.all() ?? [];
  const schemas: Record<string, Doc> = {
    Problem: PROBLEM,
    MenuNode: {
      type: 'object', required: ['id', 'label', 'module', 'children'],
      properties: {
        id: { type: 'string' }, label: { type: 'string' }, icon: { type: 'string' }, entity: { type: 'string' }, path: { type: 'string' },
        module: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/MenuNode' } },
      },
    },
    ...staticSchemas,
    History: { type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: { action: { type: 'string' }, at: { type: 'string', format: 'date-time' }, actor: { type: ['string', 'null'] }, requestId: { type: ['string', 'null'], description: 'X-Request-Id of the request that made the change' }, changes: { type: 'object', additionalProperties: { type: 'object', properties: { from: {}, to: {} } } } } } }, meta: { type: 'object' } } },
  };
  const paths: Record<string, unknown> = { ...staticPaths };
  for (const model of models) {
    const name = componentName(model.name);
    schemas[name] = recordSchema(model);
    schemas[`${name}Input`] = inputSchema(model, false);
    schemas[`${name}Patch`] = inputSchema(model, true);
    Object.assign(paths, entityPaths(model));
  }
  return {
    openapi: '3.1.0',
    info: { title: 'OpsFlux API', version: VERSION, description: 'Generated from the entity metadata of your tenant, custom entities and fields included.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [{ name: 'system' }, { name: 'auth' }, { name: 'metadata' }, ...models.map((m) => ({ name: m.name, description: m.label.en }))],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
      responses: Object.fromEntries(PROBLEM_STATUSES.map((s) => [`Problem${s}`, { description: `Problem (${s})`, content: { 'application/problem+json': { schema: ref('Problem') } } }])),
    },
  };
}
