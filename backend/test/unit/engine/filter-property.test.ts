import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, evaluateFilter, FilterError, type ResolvedPath, type ScalarKind } from '../../../src/engine/filter/index.js';

// Propriété : pour tout filtre valide, le SQL compilé (exécuté par PGlite) et l'évaluateur en mémoire sélectionnent
// exactement les mêmes lignes. Les valeurs des filtres sont tirées des mêmes domaines que les lignes pour que les
// correspondances soient fréquentes.

const KINDS: Record<string, ScalarKind> = {
  s: 'string', n: 'integer', d: 'decimal', b: 'boolean', dt: 'date', ts: 'datetime', tg: 'tags', u: 'uuid', j: 'json',
};
const OPS: Record<ScalarKind, string[]> = {
  string: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'like', 'ilike', 'null', 'between'],
  integer: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'],
  decimal: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'],
  boolean: ['eq', 'neq', 'null'],
  date: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'],
  datetime: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'],
  tags: ['eq', 'in', 'nin', 'null'],
  uuid: ['eq', 'neq', 'in', 'nin', 'null'],
  json: ['eq', 'null'],
};

// Variables de règles : substituées des deux côtés ; une chaîne commençant par `$` qui n'en est pas une reste littérale.
const VARIABLES: Record<string, unknown> = { '$n': 2, '$list': [1, -3, 2], '$tag': 'y', '$s': 'a%' };

// Chaînes : vide, jokers LIKE, apostrophes, barres obliques inverses, `$`, accents (casse comprise), hors BMP et
// pleine chasse (U+FF21 : l'ordre UTF-16 et l'ordre des points de code diffèrent entre 😀 et Ａ).
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'É', 'é', '%', '_', '\\', "'", '"', ' ', '$', '😀', 'Ａ'), maxLength: 4 });
const pattern = text.filter((p) => !/(?:^|[^\\])(?:\\\\)*\\$/.test(p));

// Instants à la milliseconde près, en UTC ; les filtres les écrivent aussi avec un décalage horaire (même instant).
const INSTANTS = ['2025-12-31T23:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T10:30:00.500Z', '2026-03-01T23:59:59.999Z'];
const withOffset = (iso: string, minutes: number) => {
  const local = new Date(Date.parse(iso) + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};
const instantOperand = fc.oneof(
  fc.constantFrom(...INSTANTS),
  fc.tuple(fc.constantFrom(...INSTANTS), fc.constantFrom(120, -330, 60)).map(([iso, m]) => withOffset(iso, m)),
  fc.constant('2026-01-01T10:30:00.500001Z'), // une microseconde après une valeur stockée
);

const UUIDS = ['0190f4a2-0000-7000-8000-000000000001', '0190f4a2-0000-7000-8000-00000000000a', 'ffffffff-0000-7000-8000-000000000000'];
const JSONS: unknown[] = [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, { a: { c: null } }, [1, 2], [2, 1], 'x', 1, 1.5, true];
const DECIMALS = ['-1.5', '0', '0.1', '0.25', '0.1000000000000000001', '2', '2.50', '10.75'];

/** Valeurs des lignes, par colonne. */
const ROW_DOMAIN: Record<string, fc.Arbitrary<unknown>> = {
  s: text,
  n: fc.integer({ min: -3, max: 3 }),
  d: fc.constantFrom(...DECIMALS),
  b: fc.boolean(),
  dt: fc.constantFrom('2026-01-01', '2026-01-02', '2026-02-28', '2025-12-31'),
  ts: fc.constantFrom(...INSTANTS),
  tg: fc.uniqueArray(fc.constantFrom('x', 'y', 'z', ''), { maxLength: 3 }),
  u: fc.constantFrom(...UUIDS),
  j: fc.constantFrom(...JSONS),
};

/** Valeurs des filtres, par colonne : mêmes domaines, avec les écritures alternatives acceptées. */
const OPERAND: Record<string, fc.Arbitrary<unknown>> = {
  s: fc.oneof(text, fc.constant('$s')),
  n: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }).map(String), fc.constant('$n')),
  d: fc.oneof(fc.constantFrom(...DECIMALS), fc.constantFrom(2.5, 0.1, -1.5, 0)),
  b: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false')),
  dt: ROW_DOMAIN.dt!,
  ts: instantOperand,
  tg: fc.oneof(fc.constantFrom('x', 'y', 'z', 'w', ''), fc.constant('$tag')),
  u: fc.constantFrom(...UUIDS).chain((id) => fc.constantFrom(id, id.toUpperCase())),
  j: fc.constantFrom(...JSONS),
};

const rowArb: fc.Arbitrary<Record<string, unknown>> = fc.record(Object.fromEntries(Object.entries(ROW_DOMAIN).map(([k, v]) => [k, fc.option(v, { nil: null, freq: 4 })])));

const leafArb: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(...Object.keys(KINDS)).chain((field) => {
  const value = OPERAND[field]!;
  return fc.constantFrom(...OPS[KINDS[field]!]).chain((op) => {
    let operand: fc.Arbitrary<unknown>;
    if (op === 'null') operand = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false'));
    else if (op === 'in' || op === 'nin') {
      const items = fc.array(value, { minLength: 1, maxLength: 3 });
      operand = field === 'n' ? fc.oneof({ weight: 4, arbitrary: items }, fc.constant('$list')) : items;
    } else if (op === 'between') operand = fc.tuple(value, value);
    else if (op === 'like' || op === 'ilike') operand = fc.oneof(pattern, fc.constant('$s'));
    else operand = value;
    // un `eq` s'écrit aussi en valeur nue (pour json : un objet sans clé d'opérateur est une valeur)
    return fc.tuple(operand, fc.boolean()).map(([v, bare]) => ({ [field]: bare && op === 'eq' ? v : { [op]: v } }));
  });
});

const filterArb = fc.letrec<{ filter: Record<string, unknown> }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((items) => ({ and: items })),
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
    tie('filter').map((inner) => ({ not: inner })),
    fc.array(tie('filter'), { minLength: 1, maxLength: 2 }).map((items) => ({ not: items })),
    fc.tuple(leafArb, leafArb).map(([a, b]) => ({ ...a, ...b })),
    fc.constant({}),
  ),
})).filter;

// Lignes tirées une fois par exécution ; la graine est affichée en cas d'échec (FILTER_ROWS_SEED pour rejouer).
const ROWS_SEED = Number(process.env.FILTER_ROWS_SEED ?? Math.floor(Math.random() * 2 ** 31));

let db: Kysely<Record<string, never>>;
let rows: Array<Record<string, unknown>>;

const resolve = (path: string): ResolvedPath => {
  const kind = KINDS[path];
  if (!kind) throw new FilterError(path, 'unknown_field', `Unknown field "${path}"`);
  return { expr: sql.ref(`t.${path}`), kind, fieldType: 'system' };
};

beforeAll(async () => {
  // collation pg_c_utf8 : ordre des points de code et minuscules Unicode, comme l'évaluateur en mémoire
  // date et numeric en texte, int8 en nombre ; timestamptz reste une Date JS (comparée comme instant)
  const pglite = new PGlite({ parsers: { 1082: (v: string) => v, 1700: (v: string) => v, 20: (v: string) => Number(v) } });
  db = new Kysely({ dialect: new PGliteDialect({ pglite }) });
  await sql`CREATE TABLE t (id int PRIMARY KEY, s text COLLATE "pg_c_utf8", n integer, d numeric, b boolean, dt date,
    ts timestamptz, tg text[], u uuid, j jsonb)`.execute(db);
  const generated = fc.sample(rowArb, { numRuns: 60, seed: ROWS_SEED }).map((r, id): Record<string, unknown> => ({ ...r, id }));
  for (const r of generated) {
    await sql`INSERT INTO t VALUES (${r.id}, ${r.s}, ${r.n}, ${r.d}::numeric, ${r.b}, ${r.dt}::date, ${r.ts}::timestamptz,
      ${r.tg}::text[], ${r.u}::uuid, ${r.j === null ? null : JSON.stringify(r.j)}::jsonb)`.execute(db);
  }
  // les lignes comparées sont celles que renvoie la base (types tels que lus par un client)
  rows = (await sql<Record<string, unknown>>`SELECT * FROM t ORDER BY id`.execute(db)).rows;
}, 60_000);

afterAll(async () => db?.destroy());

describe('filter compiler vs in-memory evaluator', () => {
  it('select exactly the same rows for random filters', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, async (filter) => {
        const where = compileFilter(filter, { resolve, variables: VARIABLES }) ?? sql`TRUE`;
        const { rows: found } = await sql<{ id: number }>`SELECT id FROM t WHERE ${where} ORDER BY id`.execute(db);
        const expected = rows.filter((r) => evaluateFilter(filter, r, KINDS, VARIABLES)).map((r) => r.id);
        expect(found.map((r) => r.id), `rows seed ${ROWS_SEED}`).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('generates filters that select some rows but not all', async () => {
    // garde-fou : le domaine des valeurs produit bien des correspondances partielles
    const sizes = fc.sample(filterArb, { numRuns: 200, seed: 7 }).map((f) => rows.filter((r) => evaluateFilter(f, r, KINDS, VARIABLES)).length);
    const partial = sizes.filter((n) => n > 0 && n < rows.length).length;
    expect(partial).toBeGreaterThan(60);
  });
});
