import { describe, expect, it } from 'vitest';
import { checkEntityName, checkFieldName, toCamel, toSnake } from '../../../src/engine/naming.js';

describe('identifier rules', () => {
  it('accepts plain ASCII names', () => {
    expect(checkEntityName('sales_order')).toBeNull();
    expect(checkFieldName('creditLimit')).toBeNull();
  });

  it.each([
    ['quotes', 'a"b'], ['semicolon', 'a;drop'], ['space', 'a b'], ['uppercase start', 'Abc'], ['unicode lookalike', 'іtem'],
    ['zero width', 'it\u200bem'], ['too long', `a${'b'.repeat(40)}`], ['single char', 'a'], ['trailing underscore', 'abc_'],
    ['double underscore', 'a__b'], ['digit start', '1abc'], ['not a string', 42],
  ])('rejects entity names with %s', (_label, name) => {
    expect(checkEntityName(name)).toBe('invalid');
  });

  it.each(['select', 'user', 'table', 'tenant', 'audit_log', 'pg_class', 'x_custom'])('reserves %s', (name) => {
    expect(checkEntityName(name)).toBe('reserved');
  });

  it.each(['id', 'eid', 'createdAt', 'tenantId', 'order', 'select'])('reserves field %s', (name) => {
    expect(checkFieldName(name)).toBe('reserved');
  });

  it.each(['a"b', 'a b', 'a-b', 'a_b', 'Name', 'nàme', ''])('rejects field name %j', (name) => {
    expect(checkFieldName(name)).toBe('invalid');
  });

  it('converts between camelCase and snake_case', () => {
    expect(toSnake('creditLimitEur')).toBe('credit_limit_eur');
    expect(toSnake('a1B')).toBe('a1_b');
    expect(toCamel('credit_limit_eur')).toBe('creditLimitEur');
  });
});
