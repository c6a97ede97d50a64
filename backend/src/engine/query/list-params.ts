// Lecture des paramètres de liste (?filter, sort, limit, cursor, fields, q, trashed, count) avec erreurs explicites.
import type { ListOptions } from './list.js';
import { LIST_LIMITS } from './list.js';
import { badRequest } from '../../errors/problem.js';

const KNOWN = new Set(['filter', 'sort', 'limit', 'cursor', 'fields', 'q', 'trashed', 'count']);
const MAX_FILTER_LENGTH = 20_000;

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('invalid_query', `Query parameter "${name}" must be given once`, [{ field: name, code: 'invalid_value', message: 'Given more than once' }]);
  return value;
}

export function parseListQuery(query: Record<string, unknown>): ListOptions {
  for (const key of Object.keys(query)) {
    if (!KNOWN.has(key)) throw badRequest('unknown_parameter', `Unknown query parameter "${key}"`, [{ field: key, code: 'unknown_parameter', message: `Unknown query parameter "${key}"` }]);
  }
  const options: ListOptions = {};
  const filter = single(query.filter, 'filter');
  if (filter !== undefined) {
    if (filter.length > MAX_FILTER_LENGTH) throw badRequest('invalid_filter', 'Filter is too long', [{ field: 'filter', code: 'too_long', message: 'Filter is too long' }]);
    try {
      options.filter = JSON.parse(filter);
    } catch {
      throw badRequest('invalid_filter', 'filter must be valid JSON', [{ field: 'filter', code: 'malformed_json', message: 'filter must be valid JSON' }]);
    }
  }
  const limit = single(query.limit, 'limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > LIST_LIMITS.maxLimit) {
      throw badRequest('invalid_limit', `limit must be an integer between 1 and ${LIST_LIMITS.maxLimit}`, [{ field: 'limit', code: 'out_of_range', message: `1–${LIST_LIMITS.maxLimit}` }]);
    }
    options.limit = n;
  }
  options.sort = single(query.sort, 'sort');
  options.cursor = single(query.cursor, 'cursor');
  options.q = single(query.q, 'q');
  const fields = single(query.fields, 'fields');
  if (fields !== undefined) options.fields = fields.split(',').map((f) => f.trim()).filter(Boolean);
  const trashed = single(query.trashed, 'trashed');
  if (trashed !== undefined) {
    if (trashed !== 'with' && trashed !== 'only') throw badRequest('invalid_query', 'trashed must be "with" or "only"', [{ field: 'trashed', code: 'invalid_enum', message: 'with | only' }]);
    options.trashed = trashed;
  }
  const count = single(query.count, 'count');
  if (count !== undefined) {
    if (count !== 'true' && count !== 'false') throw badRequest('invalid_query', 'count must be true or false', [{ field: 'count', code: 'invalid_type', message: 'true | false' }]);
    options.count = count === 'true';
  }
  return options;
}
