import { Kysely, PostgresDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bindTemplate, compileTemplate, TemplateCache } from '../../../src/db/statement-template.js';

// compilation seule : le dialecte n'ouvre aucune connexion
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: {} as never }) });

describe('statement templates', () => {
  const template = compileTemplate(db, (slot) => sql`INSERT INTO t (a, b, kind) VALUES (${slot('a')}::int, ${slot('b')}, ${'shape-constant'}) RETURNING ${slot('a')}`);

  it('compiles once and binds each request values in parameter order, constants kept', () => {
    expect(template.sql).toBe('INSERT INTO t (a, b, kind) VALUES ($1::int, $2, $3) RETURNING $4');
    const first = bindTemplate(template, { a: 1, b: 'x' });
    const second = bindTemplate(template, { a: 2, b: null });
    expect(first.sql).toBe(template.sql);
    expect(first.parameters).toEqual([1, 'x', 'shape-constant', 1]);
    expect(second.parameters).toEqual([2, null, 'shape-constant', 2]);
  });

  it('refuses a slot left without a value', () => {
    expect(() => bindTemplate(template, { a: 1 })).toThrow(/slot b/);
  });

  it('caches per owner and shape, up to a cap', () => {
    const cache = new TemplateCache<object>(2);
    const owner = {};
    let made = 0;
    const make = () => (made++, template);
    cache.get(owner, 's1', make);
    cache.get(owner, 's1', make);
    expect(made).toBe(1);
    cache.get({}, 's1', make); // autre propriétaire (modèle rechargé) : nouvelle compilation
    expect(made).toBe(2);
    cache.get(owner, 's2', make);
    cache.get(owner, 's3', make);
    cache.get(owner, 's3', make); // au-delà du plafond : compilé sans être retenu
    expect(made).toBe(5);
  });
});
