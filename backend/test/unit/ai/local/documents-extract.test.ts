// Extraction de facture sur du texte (sans OCR) : montants français et anglais en décimales exactes, dates dans les
// deux langues, clé des IBAN, taux de TVA mal lu corrigé, en-tête de tableau, numéro de TVA distinct du numéro.
import { describe, expect, it } from 'vitest';
import { amountsIn } from '../../../../src/ai/local/documents/amounts.js';
import { datesIn } from '../../../../src/ai/local/documents/dates.js';
import { findIban, validIban } from '../../../../src/ai/local/documents/iban.js';
import { extractInvoice } from '../../../../src/ai/local/documents/invoice-extractor.js';

describe('invoice extraction rules', () => {
  it('reads French and English amounts as exact decimals', () => {
    expect(amountsIn('Total TTC 1 250,50 €').map((a) => [a.value, a.currency])).toEqual([['1250.50', 'EUR']]);
    expect(amountsIn('Total due £12,345.60').map((a) => [a.value, a.currency])).toEqual([['12345.60', 'GBP']]);
    expect(amountsIn('3.100,00 € and 0,69€').map((a) => a.value)).toEqual(['3100.00', '0.69']);
    expect(amountsIn('FR40303265045 no decimals')).toEqual([]);
  });

  it('reads dates in both languages', () => {
    expect(datesIn('Date : 14/03/2026').map((d) => d.iso)).toEqual(['2026-03-14']);
    expect(datesIn('le 1er mars 2026').map((d) => d.iso)).toEqual(['2026-03-01']);
    expect(datesIn('Invoice date: March 14, 2026 due 2026-04-13').map((d) => d.iso)).toEqual(['2026-03-14', '2026-04-13']);
    expect(datesIn('31/02/2026')).toEqual([]);
    expect(datesIn('03/04/2026')[0]!.certainty).toBeLessThan(1);
  });

  it('validates IBANs by their key and repairs O/0 confusions', () => {
    expect(validIban('FR7630006000011234567890189')).toBe(true);
    expect(validIban('FR7630006000011234567890188')).toBe(false);
    expect(findIban('IBAN : FR76 3000 6000 O112 3456 7890 189')).toEqual({ iban: 'FR7630006000011234567890189', valid: true });
    expect(findIban('IBAN : FR76 3000 6000 0112 3456 7890 180')).toEqual({ iban: 'FR7630006000011234567890180', valid: false });
  });

  it('extracts a table layout and corrects a misread VAT rate from base and amount', () => {
    const fields = extractInvoice([
      'Transports Martin', 'N° TVA FR83404833048', 'Facture n° Date de facture Date d’échéance', 'F2026/118 27/01/2026 26/02/2026',
      'Taux Base HT TVA', '20% 2.100,00 € 420,00 €', '55%  1000,00 € 55,00 €', 'Total HT 3 100,00 €', 'TVA 475,00 €', 'Total TTC 3 575,00 €',
    ].join('\n'));
    expect(fields.number.value).toBe('F2026/118');
    expect(fields.vatNumber.value).toBe('FR83404833048');
    expect([fields.issueDate.value, fields.dueDate.value]).toEqual(['2026-01-27', '2026-02-26']);
    expect(fields.vatLines.value).toEqual([{ rate: '20', base: '2100.00', amount: '420.00' }, { rate: '5.5', base: '1000.00', amount: '55.00' }]);
    expect([fields.net.value, fields.vat.value, fields.gross.value]).toEqual(['3100.00', '475.00', '3575.00']);
    expect(fields.gross.confidence).toBe(0.97);
  });

  it('deduces a missing total with a lower confidence, and finds nothing in unrelated text', () => {
    const fields = extractInvoice('ACME\nInvoice No. A-1\nSubtotal €100.00\nVAT 20 % €20.00');
    expect(fields.gross).toEqual({ value: '120.00', confidence: 0.55 });
    const empty = extractInvoice('hello world');
    expect(empty.gross).toEqual({ value: null, confidence: 0 });
    expect(empty.number.value).toBeNull();
  });
});
