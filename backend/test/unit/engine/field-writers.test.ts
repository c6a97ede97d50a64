import { describe, expect, it } from 'vitest';
import { buildModels } from '../../../src/engine/model.js';
import { validateHookOutput } from '../../../src/engine/validate.js';
import { writersOf } from '../../../src/engine/writers.js';

const model = buildModels([{
  custom: false,
  def: {
    name: 'thing',
    fields: {
      name: { type: 'string', required: true, maxLength: 5 },
      secret: { type: 'text', writeOnly: true, maxLength: 10 },
      hash: { type: 'string', internal: true, maxLength: 20 },
      fixed: { type: 'string', readOnly: true },
      widened: { type: 'string', readOnly: true, writableBy: ['rules'] },
      byRules: { type: 'string', writableBy: ['rules'] },
      total: { type: 'computed', options: { sql: '1', returns: 'integer' } },
      at: { type: 'datetime' },
      meta: { type: 'json' },
      title: { type: 'translatable' },
    },
  },
}], []).get('thing')!;
const field = (name: string) => model.byName.get(name)!;

describe('writers of a field', () => {
  it('follows the metadata: all paths by default, the API for a write-only secret, none for internal, read-only or computed', () => {
    expect(writersOf(field('name'))).toEqual(['api', 'import', 'rules']);
    expect(writersOf(field('secret'))).toEqual(['api']);
    expect(writersOf(field('byRules'))).toEqual(['rules']);
    for (const name of ['hash', 'fixed', 'widened', 'total']) expect(writersOf(field(name)), name).toEqual([]);
  });
});

describe('values left by before-hooks', () => {
  const check = (data: Record<string, unknown>, input = new Map(), mode: 'create' | 'update' = 'update') => {
    const { values, errors } = validateHookOutput(model, input, data, mode, 'fr');
    return { values: Object.fromEntries([...values].map(([f, v]) => [f.name, v])), errors: Object.fromEntries(errors.map((e) => [e.field, e.code])) };
  };

  it('accepts column forms: JSON text, Date instants, internal and read-only fields, transformed secrets', () => {
    const sealed = `v1.${'x'.repeat(60)}`;
    expect(check({ meta: '{"a":[1]}', at: new Date('2026-01-02T03:04:05Z'), hash: 'h', fixed: 'f', secret: sealed, title: '{"fr":"Bonjour"}', helper: 1 })).toEqual({
      values: { meta: '{"a":[1]}', at: '2026-01-02T03:04:05.000Z', hash: 'h', fixed: 'f', secret: sealed, title: '{"fr":"Bonjour"}' },
      errors: {},
    });
  });

  it('refuses wrong types, lengths, computed fields and a required field set to null or removed', () => {
    const input = new Map([[field('name'), 'abc']]);
    expect(check({ meta: '{oops', at: 'demain', hash: 'h'.repeat(21), total: 3, title: '[1]' }, input, 'create').errors).toEqual({
      meta: 'invalid_type', at: 'invalid_type', hash: 'too_long', total: 'read_only', title: 'invalid_type', name: 'required',
    });
    expect(check({ name: null }).errors).toEqual({ name: 'required' });
  });
});
