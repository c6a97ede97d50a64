import { describe, expect, it } from 'vitest';
import { buildModels } from '../../../src/engine/model.js';
import { validateInput } from '../../../src/engine/validate.js';

const model = buildModels([{
  custom: false,
  def: {
    name: 'thing',
    fields: {
      name: { type: 'string', required: true, maxLength: 5 },
      qty: { type: 'integer', min: 0, max: 10 },
      price: { type: 'money' },
      ratio: { type: 'decimal' },
      on: { type: 'date' },
      at: { type: 'datetime' },
      kind: { type: 'enum', options: { values: ['a', 'b'] }, default: 'a' },
      mail: { type: 'email' },
      site: { type: 'url' },
      tags: { type: 'tags' },
      title: { type: 'translatable' },
      secret: { type: 'string', internal: true },
      total: { type: 'computed', options: { sql: 'qty * 2', returns: 'integer' } },
      fixed: { type: 'string', readOnly: true },
    },
  },
}], []).get('thing')!;

const errorsOf = (input: unknown, mode: 'create' | 'update' = 'create') =>
  Object.fromEntries(validateInput(model, input, mode, 'en').errors.map((e) => [e.field, e.code]));

describe('input validation', () => {
  it('normalises valid values and applies defaults on create', () => {
    const { result, errors } = validateInput(model, {
      name: 'abc', qty: 3, price: { amount: 12.5, currency: 'EUR' }, ratio: '0.10', on: '2026-02-28',
      at: '2026-02-28T10:00:00+02:00', mail: 'a@b.co', site: 'https://x.io', tags: ['x', 'x', 'y'], title: { fr: 'Bonjour', en: 'Hello' },
    }, 'create', 'en');
    expect(errors).toEqual([]);
    const values = Object.fromEntries([...result.values].map(([f, v]) => [f.name, v]));
    expect(values).toMatchObject({
      price: { amount: '12.5', currency: 'EUR' }, ratio: '0.10', at: '2026-02-28T08:00:00.000Z', tags: ['x', 'y'], kind: 'a',
    });
  });

  it('reports every invalid field at once', () => {
    expect(errorsOf({
      name: 'toolong', qty: 11, price: { amount: 'x', currency: 'EUR' }, ratio: Number.POSITIVE_INFINITY, on: '2026-02-30', at: 'yesterday',
      kind: 'c', mail: 'nope', site: 'javascript:alert(1)', tags: 'x', title: 3, bogus: 1, secret: 's', total: 1, fixed: 'f',
    })).toEqual({
      name: 'too_long', qty: 'too_large', price: 'invalid_type', ratio: 'invalid_type', on: 'invalid_type', at: 'invalid_type',
      kind: 'invalid_enum', mail: 'invalid_email', site: 'invalid_url', tags: 'invalid_type', title: 'invalid_type',
      bogus: 'unknown_field', secret: 'unknown_field', total: 'read_only', fixed: 'read_only',
    });
  });

  it('requires required fields on create only, and refuses clearing them', () => {
    expect(errorsOf({})).toEqual({ name: 'required' });
    expect(errorsOf({}, 'update')).toEqual({});
    expect(errorsOf({ name: null }, 'update')).toEqual({ name: 'required' });
  });

  it('rejects integers that are floats, strings or out of 32-bit range', () => {
    expect(errorsOf({ name: 'a', qty: 1.5 }).qty).toBe('invalid_type');
    expect(errorsOf({ name: 'a', qty: '1' }).qty).toBe('invalid_type');
    expect(errorsOf({ name: 'a', qty: -1 }).qty).toBe('too_small');
  });

  it('rejects non-object bodies and bad eids', () => {
    expect(errorsOf([])).toEqual({ '': 'invalid_type' });
    expect(errorsOf({ name: 'a', eid: '' }).eid).toBe('invalid_type');
    expect(errorsOf({ name: 'a', eid: 'x'.repeat(256) }).eid).toBe('invalid_type');
    expect(errorsOf({ name: 'a', eid: 'ok\u0000' }).eid).toBe('invalid_type');
  });

  it('gives French messages', () => {
    const { errors } = validateInput(model, { qty: 'x' }, 'create', 'fr');
    expect(errors.find((e) => e.field === 'name')!.message).toBe('Ce champ est obligatoire.');
  });
});
