// Littéraux SQL des sessions serveur : même texte que `pg.escapeLiteral`, sur des cas choisis et des chaînes tirées au
// hasard parmi les caractères qui comptent (apostrophe, barre oblique inverse, guillemet).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../../src/db/prepared-statements.js';

describe('quoteLiteral', () => {
  it('matches pg.escapeLiteral exactly', () => {
    const cases = ['', 'a', "it's", 'back\\slash', "both ' and \\ and ''\\\\", '\\', "'", 'é\u0001x', '{"a":"b\\"c"}'];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      cases.push(Array.from({ length: Math.floor(random() * 12) }, () => "a'\\\"x"[Math.floor(random() * 5)]).join(''));
    }
    for (const text of cases) expect(quoteLiteral(text), JSON.stringify(text)).toBe(pg.escapeLiteral(text));
  });
});
