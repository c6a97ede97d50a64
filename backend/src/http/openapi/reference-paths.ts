// Chemins OpenAPI des services des modèles de base : conversions, taux, jours ouvrés, séquences.
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const query = (name: string, description: string, required = true) => ({ name, in: 'query', required, schema: { type: 'string' }, description });
const tags = ['reference'];

export const referencePaths: Doc = {
  '/api/v1/currencies/convert': {
    get: {
      tags, summary: 'Convert an amount at a date: direct, inverse or through the reference currency (setting currency.base); exact decimals rounded to the target currency',
      parameters: [query('amount', 'decimal as text'), query('from', 'ISO 4217'), query('to', 'ISO 4217'), query('date', 'YYYY-MM-DD (default: today)', false)],
      responses: {
        200: { description: 'Conversion', ...json({ type: 'object', properties: {
          amount: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string', format: 'date' },
          rate: { type: 'string' }, via: { type: ['string', 'null'] }, rates: { type: 'array', items: { type: 'object' } },
        } }) },
        ...problems(400, 401, 403, 422),
      },
    },
  },
  '/api/v1/currencies/rates/import': {
    post: {
      tags, summary: 'Import exchange rates from CSV (date,base,quote,rate[,source]); all or nothing, errors by line',
      requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
      responses: { 200: { description: 'Imported', ...json({ type: 'object', properties: { imported: { type: 'integer' }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] } } }) }, ...problems(400, 401, 403, 413, 415) },
    },
  },
  '/api/v1/currencies/rates/fetch': {
    post: { tags, summary: 'Fetch rates now from the provider of the setting currency.rates.providerUrl (ECB XML or CSV)', responses: { 200: { description: 'Imported' }, ...problems(401, 403, 409) } },
  },
  '/api/v1/uom/convert': {
    get: {
      tags, summary: 'Convert a quantity between two units of the same category (ids or eids such as uom-kg), rounded to the target unit',
      parameters: [query('quantity', 'decimal'), query('from', 'unit id or eid'), query('to', 'unit id or eid')],
      responses: { 200: { description: 'Conversion', ...json({ type: 'object', properties: { quantity: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, factor: { type: 'string' } } }) }, ...problems(400, 401, 403, 422) },
    },
  },
  '/api/v1/calendars/{id}/add-working-days': {
    parameters: [pathParameter('id')],
    get: {
      tags, summary: 'The date that many working days after (or before, if negative) the given date', parameters: [query('date', 'YYYY-MM-DD'), query('days', 'integer')],
      responses: { 200: { description: 'Date', ...json({ type: 'object', properties: { date: { type: 'string', format: 'date' } } }) }, ...problems(400, 401, 403, 404) },
    },
  },
  '/api/v1/calendars/{id}/working-days': {
    parameters: [pathParameter('id')],
    get: {
      tags, summary: 'Working days from a date (included) to another (excluded)', parameters: [query('from', 'YYYY-MM-DD'), query('to', 'YYYY-MM-DD')],
      responses: { 200: { description: 'Count', ...json({ type: 'object', properties: { days: { type: 'integer' } } }) }, ...problems(400, 401, 403, 404) },
    },
  },
  '/api/v1/sequences/{code}/next': {
    parameters: [pathParameter('code')],
    post: {
      tags, summary: 'Draw the next number of a sequence (gap-free or fast mode, date parts, periodic restart, per company)',
      requestBody: { required: false, ...json({ type: 'object', properties: { date: { type: 'string', format: 'date' }, companyId: { type: 'string', format: 'uuid' } } }) },
      responses: { 200: { description: 'Number', ...json({ type: 'object', properties: { value: { type: 'string' } } }) }, ...problems(400, 401, 403, 404) },
    },
  },
  '/api/v1/menus': {
    get: {
      tags: ['menus'], summary: 'Menu tree of the caller: core and active module entries, administrator edits (menu_item), filtered by permissions and roles, labelled in the caller\'s language',
      responses: { 200: { description: 'Menu', ...json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/MenuNode' } } } }) }, ...problems(401) },
    },
  },
  '/api/v1/i18n/{locale}': {
    parameters: [pathParameter('locale')],
    get: {
      tags: ['i18n'], summary: 'Catalog of a language (metadata labels, enum values, API messages, active modules, tenant overrides) with an ETag; without a session, the tenant comes from ?tenant=',
      parameters: [query('tenant', 'tenant slug when not signed in', false)],
      responses: { 200: { description: 'Texts', ...json({ type: 'object', properties: { locale: { type: 'string' }, texts: { type: 'object', additionalProperties: { type: 'string' } } } }) }, 304: { description: 'Not modified' }, ...problems(404) },
    },
  },
  '/api/v1/i18n/{locale}/missing': {
    parameters: [pathParameter('locale')],
    get: { tags: ['i18n'], summary: 'Keys present in English and missing in this language (administrators)', responses: { 200: { description: 'Missing keys' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/i18n/{locale}/export': {
    parameters: [pathParameter('locale')],
    get: { tags: ['i18n'], summary: 'Export the catalog as json, csv or xliff (administrators)', parameters: [query('format', 'json | csv | xliff', false)], responses: { 200: { description: 'Catalog file' }, ...problems(400, 401, 403, 404) } },
  },
  '/api/v1/i18n/{locale}/import': {
    parameters: [pathParameter('locale')],
    post: {
      tags: ['i18n'], summary: 'Import tenant translations (JSON object, CSV key,text or XLIFF targets); all or nothing, each entry audited',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } }, 'text/csv': { schema: { type: 'string' } }, 'application/xliff+xml': { schema: { type: 'string' } } } },
      responses: { 200: { description: 'Counts', ...json({ type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' } } }) }, ...problems(400, 401, 403, 404) },
    },
  },
  '/api/v1/files': {
    get: {
      tags: ['files'], summary: 'Attachments of a record the caller can read, newest version first', parameters: [query('entity', 'entity name'), query('recordId', 'record id')],
      responses: { 200: { description: 'Attachments' }, ...problems(400, 401, 403, 404) },
    },
    post: {
      tags: ['files'], summary: 'Attach a file to a record the caller can update (streamed; type from the content; size from files.maxMegabytes; tenant quota files.quotaMegabytes; same name = new version; identical contents stored once)',
      parameters: [query('entity', 'entity name'), query('recordId', 'record id')],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
      responses: { 201: { description: 'Attachment' }, ...problems(400, 401, 403, 404, 413, 415, 422) },
    },
  },
  '/api/v1/files/{id}/thumbnail': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['files'], summary: 'WebP thumbnail of an image attachment (size 64, 128, 256 or 512; produced once)', parameters: [query('size', '64 | 128 | 256 | 512', false)],
      responses: { 200: { description: 'Thumbnail' }, ...problems(400, 401, 404, 415) },
    },
  },
  '/api/v1/files/{id}': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['files'], summary: 'Download an attachment (Range requests supported: 206, 416)', parameters: [{ name: 'Range', in: 'header', schema: { type: 'string' } }],
      responses: { 200: { description: 'File' }, 206: { description: 'Part of the file' }, ...problems(401, 404) },
    },
  },
  '/api/v1/modules/{name}/tasks': {
    parameters: [pathParameter('name')],
    get: { tags: ['modules'], summary: 'Scheduled tasks of an active module with their last run', responses: { 200: { description: 'Tasks' }, ...problems(401, 403, 404) } },
  },
  '/api/v1/modules/{name}/tasks/{task}/run': {
    parameters: [pathParameter('name'), pathParameter('task')],
    post: { tags: ['modules'], summary: 'Run a task of an active module now', responses: { 200: { description: 'Run' }, ...problems(401, 403, 404) } },
  },
};
