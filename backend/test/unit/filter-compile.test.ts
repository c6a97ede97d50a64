import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileFilter, FILTER_LIMITS, FilterError, type ResolvedPath, type ScalarKind } from '../../src/engine/filter/index.js';

const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const KINDS: Record<string, ScalarKind> = { name: 'string', qty: 'integer', price: 'decimal', ok: 'boolean', day: 'date', at: 'datetime', ref: 'uuid', tags: 'tags', data: 'json', state: 'string' };
const resolve = (path: string): ResolvedPath => {
  const kind = KINDS[path];
  if (!kind) throw new FilterError(path, 'unknown_field', `Unknown field "${path}"`);
  return { expr: sql.ref(`t.${path}`), kind, fieldType: 'string', enumValues: path === 'state' ? ['a', 'b'] : undefined };
};

function compile(filter: unknown, variables?: Record<string, unknown>) {
  const expr = compileFilter(filter, { resolve, variables });
  return expr ? sql`${expr}`.compile(db) : undefined;
}

function code(filter: unknown): string {
  try {
    compile(filter);
    return 'ok';
  } catch (error) {
    return (error as FilterError).code;
  }
}

describe('filter compiler', () => {
  it('binds every value as a parameter', () => {
    const q = compile({ name: "x' OR '1'='1", qty: { gte: 3, lt: 10 }, or: [{ ok: true }, { tags: 'a' }] })!;
    expect(q.sql).not.toContain("'1'='1");
    expect(q.parameters).toEqual(["x' OR '1'='1", 3, 10, true, 'a']);
    expect(q.sql).toContain('"t"."name" = $1::text');
  });

  it('compiles each operator', () => {
    expect(compile({ name: { neq: 'a' } })!.sql).toContain('IS DISTINCT FROM');
    expect(compile({ qty: { in: [1, 2] } })!.sql).toContain('= ANY($1::bigint[])');
    expect(compile({ qty: { nin: [1] } })!.sql).toContain('NOT coalesce');
    expect(compile({ name: { like: 'a%' } })!.sql).toContain('LIKE');
    expect(compile({ name: { ilike: 'a%' } })!.sql).toContain('ILIKE');
    expect(compile({ day: { between: ['2026-01-01', '2026-12-31'] } })!.sql).toContain('BETWEEN $1::date AND $2::date');
    expect(compile({ at: { null: true } })!.sql).toContain('IS NULL');
    expect(compile({ tags: { in: ['a', 'b'] } })!.sql).toContain('&&');
    expect(compile({ not: { ok: false } })!.sql).toMatch(/^NOT coalesce/);
    expect(compile({ data: { a: 1 } })!.parameters).toEqual(['{"a":1}']);
    expect(compile({})).toBeUndefined();
  });

  it('converts values by kind', () => {
    expect(compile({ qty: '42' })!.parameters).toEqual([42]);
    expect(compile({ price: 12.5 })!.parameters).toEqual(['12.5']);
    expect(compile({ ok: 'false' })!.parameters).toEqual([false]);
    expect(compile({ ref: '0190F4A2-0000-7000-8000-000000000001' })!.parameters).toEqual(['0190f4a2-0000-7000-8000-000000000001']);
  });

  it.each<[string, unknown, string]>([
    ['unknown field', { colour: 'red' }, 'unknown_field'],
    ['injection in a path', { 'name; DROP TABLE x': 1 }, 'unknown_field'],
    ['unknown operator', { name: { regex: '.*' } }, 'unknown_operator'],
    ['operator injection', { name: { 'eq; DROP': 1 } }, 'unknown_operator'],
    ['like on integer', { qty: { like: '1%' } }, 'operator_not_allowed'],
    ['lt on boolean', { ok: { lt: true } }, 'operator_not_allowed'],
    ['string for integer', { qty: 'many' }, 'invalid_value'],
    ['float for integer', { qty: 1.5 }, 'invalid_value'],
    ['number for string', { name: 3 }, 'invalid_value'],
    ['bad date', { day: '2026-02-30' }, 'invalid_value'],
    ['bad datetime', { at: 'tomorrow' }, 'invalid_value'],
    ['bad uuid', { ref: "1' OR 1=1" }, 'invalid_value'],
    ['enum outside values', { state: 'z' }, 'invalid_value'],
    ['empty in', { qty: { in: [] } }, 'invalid_value'],
    ['huge in', { qty: { in: Array.from({ length: FILTER_LIMITS.maxInList + 1 }, (_, i) => i) } }, 'invalid_value'],
    ['between with one bound', { qty: { between: [1] } }, 'invalid_value'],
    ['null with a string', { name: { null: 'yes' } }, 'invalid_value'],
    ['trailing escape in like', { name: { like: 'abc\\' } }, 'invalid_value'],
    ['array as filter', [{ name: 'a' }], 'invalid_filter'],
    ['string as filter', 'name = 1', 'invalid_filter'],
    ['or not an array', { or: { name: 'a' } }, 'invalid_filter'],
    ['empty or', { or: [] }, 'invalid_filter'],
    ['proto key', JSON.parse('{"__proto__": {"name": "a"}}'), 'invalid_filter'],
    ['too deep', Array.from({ length: FILTER_LIMITS.maxDepth + 1 }).reduce<object>((f) => ({ not: f }), { name: 'a' }), 'filter_too_complex'],
    ['too many nodes', { or: Array.from({ length: FILTER_LIMITS.maxNodes + 1 }, () => ({ name: 'a' })) }, 'filter_too_complex'],
  ])('refuses %s', (_label, filter, expected) => {
    expect(code(filter)).toBe(expected);
  });

  it('substitutes rule variables only when they are provided', () => {
    expect(compile({ ref: '$user.id' }, { '$user.id': '0190f4a2-0000-7000-8000-000000000002' })!.parameters).toEqual(['0190f4a2-0000-7000-8000-000000000002']);
    expect(compile({ name: '$user.id' })!.parameters).toEqual(['$user.id']);
  });
});
