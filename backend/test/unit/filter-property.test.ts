import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, evaluateFilter, FilterError, type ResolvedPath, type ScalarKind } from '../../src/engine/filter/index.js';

// Le compilateur SQL et l'évaluateur en mémoire doivent sélectionner exactement les mêmes lignes.
const KINDS: Record<string, ScalarKind> = { s: 'string', n: 'integer', d: 'decimal', b: 'boolean', dt: 'date', ts: 'datetime', tg: 'tags' };
const OPS: Record<ScalarKind, string[]> = {
  string: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'like', 'ilike', 'null', 'between'],
  integer: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'],
  decimal: ['eq', 'neq', 'lt', 'gte', 'in', 'nin', 'null', 'between'],
  boolean: ['eq', 'neq', 'null'],
  date: ['eq', 'neq', 'lt', 'gte', 'in', 'nin', 'null', 'between'],
  datetime: ['eq', 'neq', 'lte', 'gt', 'in', 'nin', 'null', 'between'],
  tags: ['eq', 'in', 'nin', 'null'],
  uuid: [], json: [],
};

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '%', '_', '\\', "'", 'é', ' '), maxLength: 3 });
const pattern = text.filter((p) => !/(?:^|[^\\])(?:\\\\)*\\$/.test(p));
const DOMAIN: Record<string, fc.Arbitrary<unknown>> = {
  s: text,
  n: fc.integer({ min: -3, max: 3 }),
  d: fc.constantFrom('-1.5', '0', '0.25', '2', '10.75'),
  b: fc.boolean(),
  dt: fc.constantFrom('2026-01-01', '2026-01-02', '2026-02-28', '2025-12-31'),
  ts: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T10:30:00.500Z', '2026-03-01T23:59:59.999Z'),
  tg: fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }),
};

const rowArb = fc.record(Object.fromEntries(Object.entries(DOMAIN).map(([k, v]) => [k, fc.option(v, { nil: null, freq: 4 })])));

const leafArb: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(...Object.keys(KINDS)).chain((field) => {
  const kind = KINDS[field]!;
  const value = field === 'tg' ? fc.constantFrom('x', 'y', 'z', 'w') : DOMAIN[field]!;
  return fc.constantFrom(...OPS[kind]).chain((op) => {
    let operand: fc.Arbitrary<unknown>;
    if (op === 'null') operand = fc.boolean();
    else if (op === 'in' || op === 'nin') operand = fc.array(value, { minLength: 1, maxLength: 3 });
    else if (op === 'between') operand = fc.tuple(value, value);
    else if (op === 'like' || op === 'ilike') operand = pattern;
    else operand = value;
    // un `eq` s'écrit aussi en valeur nue
    return fc.tuple(operand, fc.boolean()).map(([v, bare]) => ({ [field]: bare && op === 'eq' && field !== 'tg' ? v : { [op]: v } }));
  });
});

const filterArb = fc.letrec<{ filter: Record<string, unknown> }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((items) => ({ and: items })),
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
    tie('filter').map((inner) => ({ not: inner })),
    fc.tuple(leafArb, leafArb).map(([a, b]) => ({ ...a, ...b })),
  ),
})).filter;

let pglite: PGlite;
let db: Kysely<any>;
let rows: Array<Record<string, unknown>>;

const resolve = (path: string): ResolvedPath => {
  const kind = KINDS[path];
  if (!kind) throw new FilterError(path, 'unknown_field', `Unknown field "${path}"`);
  return { expr: sql.ref(`t.${path}`), kind, fieldType: 'string' };
};

beforeAll(async () => {
  pglite = new PGlite({ parsers: { 1082: (v: string) => v, 1700: (v: string) => v, 20: (v: string) => Number(v) } });
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) });
  await sql`CREATE TABLE t (id int PRIMARY KEY, s text COLLATE "C", n integer, d numeric, b boolean, dt date, ts timestamptz, tg text[])`.execute(db);
  rows = fc.sample(rowArb, { numRuns: 80, seed: 42 }).map((r, id) => ({ id, ...r }));
  for (const r of rows) {
    await sql`INSERT INTO t VALUES (${r.id}, ${r.s}, ${r.n}, ${r.d}::numeric, ${r.b}, ${r.dt}::date, ${r.ts}::timestamptz, ${r.tg}::text[])`.execute(db);
  }
}, 60_000);

afterAll(async () => db?.destroy());

describe('filter compiler vs in-memory evaluator', () => {
  it('select exactly the same rows for random filters', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, async (filter) => {
        const where = compileFilter(filter, { resolve }) ?? sql`TRUE`;
        const { rows: found } = await sql<{ id: number }>`SELECT id FROM t WHERE ${where} ORDER BY id`.execute(db);
        const expected = rows.filter((r) => evaluateFilter(filter, r, KINDS)).map((r) => r.id);
        expect(found.map((r) => r.id)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
