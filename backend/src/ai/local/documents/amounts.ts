// Montants écrits à la française (1 250,00 €) ou à l'anglaise (£1,250.00) → chaînes décimales exactes ("1250.00"),
// sans passer par un nombre flottant.
import { Decimal } from 'decimal.js';

/** Un montant avec décimales, précédé ou suivi d'un symbole monétaire éventuel. */
export const AMOUNT = /(?<![\d.,])(?:([€£$])\s?)?(-?\d{1,3}(?:[ .,\u00a0\u202f']\d{3})*|-?\d+)([.,]\d{2})(?!\d)(?:\s?(€|EUR|£|GBP|\$|USD|CHF)(?![A-Za-z]))?/g;

export interface Amount {
  value: string;
  currency?: string;
  /** position dans la ligne */
  index: number;
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', EUR: 'EUR', '£': 'GBP', GBP: 'GBP', $: 'USD', USD: 'USD', CHF: 'CHF' };

export function currencyOf(symbol: string | undefined): string | undefined {
  return symbol ? SYMBOLS[symbol] : undefined;
}

/** Les montants d'une ligne, dans l'ordre. */
export function amountsIn(line: string): Amount[] {
  const out: Amount[] = [];
  for (const match of line.matchAll(AMOUNT)) {
    const integer = match[2]!.replace(/[^\d-]/g, '');
    const value = new Decimal(`${integer}.${match[3]!.slice(1)}`).toFixed(2);
    out.push({ value, currency: currencyOf(match[1] ?? match[4]), index: match.index });
  }
  return out;
}

/** Taux de TVA en usage en Europe (pour corriger un taux mal lu d'après base et montant). */
export const KNOWN_VAT_RATES = ['0', '2.1', '5', '5.5', '6', '7', '8.5', '9', '10', '12', '13', '14', '15', '16', '17', '19', '20', '21', '22', '23', '24', '25'];

export const dec = (value: string) => new Decimal(value);

/** Taux écrit « 5,5 » ou « 20.0 » → « 5.5 », « 20 ». */
export function normaliseRate(raw: string): string {
  return new Decimal(raw.replace(',', '.')).toString();
}
