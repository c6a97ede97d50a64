import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  compileFilter, evaluateFilter, FILTER_LIMITS, FilterError, type ResolvedPath, type ScalarKind,
} from '../../../src/engine/filter/index.js';
import { sqlCompiler } from '../../../src/db/postgres-dialect.js';

// Compilation sans base : pilote factice et compilateur PostgreSQL de Kysely.
const db = sqlCompiler;

const KINDS: Record<string, ScalarKind> = {
  name: 'string', qty: 'integer', price: 'decimal', ok: 'boolean', day: 'date', at: 'datetime', ref: 'uuid',
  tags: 'tags', data: 'json', state: 'string',
};

/** Chemins reçus par `resolve` : seul point d'entrée des noms de champs. */
const resolved: string[] = [];
const resolve = (path: string): ResolvedPath => {
  resolved.push(path);
  const kind = KINDS[path];
  if (!kind) throw new FilterError(path, 'unknown_field', `Unknown field "${path}"`);
  return { expr: sql.ref(`t.${path}`), kind, fieldType: 'system', enumValues: path === 'state' ? ['open', 'closed'] : undefined };
};

function compile(filter: unknown, variables?: Record<string, unknown>) {
  const expr = compileFilter(filter, { resolve, variables });
  return expr ? sql`select 1 where ${expr}`.compile(db) : undefined;
}

/** Texte SQL de la condition seule et paramètres. */
function where(filter: unknown, variables?: Record<string, unknown>): { sql: string; parameters: readonly unknown[] } {
  const q = compile(filter, variables);
  if (!q) throw new Error('empty filter');
  return { sql: q.sql.replace(/^select 1 where /, ''), parameters: q.parameters };
}

function failure(filter: unknown, variables?: Record<string, unknown>): FilterError {
  try {
    compile(filter, variables);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`filter accepted: ${JSON.stringify(filter)}`);
}

const nest = (levels: number): object =>
  Array.from({ length: levels - 1 }).reduce<object>((inner) => ({ not: inner }), { name: 'a' });

describe('compileFilter: operators', () => {
  it.each<[string, unknown, string, unknown[]]>([
    ['bare value = eq', { name: 'x' }, '("t"."name" = $1::text)', ['x']],
    ['eq', { name: { eq: 'x' } }, '("t"."name" = $1::text)', ['x']],
    ['neq (true on NULL)', { name: { neq: 'x' } }, '("t"."name" IS DISTINCT FROM $1::text)', ['x']],
    ['lt', { qty: { lt: 3 } }, '("t"."qty" < $1::bigint)', [3]],
    ['lte', { qty: { lte: 3 } }, '("t"."qty" <= $1::bigint)', [3]],
    ['gt', { price: { gt: '9.99' } }, '("t"."price" > $1::numeric)', ['9.99']],
    ['gte', { at: { gte: '2026-01-01T00:00:00Z' } }, '("t"."at" >= $1::timestamptz)', ['2026-01-01T00:00:00Z']],
    ['in', { qty: { in: [1, 2] } }, '("t"."qty" = ANY($1::bigint[]))', [[1, 2]]],
    ['nin (true on NULL)', { qty: { nin: [1] } }, 'NOT coalesce("t"."qty" = ANY($1::bigint[]), false)', [[1]]],
    ['like', { name: { like: 'a%_' } }, '("t"."name" LIKE $1::text)', ['a%_']],
    ['ilike', { name: { ilike: '%A\\%' } }, '("t"."name" ILIKE $1::text)', ['%A\\%']],
    ['null: true', { at: { null: true } }, '("t"."at" IS NULL)', []],
    ['null: false', { at: { null: 'false' } }, '("t"."at" IS NOT NULL)', []],
    ['between', { day: { between: ['2026-01-01', '2026-12-31'] } }, '("t"."day" BETWEEN $1::date AND $2::date)', ['2026-01-01', '2026-12-31']],
    ['boolean', { ok: true }, '("t"."ok" = $1::boolean)', [true]],
    ['uuid', { ref: { in: ['0190f4a2-0000-7000-8000-000000000001'] } }, '("t"."ref" = ANY($1::uuid[]))', [['0190f4a2-0000-7000-8000-000000000001']]],
    ['tags eq = contains', { tags: 'a' }, '("t"."tags" @> ARRAY[$1::text])', ['a']],
    ['tags in = overlaps', { tags: { in: ['a', 'b'] } }, '("t"."tags" && $1::text[])', [['a', 'b']]],
    ['tags nin = no overlap', { tags: { nin: ['a'] } }, 'NOT coalesce("t"."tags" && $1::text[], false)', [['a']]],
    ['tags null: true = NULL or empty', { tags: { null: true } }, '("t"."tags" IS NULL OR cardinality("t"."tags") = 0)', []],
    ['tags null: false', { tags: { null: false } }, '("t"."tags" IS NOT NULL AND cardinality("t"."tags") > 0)', []],
    ['json eq (object value)', { data: { b: [1, 2], a: 'x' } }, '("t"."data" = $1::jsonb)', ['{"b":[1,2],"a":"x"}']],
    ['json eq (operator)', { data: { eq: { null: 1 } } }, '("t"."data" = $1::jsonb)', ['{"null":1}']],
    ['json null', { data: { null: true } }, '("t"."data" IS NULL)', []],
    ['several operators are AND-ed', { qty: { gte: 1, lt: 5 } }, '(("t"."qty" >= $1::bigint) AND ("t"."qty" < $2::bigint))', [1, 5]],
  ])('%s', (_label, filter, expectedSql, parameters) => {
    expect(where(filter)).toEqual({ sql: expectedSql, parameters });
  });
});

describe('compileFilter: logic', () => {
  it('returns undefined for an empty filter', () => {
    expect(compileFilter({}, { resolve })).toBeUndefined();
    expect(compileFilter(null, { resolve })).toBeUndefined();
    expect(compileFilter(undefined, { resolve })).toBeUndefined();
  });

  it('AND-s the keys of one object', () => {
    expect(where({ name: 'x', ok: false }).sql).toBe('(("t"."name" = $1::text) AND ("t"."ok" = $2::boolean))');
  });

  it('compiles and / or', () => {
    expect(where({ or: [{ name: 'x' }, { and: [{ qty: 1 }, { qty: { neq: 2 } }] }] }).sql)
      .toBe('(("t"."name" = $1::text) OR (("t"."qty" = $2::bigint) AND ("t"."qty" IS DISTINCT FROM $3::bigint)))');
  });

  it('wraps every negation in coalesce so that NOT never yields NULL', () => {
    expect(where({ not: { name: 'x' } }).sql).toBe('NOT coalesce(("t"."name" = $1::text), false)');
    expect(where({ not: [{ name: 'x' }, { qty: 1 }] }).sql)
      .toBe('NOT coalesce((("t"."name" = $1::text) AND ("t"."qty" = $2::bigint)), false)');
  });

  it('treats an empty sub-filter as TRUE', () => {
    expect(where({ or: [{}, { name: 'x' }] }).sql).toBe('(TRUE OR ("t"."name" = $1::text))');
    expect(where({ not: {} }).sql).toBe('NOT coalesce(TRUE, false)');
  });

  it('passes dotted paths to resolve untouched', () => {
    resolved.length = 0;
    expect(failure({ 'customer.name': 'x' }).code).toBe('unknown_field');
    expect(resolved).toEqual(['customer.name']);
  });

  it('accepts filters exactly at the depth and node limits', () => {
    expect(compile(nest(FILTER_LIMITS.maxDepth))).toBeDefined();
    // 1 clé `or` + (maxNodes - 1) / 2 éléments d'une clé chacun
    const items = Array.from({ length: (FILTER_LIMITS.maxNodes - 1 - 1) / 2 }, () => ({ name: 'a' }));
    expect(compile({ or: items, ok: true })).toBeDefined();
  });
});

describe('compileFilter: values', () => {
  it('converts values by kind', () => {
    expect(where({ qty: '42' }).parameters).toEqual([42]);
    expect(where({ qty: '-7' }).parameters).toEqual([-7]);
    expect(where({ price: 12.5 }).parameters).toEqual(['12.5']);
    expect(where({ price: '-0.000000000000000000001' }).parameters).toEqual(['-0.000000000000000000001']);
    expect(where({ ok: 'false' }).parameters).toEqual([false]);
    expect(where({ ref: '0190F4A2-0000-7000-8000-00000000000A' }).parameters).toEqual(['0190f4a2-0000-7000-8000-00000000000a']);
    expect(where({ at: '2026-01-01T10:30:00.123456+05:30' }).parameters).toEqual(['2026-01-01T10:30:00.123456+05:30']);
    expect(where({ at: '2026-01-01T10:30Z' }).parameters).toEqual(['2026-01-01T10:30Z']);
    expect(where({ day: '2024-02-29' }).parameters).toEqual(['2024-02-29']);
    expect(where({ state: { in: ['open', 'closed'] } }).parameters).toEqual([['open', 'closed']]);
    expect(where({ name: '' }).parameters).toEqual(['']);
  });

  it('does not check like patterns against enum values', () => {
    expect(where({ state: { like: 'op%' } }).parameters).toEqual(['op%']);
  });

  it('substitutes rule variables only when they are provided', () => {
    const variables = { '$user.id': '0190f4a2-0000-7000-8000-000000000002', '$groups': ['a', 'b'], '$n': 3 };
    expect(where({ ref: '$user.id' }, variables).parameters).toEqual(['0190f4a2-0000-7000-8000-000000000002']);
    expect(where({ tags: { in: '$groups' } }, variables).parameters).toEqual([['a', 'b']]);
    expect(where({ qty: { in: ['$n', 4] } }, variables).parameters).toEqual([[3, 4]]);
    expect(where({ name: '$unknown' }, variables).parameters).toEqual(['$unknown']);
    expect(where({ name: '$user.id' }).parameters).toEqual(['$user.id']);
    expect(failure({ qty: '$user.id' }, variables).code).toBe('invalid_value');
  });
});

describe('compileFilter: errors', () => {
  it.each<[string, unknown, string]>([
    // invalid_filter
    ['array as filter', [{ name: 'a' }], 'invalid_filter'],
    ['string as filter', 'name = 1', 'invalid_filter'],
    ['number as filter', 1, 'invalid_filter'],
    ['class instance as filter', new Date(), 'invalid_filter'],
    ['or not an array', { or: { name: 'a' } }, 'invalid_filter'],
    ['empty or', { or: [] }, 'invalid_filter'],
    ['array inside and', { and: [[{ name: 'a' }]] }, 'invalid_filter'],
    ['not a string', { not: 'name' }, 'invalid_filter'],
    ['empty not array', { not: [] }, 'invalid_filter'],
    ['empty condition', { name: {} }, 'invalid_filter'],
    ['__proto__ key', JSON.parse('{"__proto__": {"name": "a"}}'), 'invalid_filter'],
    ['constructor key', { constructor: 'a' }, 'invalid_filter'],
    ['__proto__ operator', { name: JSON.parse('{"__proto__": "a"}') }, 'invalid_filter'],
    // unknown_field (levé par resolve)
    ['unknown field', { colour: 'red' }, 'unknown_field'],
    // unknown_operator
    ['unknown operator', { name: { regex: '.*' } }, 'unknown_operator'],
    ['upper-case operator', { name: { EQ: 'a' } }, 'unknown_operator'],
    ['operator injection', { name: { 'eq) OR 1=1 --': 1 } }, 'unknown_operator'],
    // operator_not_allowed
    ['like on integer', { qty: { like: '1%' } }, 'operator_not_allowed'],
    ['ilike on date', { day: { ilike: '2026%' } }, 'operator_not_allowed'],
    ['lt on boolean', { ok: { lt: true } }, 'operator_not_allowed'],
    ['in on boolean', { ok: { in: [true] } }, 'operator_not_allowed'],
    ['gt on uuid', { ref: { gt: '0190f4a2-0000-7000-8000-000000000001' } }, 'operator_not_allowed'],
    ['neq on tags', { tags: { neq: 'a' } }, 'operator_not_allowed'],
    ['like on tags', { tags: { like: 'a%' } }, 'operator_not_allowed'],
    ['neq on json', { data: { neq: 1 } }, 'operator_not_allowed'],
    ['in on json', { data: { in: [1] } }, 'operator_not_allowed'],
    // invalid_value
    ['word for integer', { qty: 'many' }, 'invalid_value'],
    ['float for integer', { qty: 1.5 }, 'invalid_value'],
    ['unsafe integer', { qty: 2 ** 53 }, 'invalid_value'],
    ['unsafe integer string', { qty: '9007199254740993' }, 'invalid_value'],
    ['decimal word', { price: 'ten' }, 'invalid_value'],
    ['decimal with exponent string', { price: '1e5' }, 'invalid_value'],
    ['decimal NaN', { price: Number.NaN }, 'invalid_value'],
    ['boolean word', { ok: 'yes' }, 'invalid_value'],
    ['number for string', { name: 3 }, 'invalid_value'],
    ['null for string', { name: null }, 'invalid_value'],
    ['string too long', { name: 'x'.repeat(FILTER_LIMITS.maxStringLength + 1) }, 'invalid_value'],
    ['NUL character', { name: 'a\u0000b' }, 'invalid_value'],
    ['unpaired surrogate', { name: 'a\ud800' }, 'invalid_value'],
    ['impossible date', { day: '2026-02-30' }, 'invalid_value'],
    ['year zero', { day: '0000-01-01' }, 'invalid_value'],
    ['date with time', { day: '2026-01-01T00:00:00Z' }, 'invalid_value'],
    ['datetime word', { at: 'tomorrow' }, 'invalid_value'],
    ['datetime without zone', { at: '2026-01-01T10:00:00' }, 'invalid_value'],
    ['datetime impossible day', { at: '2026-02-30T00:00:00Z' }, 'invalid_value'],
    ['datetime hour 24', { at: '2026-01-01T24:00:00Z' }, 'invalid_value'],
    ['datetime nanoseconds', { at: '2026-01-01T00:00:00.123456789Z' }, 'invalid_value'],
    ['bad uuid', { ref: "1' OR 1=1" }, 'invalid_value'],
    ['enum outside values', { state: 'z' }, 'invalid_value'],
    ['enum outside values in a list', { state: { in: ['open', 'z'] } }, 'invalid_value'],
    ['tag not a string', { tags: 1 }, 'invalid_value'],
    ['json with NUL', { data: { eq: { a: '\u0000' } } }, 'invalid_value'],
    ['in not an array', { qty: { in: 1 } }, 'invalid_value'],
    ['empty in', { qty: { in: [] } }, 'invalid_value'],
    ['empty nin', { tags: { nin: [] } }, 'invalid_value'],
    ['huge in', { qty: { in: Array.from({ length: FILTER_LIMITS.maxInList + 1 }, (_, i) => i) } }, 'invalid_value'],
    ['between with one bound', { qty: { between: [1] } }, 'invalid_value'],
    ['between not an array', { qty: { between: 1 } }, 'invalid_value'],
    ['null with a string', { name: { null: 'yes' } }, 'invalid_value'],
    ['like with a number', { name: { like: 1 } }, 'invalid_value'],
    ['trailing escape in like', { name: { like: 'abc\\' } }, 'invalid_value'],
    // filter_too_complex
    ['too deep', nest(FILTER_LIMITS.maxDepth + 1), 'filter_too_complex'],
    ['too many nodes', { or: Array.from({ length: FILTER_LIMITS.maxNodes }, () => ({ name: 'a' })) }, 'filter_too_complex'],
    ['too many empty sub-filters', { or: Array.from({ length: FILTER_LIMITS.maxNodes + 1 }, () => ({})) }, 'filter_too_complex'],
  ])('refuses %s', (_label, filter, expected) => {
    expect(failure(filter).code).toBe(expected);
  });

  it('reports the offending path', () => {
    expect(failure({ and: [{ qty: { like: 'x' } }] })).toMatchObject({ path: 'qty', code: 'operator_not_allowed' });
    expect(failure({ name: 'a', state: 'z' })).toMatchObject({ path: 'state', code: 'invalid_value' });
  });
});

describe('compileFilter: SQL injection', () => {
  const NASTY = [
    "x' OR '1'='1", "'; DROP TABLE t; --", 'a"b', '\\\'; SELECT pg_sleep(10); --', '$1', '$$ OR TRUE $$', '%\' OR 1=1 --', '😀\u2028',
  ];

  it.each(NASTY)('binds %j as a parameter, never as SQL text', (value) => {
    const q = where({ name: value, tags: { in: [value] }, or: [{ name: { ilike: value.replace(/\\$/, '') } }, { data: { eq: value } }] });
    expect(q.sql).toBe('(("t"."name" = $1::text) AND ("t"."tags" && $2::text[]) AND (("t"."name" ILIKE $3::text) OR ("t"."data" = $4::jsonb)))');
    expect(q.parameters).toEqual([value, [value], value.replace(/\\$/, ''), JSON.stringify(value)]);
  });

  it('never lets a path reach SQL: it goes to resolve, which refuses it', () => {
    resolved.length = 0;
    const error = failure({ ok: true, 'name; drop table x': 1 });
    expect(error).toMatchObject({ code: 'unknown_field', path: 'name; drop table x' });
    expect(resolved).toEqual(['ok', 'name; drop table x']);
  });

  it('only emits the expression returned by resolve', () => {
    const q = where({ name: { eq: 'a', like: 'b', in: ['c'] } });
    expect(q.sql.replace(/"t"\."name"|\$\d::text(\[\])?/g, '')).toMatch(/^[()\sA-Z=,]*$/);
  });

  it('casts typed values through parameters', () => {
    expect(where({ ref: { nin: ['0190f4a2-0000-7000-8000-000000000001'] }, day: { lt: '2026-01-01' } }).sql)
      .toBe('(NOT coalesce("t"."ref" = ANY($1::uuid[]), false) AND ("t"."day" < $2::date))');
  });
});

describe('evaluateFilter', () => {
  const kinds: Record<string, ScalarKind> = { ...KINDS };
  const row = {
    name: 'Ab%c', qty: 3, price: '2.50', ok: false, day: '2026-01-02', at: new Date('2026-01-01T10:00:00.500Z'),
    ref: '0190f4a2-0000-7000-8000-00000000000a', tags: ['a', 'b'], data: { a: 1, b: [1, 2] }, state: null,
  };
  const holds = (filter: unknown, variables?: Record<string, unknown>) => evaluateFilter(filter, row, kinds, variables);

  it('uses two-valued logic around NULL', () => {
    expect(holds({ state: 'open' })).toBe(false);
    expect(holds({ not: { state: 'open' } })).toBe(true);
    expect(holds({ state: { neq: 'open' } })).toBe(true);
    expect(holds({ state: { nin: ['open'] } })).toBe(true);
    expect(holds({ state: { null: true } })).toBe(true);
    expect(holds({ state: { between: ['a', 'z'] } })).toBe(false);
  });

  it('compares decimals exactly and instants to the microsecond', () => {
    expect(holds({ price: '2.5' })).toBe(true);
    expect(holds({ price: { gt: '2.4999999999999999999' } })).toBe(true);
    expect(holds({ price: { lt: 2.5 } })).toBe(false);
    expect(holds({ price: { lte: 2.5 } })).toBe(true);
    expect(holds({ at: '2026-01-01T11:00:00.500+01:00' })).toBe(true);
    expect(holds({ at: { lt: '2026-01-01T10:00:00.500001Z' } })).toBe(true);
  });

  it('orders strings by code point', () => {
    expect(evaluateFilter({ name: { gt: '\uffff' } }, { name: '😀' }, kinds)).toBe(true);
  });

  it('matches LIKE patterns with wildcards and escapes', () => {
    expect(holds({ name: { like: 'A_\\%%' } })).toBe(true);
    expect(holds({ name: { like: 'a%' } })).toBe(false);
    expect(holds({ name: { ilike: 'a%' } })).toBe(true);
    expect(holds({ name: { like: 'Ab\\_c' } })).toBe(false);
    expect(evaluateFilter({ name: { like: 'a\\\\b' } }, { name: 'a\\b' }, kinds)).toBe(true);
    expect(evaluateFilter({ name: { like: '_' } }, { name: '😀' }, kinds)).toBe(true);
    expect(evaluateFilter({ name: { like: '.*' } }, { name: 'x' }, kinds)).toBe(false);
  });

  it('handles tags, json, uuid, booleans and variables', () => {
    expect(holds({ tags: 'a', ok: 'false' })).toBe(true);
    expect(holds({ tags: { nin: ['c'] } })).toBe(true);
    expect(evaluateFilter({ tags: { null: true } }, { tags: [] }, kinds)).toBe(true);
    expect(holds({ data: { b: [1, 2], a: 1 } })).toBe(true);
    expect(holds({ data: { eq: { a: 1 } } })).toBe(false);
    expect(holds({ ref: '0190F4A2-0000-7000-8000-00000000000A' })).toBe(true);
    expect(holds({ qty: { in: '$list' } }, { '$list': [1, 3] })).toBe(true);
    expect(holds({ or: [{ qty: 1 }, { not: [{ qty: 3 }, { ok: true }] }] })).toBe(true);
  });
});
