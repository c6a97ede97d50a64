// Entités reconnues à leur forme : courriels, téléphones, montants avec leur devise, références d'enregistrements
// (eid engendré par la plateforme : `<entité>-<au moins six chiffres>`, par exemple customer-000123).
import type { TextEntity } from './entity.js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /(?<![\p{L}\p{N}])(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?\d(?:[\s.-]?\d{2,4}){2,5}|0\d(?:[\s.-]?\d{2}){4})(?![\p{N}])/gu;
const CURRENCIES: Record<string, string> = {
  '€': 'EUR', eur: 'EUR', euro: 'EUR', euros: 'EUR', '$': 'USD', usd: 'USD', dollar: 'USD', dollars: 'USD',
  '£': 'GBP', gbp: 'GBP', chf: 'CHF', 'k€': 'EUR',
};
const SYMBOL = '€|\\$|£|EUR|USD|GBP|CHF';
const NUMBER = '\\d{1,3}(?:[\\s\\u00a0\\u202f.,]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?';
const AMOUNT = new RegExp(
  `(?:(${SYMBOL})\\s?(${NUMBER})|(${NUMBER})\\s?(k€|${SYMBOL}|euros?|dollars?)(?![\\p{L}]))`, 'giu');
/** Référence engendrée : nom d'entité en minuscules, tiret, au moins six chiffres. */
export const RECORD_REF = /(?<![\p{L}\p{N}_-])([a-z][a-z0-9_]{1,62})-(\d{6,})(?![\p{L}\p{N}_])/gu;

/** Nombre écrit à la française (10 000,50) ou à l'anglaise (10,000.50). */
export function parseNumber(raw: string): number {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, '');
  const lastSep = Math.max(compact.lastIndexOf(','), compact.lastIndexOf('.'));
  const decimals = lastSep >= 0 && compact.length - lastSep - 1 <= 2 ? compact.length - lastSep - 1 : 0;
  const digits = compact.replace(/[.,]/g, '');
  return decimals ? Number(digits) / 10 ** decimals : Number(digits);
}

export function patternEntities(text: string): TextEntity[] {
  const found: TextEntity[] = [];
  for (const m of text.matchAll(EMAIL)) found.push({ type: 'email', text: m[0], start: m.index, end: m.index + m[0].length, value: m[0].toLowerCase() });
  for (const m of text.matchAll(AMOUNT)) {
    const symbol = (m[1] ?? m[4])!.toLowerCase();
    let amount = parseNumber((m[2] ?? m[3])!);
    if (symbol === 'k€') amount *= 1000;
    found.push({ type: 'amount', text: m[0], start: m.index, end: m.index + m[0].length, value: { amount, currency: CURRENCIES[symbol] ?? symbol.toUpperCase() } });
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/[^\d+]/g, '');
    if (digits.replace('+', '').length >= 9) found.push({ type: 'phone', text: m[0], start: m.index, end: m.index + m[0].length, value: digits });
  }
  return found;
}

/** Références d'enregistrements candidates (à vérifier contre le catalogue et les droits de l'utilisateur). */
export function recordRefs(text: string): Array<{ entity: string; eid: string; start: number; end: number }> {
  return [...text.matchAll(RECORD_REF)].map((m) => ({ entity: m[1]!, eid: m[0], start: m.index, end: m.index + m[0].length }));
}
