// Schémas des routes génériques d'enregistrements : une opération OpenAPI par entité du catalogue, construite à partir
// de ses métadonnées (composants `<Entité>`, `<Entité>Input`, `<Entité>Patch` du document).
import type { EntityModel } from '../../engine/model.js';
import { type Doc, json, pageOf, problems, ref } from '../openapi/path-helpers.js';
import type { EntityRouteSchema } from '../openapi/route-schema.js';
import { componentName } from '../openapi/schemas.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const IF_MATCH = { name: 'If-Match', in: 'header', description: 'ETag of the version the change is based on, e.g. "3"', schema: { type: 'string' } };
const TRASHED = { name: 'trashed', in: 'query', schema: { enum: ['with', 'only'] } };

const LIST_PARAMETERS = [
  { name: 'filter', in: 'query', description: 'JSON filter, e.g. {"amount":{"gte":100},"or":[{"status":"open"}]}', schema: { type: 'string' } },
  { name: 'sort', in: 'query', description: 'Comma list, "-" for descending, e.g. -createdAt,name', schema: { type: 'string' } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
  { name: 'cursor', in: 'query', description: 'meta.nextCursor of the previous page', schema: { type: 'string' } },
  { name: 'fields', in: 'query', description: 'Comma list of fields to return (id always)', schema: { type: 'string' } },
  { name: 'q', in: 'query', description: 'Text search', schema: { type: 'string', maxLength: 200 } },
  TRASHED,
  { name: 'count', in: 'query', schema: { type: 'boolean' } },
];

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

/** Ce qu'une opération d'entité partage : étiquette, nom du composant, réponse « un enregistrement ». */
function entityDoc(model: EntityModel) {
  const name = componentName(model.name);
  return {
    name,
    tags: [model.name],
    label: model.label.en,
    record: { description: model.label.en, headers: { ETag: { schema: { type: 'string' } } }, ...json(ref(name)) },
  };
}

const entityRoute = (build: (model: EntityModel, doc: ReturnType<typeof entityDoc>) => Doc | undefined): EntityRouteSchema => ({
  entityOperation: (model) => build(model, entityDoc(model)),
});

export const recordSchemas = {
  list: entityRoute((model, { name, tags, label }) => ({
    tags, operationId: `list_${model.name}`, summary: `List ${label}`, parameters: LIST_PARAMETERS,
    responses: { 200: { description: 'A page of records', ...json(pageOf(ref(name), { count: { type: 'integer', description: 'total matching records, with count=true' } })) }, ...problems(400, 404) },
  })),
  create: entityRoute((model, { name, tags, label, record }) => model.abstract ? undefined : ({
    tags, operationId: `create_${model.name}`, summary: `Create ${label}`,
    parameters: [{ name: 'Idempotency-Key', in: 'header', description: 'a retry with the same key and body answers the first response', schema: { type: 'string', maxLength: 255 } }],
    requestBody: { required: true, ...json(ref(`${name}Input`)) },
    responses: { 201: record, ...problems(400, 404, 409, 413) },
  })),
  get: entityRoute((model, { tags, label, record }) => ({
    tags, operationId: `get_${model.name}`, summary: `Read one ${label}`, parameters: [ID, TRASHED], responses: { 200: record, ...problems(404) },
  })),
  update: entityRoute((model, { name, tags, label, record }) => ({
    tags, operationId: `update_${model.name}`, summary: `Change fields of one ${label} (optimistic locking with If-Match)`, parameters: [ID, IF_MATCH],
    requestBody: { required: true, ...json(ref(`${name}Patch`)) }, responses: { 200: record, ...problems(400, 404, 409, 412) },
  })),
  remove: entityRoute((model, { tags }) => ({
    tags, operationId: `delete_${model.name}`, summary: 'Soft delete', parameters: [ID, IF_MATCH], responses: { 204: { description: 'Deleted' }, ...problems(404, 412) },
  })),
  restore: entityRoute((model, { tags, record }) => ({
    tags, operationId: `restore_${model.name}`, summary: 'Restore a soft-deleted record', parameters: [ID], responses: { 200: record, ...problems(404) },
  })),
  history: entityRoute((model, { tags }) => ({
    tags, operationId: `history_${model.name}`, summary: 'Audit history, newest first',
    parameters: [ID, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }, { name: 'cursor', in: 'query', description: 'meta.nextCursor of the previous page', schema: { type: 'string' } }],
    responses: { 200: { description: 'History', ...json(ref('History')) }, ...problems(400, 404) },
  })),
  upsertByEid: entityRoute((model, { name, tags, record }) => ({
    tags, operationId: `upsert_${model.name}`, summary: 'Create or update by external id',
    parameters: [{ name: 'eid', in: 'path', required: true, schema: { type: 'string', maxLength: 255 } }],
    requestBody: { required: true, ...json(ref(`${name}Patch`)) }, responses: { 200: record, 201: record, ...problems(400, 404, 409) },
  })),
  export: entityRoute((model, { name, tags }) => ({
    tags, operationId: `export_${model.name}`, summary: 'Streamed export of the list (same filter, sort, fields) as CSV (formulas neutralised), JSON or Excel; needs the export right; audited',
    parameters: [{ name: 'format', in: 'query', schema: { enum: ['csv', 'json', 'xlsx'] } }, { name: 'filter', in: 'query', schema: { type: 'string' } }, { name: 'sort', in: 'query', schema: { type: 'string' } }, { name: 'fields', in: 'query', schema: { type: 'string' } }],
    responses: { 200: { description: 'File', content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: ref(name) } }, [XLSX]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 404) },
  })),
  import: entityRoute((model, { tags }) => ({
    tags, operationId: `import_${model.name}`,
    summary: 'Import a CSV, JSON (array or lines) or Excel file as a background job (202, or 200 with wait=true); columns matched by field name or label, references by eid; needs the import and create rights (and update for upsert)',
    parameters: IMPORT_PARAMETERS,
    requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
    responses: { 200: { description: 'Finished job', ...json(ref('ImportJob')) }, 202: { description: 'Queued or running job', ...json(ref('ImportJob')) }, ...problems(400, 404, 413, 415) },
  })),
  bulk: entityRoute((model, { name, tags }) => ({
    tags, operationId: `bulk_${model.name}`, summary: 'All-or-nothing batch of create, update, upsert and delete',
    requestBody: { required: true, ...json({ type: 'object', required: ['operations'], properties: { operations: { type: 'array', maxItems: 1000, items: { type: 'object', required: ['op'], properties: { op: { enum: ['create', 'update', 'upsert', 'delete'] }, id: { type: 'string', format: 'uuid' }, eid: { type: 'string' }, version: { type: 'integer' }, data: ref(`${name}Patch`) } } } } }) },
    responses: { 200: { description: 'Results in order', ...json({ type: 'object', properties: { results: { type: 'array', items: { type: 'object' } } } }) }, ...problems(400, 404, 409, 412, 413) },
  })),
};
