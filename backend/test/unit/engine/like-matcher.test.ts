import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFilter } from '../../../src/engine/filter/index.js';
import { likeMatches } from '../../../src/engine/filter/like.js';

// LIKE / ILIKE en mémoire (conditions des règles d'automatisation) : mêmes réponses que PostgreSQL (PGlite, collation
// "pg_c_utf8" pour ILIKE) sur des chaînes et motifs tirés au hasard, et temps borné sur un motif hostile.

// jokers, échappement, casse ASCII et Unicode (İ/ı, sigma final, ß/ẞ, pleine chasse), hors BMP, saut de ligne
const ALPHABET = ['a', 'b', 'A', 'B', '%', '_', '\\', 'İ', 'i', 'ı', 'Α', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'É', 'é', 'Ａ', 'ａ', '😀', '\n', ' '];
const text = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 8 });
const PATTERN_UNITS = [...ALPHABET, '%', '%', '_', '_'];
const randomPattern = fc.string({ unit: fc.constantFrom(...PATTERN_UNITS), maxLength: 8 });
/** motif tiré d'une chaîne : caractères gardés, remplacés par un joker, échappés ou changés de casse (correspondances fréquentes) */
const derivedPattern = (value: string) => fc.array(fc.constantFrom('keep', 'keep', '%', '_', 'escape', 'upper', 'drop'), { minLength: Array.from(value).length, maxLength: Array.from(value).length })
  .map((edits) => Array.from(value).map((c, i) => {
    switch (edits[i]) {
      case '%': return '%';
      case '_': return '_';
      case 'escape': return `\\${c}`;
      case 'upper': return c.toUpperCase();
      case 'drop': return '';
      default: return c === '%' || c === '_' || c === '\\' ? `\\${c}` : c;
    }
  }).join(''));
const endsWithEscape = (p: string) => /(?:^|[^\\])(?:\\\\)*\\$/.test(p);
const pair = text.chain((value) => fc.tuple(fc.constant(value), fc.oneof(randomPattern, derivedPattern(value)).filter((p) => !endsWithEscape(p))));

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
});
afterAll(async () => db?.close());

async function postgres(value: string, pattern: string): Promise<{ like: boolean; ilike: boolean }> {
  const { rows } = await db.query<{ like: boolean; ilike: boolean }>(
    'SELECT $1::text LIKE $2::text AS like, ($1::text COLLATE "pg_c_utf8") ILIKE $2::text AS ilike', [value, pattern]);
  return rows[0]!;
}

describe('in-memory LIKE / ILIKE', () => {
  it('answers like PostgreSQL for random strings and patterns', async () => {
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(pair, async ([value, pattern]) => {
        const expected = await postgres(value, pattern);
        const found = { like: likeMatches(pattern, value), ilike: likeMatches(pattern, value, true) };
        if (found.ilike) matched += 1;
        expect(found, JSON.stringify({ value, pattern })).toEqual(expected);
      }),
      { numRuns: 600 },
    );
    // garde-fou : assez de motifs correspondent pour que l'égalité dise quelque chose
    expect(matched).toBeGreaterThan(100);
  }, 60_000);

  it('folds case character by character, as pg_c_utf8 does', async () => {
    for (const [value, pattern] of [['İ', 'i'], ['ΑΣ', 'ασ'], ['ẞ', 'ß'], ['Ａ', 'ａ'], ['a\nb', 'A_B']] as const) {
      expect(likeMatches(pattern, value, true), `${value} ILIKE ${pattern}`).toBe((await postgres(value, pattern)).ilike);
    }
    expect(likeMatches('ασ', 'ΑΣ', true)).toBe(true);
  });

  it('stays fast on a hostile pattern that a backtracking regular expression takes seconds on', () => {
    // l'ancienne expression régulière (^[\s\S]*a[\s\S]*a[\s\S]*a[\s\S]*b$) mettait plusieurs secondes sur 500 « a »
    const hostile = { s: { like: '%a%a%a%b' } };
    let started = performance.now();
    expect(evaluateFilter(hostile, { s: 'a'.repeat(500) }, { s: 'string' })).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
    // motif de 601 caractères contre 100 000 caractères : un seul passage sur la chaîne
    const long = `${'%a'.repeat(300)}%b`;
    started = performance.now();
    expect(evaluateFilter({ s: { ilike: long } }, { s: 'A'.repeat(100_000) }, { s: 'string' })).toBe(false);
    expect(evaluateFilter({ s: { like: long } }, { s: `${'a'.repeat(100_000)}b` }, { s: 'string' })).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
