// Schéma JSON d'une requête d'analyse : corps de POST /analytics/query et requête de chaque widget d'un tableau de bord.
import { ANALYTICS_BUCKETS, ANALYTICS_COMPARISONS, ANALYTICS_FUNCTIONS, ANALYTICS_PERIOD_PRESETS } from '@opsflux/sdk';

export const ANALYTICS_LIMITS = { maxMeasures: 10, maxDimensions: 4, maxTop: 1000 } as const;

export const fieldPath = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$' };
const name = { type: 'string', minLength: 1, maxLength: 100 };
export const isoDate = { type: 'string', format: 'date' };
export const ANALYTICS_QUERY_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['entity', 'measures'],
  properties: {
    entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
    measures: {
      type: 'array', minItems: 1, maxItems: ANALYTICS_LIMITS.maxMeasures,
      items: {
        type: 'object', additionalProperties: false,
        description: 'the function as `fn` (or `op`)',
        properties: {
          fn: { type: 'string', enum: [...ANALYTICS_FUNCTIONS] }, op: { type: 'string', enum: [...ANALYTICS_FUNCTIONS] }, field: fieldPath, p: { type: 'number', minimum: 0, maximum: 1 },
          currencyField: fieldPath, as: name,
        },
      },
    },
    dimensions: {
      type: 'array', maxItems: ANALYTICS_LIMITS.maxDimensions,
      items: {
        anyOf: [
          fieldPath,
          { type: 'object', additionalProperties: false, required: ['field'], properties: { field: fieldPath, bucket: { type: 'string', enum: [...ANALYTICS_BUCKETS] }, as: name } },
        ],
      },
    },
    filter: { description: 'JSON filter, as in the record lists' },
    period: {
      type: 'object', additionalProperties: false, required: ['field'],
      properties: { field: fieldPath, from: isoDate, to: isoDate, preset: { type: 'string', enum: [...ANALYTICS_PERIOD_PRESETS] } },
      description: 'from and to (inclusive), or a preset (up to today in the analysis time zone)',
    },
    compare: { type: 'string', enum: [...ANALYTICS_COMPARISONS] },
    sort: {
      anyOf: [
        { type: 'string', maxLength: 500, description: 'as in the lists: names separated by commas, `-` for descending' },
        { type: 'array', maxItems: 8, items: { type: 'object', additionalProperties: false, required: ['by'], properties: { by: name, desc: { type: 'boolean' } } } },
      ],
    },
    limit: { type: 'integer', minimum: 1, maximum: 100_000, description: 'rows returned at most' },
    top: { type: 'integer', minimum: 1, maximum: ANALYTICS_LIMITS.maxTop },
    others: { type: 'boolean' },
    pivot: {
      type: 'object', additionalProperties: false, required: ['columns'],
      properties: { columns: { type: 'array', minItems: 1, maxItems: ANALYTICS_LIMITS.maxDimensions - 1, items: name } },
    },
    currency: {
      type: 'object', additionalProperties: false, required: ['code'],
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}$' },
        date: { type: 'string', maxLength: 10, description: '`YYYY-MM-DD` (rate of that day), or `record` (rate of each record’s date); default: today' },
        dateField: fieldPath,
      },
    },
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    company: { type: 'string', format: 'uuid' },
  },
};
