import { describe, expect, it } from 'vitest';
import { inlineParameters } from '../../../src/db/prepared-statements.js';

describe('inlined parameters of the first statement', () => {
  it('escapes quotes and backslashes and never re-substitutes inserted text', () => {
    expect(inlineParameters('SELECT $1::text, $2::text', ["it's", '$1 \\ x'])).toBe("SELECT 'it''s'::text,  E'$1 \\\\ x'::text");
  });

  it('renders null, numbers, booleans, arrays and JSON', () => {
    expect(inlineParameters('SELECT $1, $2, $3, $4::text[], $5::jsonb', [null, 42, true, ['a', "b'c"], '{"k":1}']))
      .toBe(`SELECT NULL, '42', 'true', '{"a","b''c"}'::text[], '{"k":1}'::jsonb`);
  });

  it('renders bytes in the hexadecimal bytea form, NUL bytes included', () => {
    expect(inlineParameters('SELECT $1::bytea', [Buffer.from([0, 255, 16])])).toBe("SELECT '\\x00ff10'::bytea");
  });

  it('refuses a text with a NUL character as PostgreSQL does (22021), instead of cutting the protocol message', () => {
    for (const value of ['a\u0000b', ['x', '\u0000']]) {
      expect(() => inlineParameters('SELECT $1', [value])).toThrow(expect.objectContaining({ code: '22021' }));
    }
  });

  it('handles ten and more parameters', () => {
    const params = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(inlineParameters('$1,$10,$12', params)).toBe("'1','10','12'");
  });
});
