// Correspondance métadonnées → interface : widgets, colonnes, filtres JSON, conversions du formulaire, sections.
import { describe, expect, it } from 'vitest';
import { buildFilter, defaultColumns, filterKindFor, listableFields, sortParam, widgetFor } from '../../src/metadata/fields';
import { formSections } from '../../src/metadata/sections';
import type { EntityMeta, FieldMeta } from '../../src/metadata/types';
import { fieldMessages, formatValue, initialValues, recordTitle, toPayload } from '../../src/metadata/values';

const field = (name: string, type: string, extra: Partial<FieldMeta> = {}): FieldMeta => ({ name, type, required: false, label: { en: name }, ...extra });

const customer: EntityMeta = {
  name: 'customer', label: { en: 'Customer', fr: 'Client' }, module: 'core', extends: 'party', scope: 'tenant', abstract: false, custom: false, display: 'name',
  fields: [
    field('kind', 'enum', { options: { values: ['organisation', 'person'] }, inheritedFrom: 'party', default: 'organisation' }),
    field('name', 'string', { required: true, inheritedFrom: 'party' }),
    field('notes', 'text', { inheritedFrom: 'party' }),
    field('tags', 'tags', { inheritedFrom: 'party' }),
    field('customerCode', 'string', { unique: true }),
    field('creditLimit', 'money'),
    field('paymentTermDays', 'integer', { default: 30 }),
    field('since', 'date'),
    field('salesRep', 'ref', { options: { to: 'user' } }),
    field('lines', 'children', { options: { to: 'line', via: 'customer' } }),
    field('score', 'computed', { readOnly: true }),
    field('loyalty', 'boolean', { custom: true }),
  ],
};

describe('widgets and columns', () => {
  it('picks one widget per field type, none for children', () => {
    expect(widgetFor(field('a', 'string'))).toBe('text');
    expect(widgetFor(field('a', 'text'))).toBe('textarea');
    expect(widgetFor(field('a', 'money'))).toBe('money');
    expect(widgetFor(field('a', 'ref', { options: { to: 'user' } }))).toBe('ref');
    expect(widgetFor(field('a', 'computed'))).toBe('readonly');
    expect(widgetFor(field('a', 'string', { readOnly: true }))).toBe('readonly');
    expect(widgetFor(field('a', 'children'))).toBeNull();
  });

  it('lists scalar fields and puts the display, required and unique fields first', () => {
    expect(listableFields(customer).map((f) => f.name)).not.toContain('notes');
    expect(listableFields(customer).map((f) => f.name)).not.toContain('lines');
    expect(defaultColumns(customer, 3)).toEqual(['name', 'customerCode', 'kind']);
  });

  it('maps field types to filter controls', () => {
    expect(customer.fields.map((f) => [f.name, filterKindFor(f)])).toEqual([
      ['kind', 'enum'], ['name', 'text'], ['notes', 'text'], ['tags', null], ['customerCode', 'text'], ['creditLimit', 'number'],
      ['paymentTermDays', 'number'], ['since', 'date'], ['salesRep', 'ref'], ['lines', null], ['score', null], ['loyalty', 'boolean'],
    ]);
  });
});

describe('filters and sort', () => {
  it('builds the API filter language from the filter bar, escaping LIKE wildcards', () => {
    expect(buildFilter(customer, {
      name: { kind: 'text', text: ' 50%_off ' },
      kind: { kind: 'enum', values: ['person'] },
      paymentTermDays: { kind: 'number', from: '10', to: '60' },
      creditLimit: { kind: 'number', from: '1000' },
      since: { kind: 'date', to: '2026-12-31' },
      salesRep: { kind: 'ref', id: '0190a0a0-0000-7000-8000-000000000001' },
      loyalty: { kind: 'boolean', value: false },
    })).toEqual({
      name: { ilike: '%50\\%\\_off%' },
      kind: { in: ['person'] },
      paymentTermDays: { gte: 10, lte: 60 },
      'creditLimit.amount': { gte: '1000' },
      since: { lte: '2026-12-31' },
      salesRep: { eq: '0190a0a0-0000-7000-8000-000000000001' },
      loyalty: { eq: false },
    });
  });

  it('ignores empty controls', () => {
    expect(buildFilter(customer, { name: { kind: 'text', text: '  ' }, kind: { kind: 'enum', values: [] }, loyalty: { kind: 'boolean', value: null } })).toBeUndefined();
  });

  it('closes a date range on date-times at the next day, exclusive', () => {
    const meta = { ...customer, fields: [field('at', 'datetime')] };
    expect(buildFilter(meta, { at: { kind: 'date', from: '2026-01-01', to: '2026-01-31' } })).toEqual({ at: { gte: '2026-01-01', lt: '2026-02-01' } });
  });

  it('writes the sort parameter', () => {
    expect(sortParam({ field: 'name', descending: true })).toBe('-name');
    expect(sortParam({ field: 'name', descending: false })).toBe('name');
    expect(sortParam(undefined)).toBeUndefined();
  });
});

describe('values', () => {
  it('formats money, numbers, dates and booleans in the user language', () => {
    expect(formatValue(field('m', 'money'), { amount: '1234.50', currency: 'EUR' }, 'fr')).toMatch(/^1\s234,50\sEUR$/);
    expect(formatValue(field('m', 'money'), { amount: '1234.50', currency: 'USD' }, 'en')).toMatch(/^USD\s1,234\.50$/);
    expect(formatValue(field('d', 'date'), '2026-03-01', 'en-GB')).toBe('1 Mar 2026');
    expect(formatValue(field('d', 'date'), '2026-03-01', 'fr')).toBe('1 mars 2026');
    expect(formatValue(field('b', 'boolean'), true, 'fr')).toBe('Oui');
    expect(formatValue(field('r', 'ref'), 'id-1', 'en', (id) => (id === 'id-1' ? 'Alice' : undefined))).toBe('Alice');
    expect(formatValue(field('t', 'tags'), ['a', 'b'], 'en')).toBe('a, b');
    expect(formatValue(field('s', 'string'), null, 'en')).toBe('');
  });

  it('starts a new record from the declared defaults', () => {
    expect(initialValues(customer)).toMatchObject({ kind: 'organisation', paymentTermDays: 30, name: null });
  });

  it('sends only filled fields on create, converted to API types', () => {
    const values = { ...initialValues(customer), name: 'Acme', paymentTermDays: '45', creditLimit: { amount: '1 200,50', currency: 'EUR' }, notes: '', score: 3 };
    expect(toPayload(customer, values)).toEqual({ kind: 'organisation', name: 'Acme', paymentTermDays: 45, creditLimit: { amount: '1200.50', currency: 'EUR' } });
  });

  it('sends only changed fields on update, clearing with null', () => {
    const record = { id: 'x', name: 'Acme', customerCode: 'C1', paymentTermDays: 30, tags: ['a'] };
    const values = { ...initialValues(customer, record), customerCode: '', tags: ['a', 'b'] };
    expect(toPayload(customer, values, record)).toEqual({ customerCode: null, tags: ['a', 'b'] });
  });

  it('maps problem+json errors to their fields, the rest stays general', () => {
    const messages = fieldMessages(customer, {
      type: 'about:blank', title: 'Validation failed', status: 422, code: 'validation_failed',
      errors: [
        { field: 'name', code: 'required', message: 'Name is required' },
        { field: 'creditLimit.currency', code: 'invalid', message: 'Unknown currency' },
        { field: 'ghost', code: 'unknown_field', message: 'Unknown field' },
      ],
    });
    expect(messages.byField).toEqual({ name: 'Name is required', creditLimit: 'Unknown currency' });
    expect(messages.general).toEqual(['ghost: Unknown field']);
  });

  it('titles a record by its display field, then its eid', () => {
    expect(recordTitle(customer, { name: 'Acme', eid: 'c-1' })).toBe('Acme');
    expect(recordTitle(undefined, { eid: 'c-1' })).toBe('c-1');
  });
});

describe('form sections', () => {
  it('groups fields by the entity that declares them, own fields after inherited ones, custom fields last', () => {
    expect(formSections(customer).map((s) => [s.owner, s.fields.map((f) => f.name)])).toEqual([
      ['party', ['kind', 'name', 'notes', 'tags']],
      ['customer', ['customerCode', 'creditLimit', 'paymentTermDays', 'since', 'salesRep', 'score']],
      ['custom', ['loyalty']],
    ]);
  });
});
