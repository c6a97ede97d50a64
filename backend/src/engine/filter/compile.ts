// Compilateur du langage de filtres JSON vers une expression SQL paramétrée.
// Logique à deux valeurs : une comparaison sur un champ NULL est fausse ; `neq` et `nin` sont vraies sur NULL ;
// `not` inverse ce résultat. Les feuilles positives restent nues (NULL vaut faux sous AND/OR et dans WHERE, et les
// index restent utilisables) ; seules les négations enveloppent leur opérande dans coalesce(…, false). Aucun nom de champ n'atteint le SQL autrement que par
// `ctx.resolve(path).expr`, et toute valeur est un paramètre lié.
import { sql, type RawBuilder } from 'kysely';
import { FILTER_LIMITS, FilterError, type FilterContext, type ResolvedPath, type ScalarKind } from './types.js';

const OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'like', 'ilike', 'null', 'between'] as const;
type Operator = (typeof OPERATORS)[number];

const ALLOWED: Record<ScalarKind, ReadonlySet<Operator>> = {
  string: new Set(OPERATORS),
  integer: new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between']),
  decimal: new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between']),
  date: new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between']),
  datetime: new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between']),
  uuid: new Set(['eq', 'neq', 'in', 'nin', 'null']),
  boolean: new Set(['eq', 'neq', 'null']),
  tags: new Set(['eq', 'in', 'nin', 'null']),
  json: new Set(['eq', 'null']),
};

const CASTS: Record<ScalarKind, string> = {
  string: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz',
  uuid: 'uuid', tags: 'text', json: 'jsonb',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface State {
  nodes: number;
  ctx: FilterContext;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function invalid(path: string, message: string): FilterError {
  return new FilterError(path, 'invalid_filter', message);
}

export function compileFilter(filter: unknown, ctx: FilterContext): RawBuilder<unknown> | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (!isPlainObject(filter)) throw invalid('filter', 'A filter must be a JSON object');
  if (Object.keys(filter).length === 0) return undefined;
  return compileObject(filter, { nodes: 0, ctx }, 1);
}

function compileObject(filter: Record<string, unknown>, state: State, depth: number): RawBuilder<unknown> {
  if (depth > FILTER_LIMITS.maxDepth) throw new FilterError('filter', 'filter_too_complex', 'Filter is nested too deeply');
  const parts: RawBuilder<unknown>[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (++state.nodes > FILTER_LIMITS.maxNodes) throw new FilterError('filter', 'filter_too_complex', 'Filter has too many conditions');
    if (FORBIDDEN_KEYS.has(key)) throw invalid(key, `Forbidden key "${key}"`);
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length === 0) throw invalid(key, `"${key}" must be a non-empty array of filters`);
      const items = value.map((item) => {
        if (!isPlainObject(item)) throw invalid(key, `"${key}" items must be filter objects`);
        return Object.keys(item).length === 0 ? sql`TRUE` : compileObject(item, state, depth + 1);
      });
      parts.push(sql`(${sql.join(items, key === 'and' ? sql` AND ` : sql` OR `)})`);
    } else if (key === 'not') {
      const inner = Array.isArray(value) ? { and: value } : value;
      if (!isPlainObject(inner)) throw invalid(key, '"not" must be a filter object or an array of filters');
      parts.push(Object.keys(inner).length === 0 ? sql`FALSE` : sql`NOT coalesce(${compileObject(inner, state, depth + 1)}, false)`);
    } else {
      parts.push(compileField(key, value, state));
    }
  }
  if (parts.length === 0) return sql`TRUE`;
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
}

function compileField(path: string, spec: unknown, state: State): RawBuilder<unknown> {
  const resolved = state.ctx.resolve(path);
  const operators: Record<string, unknown> = isPlainObject(spec) && resolved.kind !== 'json' ? spec
    : isPlainObject(spec) && Object.keys(spec).every((k) => (OPERATORS as readonly string[]).includes(k)) ? spec
      : { eq: spec };
  const entries = Object.entries(operators);
  if (entries.length === 0) throw invalid(path, `Empty condition on "${path}"`);
  const parts = entries.map(([op, raw]) => {
    if (FORBIDDEN_KEYS.has(op) || !(OPERATORS as readonly string[]).includes(op)) {
      throw new FilterError(path, 'unknown_operator', `Unknown operator "${op}" on "${path}"`);
    }
    if (!ALLOWED[resolved.kind].has(op as Operator)) {
      throw new FilterError(path, 'operator_not_allowed', `Operator "${op}" is not allowed on "${path}"`);
    }
    return predicate(path, resolved, op as Operator, substitute(raw, state.ctx));
  });
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
}

function substitute(value: unknown, ctx: FilterContext): unknown {
  if (ctx.variables && typeof value === 'string' && value.startsWith('$') && Object.hasOwn(ctx.variables, value)) {
    return ctx.variables[value];
  }
  return value;
}

/** Valeur contrôlée et convertie selon le type du champ (texte envoyé au serveur puis typé par cast). */
function scalar(path: string, resolved: ResolvedPath, value: unknown): unknown {
  const bad = (expected: string) => new FilterError(path, 'invalid_value', `Invalid value for "${path}": expected ${expected}`);
  switch (resolved.kind) {
    case 'string':
    case 'tags': {
      if (typeof value !== 'string') throw bad('a string');
      if (value.length > FILTER_LIMITS.maxStringLength) throw bad(`at most ${FILTER_LIMITS.maxStringLength} characters`);
      if (resolved.enumValues && !resolved.enumValues.includes(value)) throw bad(`one of ${resolved.enumValues.join(', ')}`);
      return value;
    }
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad('an integer');
      return n;
    }
    case 'decimal': {
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value === 'string' && value.length <= 60 && DECIMAL.test(value)) return value;
      throw bad('a decimal number');
    }
    case 'boolean': {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw bad('true or false');
    }
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value)) throw bad('a date YYYY-MM-DD');
      const d = new Date(`${value}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw bad('a valid date');
      return value;
    }
    case 'datetime': {
      if (typeof value !== 'string' || !DATETIME.test(value) || Number.isNaN(Date.parse(value))) throw bad('an ISO 8601 date-time');
      return value;
    }
    case 'uuid': {
      if (typeof value !== 'string' || !UUID.test(value)) throw bad('a UUID');
      return value.toLowerCase();
    }
    case 'json':
      return JSON.stringify(value);
  }
}

function bound(path: string, resolved: ResolvedPath, value: unknown): RawBuilder<unknown> {
  return sql`${scalar(path, resolved, value)}::${sql.raw(CASTS[resolved.kind])}`;
}

function list(path: string, resolved: ResolvedPath, value: unknown): RawBuilder<unknown> {
  if (!Array.isArray(value) || value.length === 0 || value.length > FILTER_LIMITS.maxInList) {
    throw new FilterError(path, 'invalid_value', `"${path}" expects a non-empty array of at most ${FILTER_LIMITS.maxInList} values`);
  }
  const values = value.map((v) => scalar(path, resolved, v));
  return sql`${values}::${sql.raw(CASTS[resolved.kind])}[]`;
}

/** Motif LIKE : une barre oblique inverse finale (échappement sans caractère) est refusée. */
function pattern(path: string, resolved: ResolvedPath, value: unknown): RawBuilder<unknown> {
  if (typeof value === 'string' && /(?:^|[^\\])(?:\\\\)*\\$/.test(value)) {
    throw new FilterError(path, 'invalid_value', `The pattern for "${path}" ends with an escape character`);
  }
  return bound(path, resolved, value);
}

function predicate(path: string, resolved: ResolvedPath, op: Operator, value: unknown): RawBuilder<unknown> {
  const x = resolved.expr;
  if (op === 'null') {
    if (value !== true && value !== false && value !== 'true' && value !== 'false') {
      throw new FilterError(path, 'invalid_value', `"null" expects true or false on "${path}"`);
    }
    const isNull = value === true || value === 'true';
    if (resolved.kind === 'tags') {
      return isNull ? sql`(${x} IS NULL OR cardinality(${x}) = 0)` : sql`(${x} IS NOT NULL AND cardinality(${x}) > 0)`;
    }
    return isNull ? sql`(${x} IS NULL)` : sql`(${x} IS NOT NULL)`;
  }
  if (resolved.kind === 'tags') {
    switch (op) {
      case 'eq': return sql`(${x} @> ARRAY[${bound(path, resolved, value)}])`;
      case 'in': return sql`(${x} && ${list(path, resolved, value)})`;
      default: return sql`NOT coalesce(${x} && ${list(path, resolved, value)}, false)`;
    }
  }
  switch (op) {
    case 'eq': return sql`(${x} = ${bound(path, resolved, value)})`;
    case 'neq': return sql`(${x} IS DISTINCT FROM ${bound(path, resolved, value)})`;
    case 'lt': return sql`(${x} < ${bound(path, resolved, value)})`;
    case 'lte': return sql`(${x} <= ${bound(path, resolved, value)})`;
    case 'gt': return sql`(${x} > ${bound(path, resolved, value)})`;
    case 'gte': return sql`(${x} >= ${bound(path, resolved, value)})`;
    case 'in': return sql`(${x} = ANY(${list(path, resolved, value)}))`;
    case 'nin': return sql`NOT coalesce(${x} = ANY(${list(path, resolved, value)}), false)`;
    case 'like': return sql`(${x} LIKE ${pattern(path, resolved, value)})`;
    case 'ilike': return sql`(${x} ILIKE ${pattern(path, resolved, value)})`;
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw new FilterError(path, 'invalid_value', `"between" expects [low, high] on "${path}"`);
      return sql`(${x} BETWEEN ${bound(path, resolved, value[0])} AND ${bound(path, resolved, value[1])})`;
    }
  }
}
