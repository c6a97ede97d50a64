// Exactitude de l'extraction d'une facture par rapport aux valeurs connues : par champ et au total.
import type { InvoiceFields } from '../../src/ai/local/documents/invoice-extractor.js';
import { INVOICE_FIELDS } from '../../src/ai/local/documents/invoice-extractor.js';
import type { InvoiceTruth } from './invoices.js';

const norm = (v: unknown) => String(v ?? '').toLowerCase().replace(/[^\p{L}\d.]/gu, '');

export function fieldMatches(name: (typeof INVOICE_FIELDS)[number], got: InvoiceFields, truth: InvoiceTruth): boolean {
  const value = got[name].value;
  if (name === 'vatLines') {
    const lines = (value as { rate: string; base: string | null; amount: string }[] | null) ?? [];
    const key = (l: { rate: string; base: string | null; amount: string }) => `${Number(l.rate)}|${l.base}|${l.amount}`;
    return lines.map(key).sort().join(';') === truth.vatLines.map(key).sort().join(';');
  }
  const expected = name === 'dueDate' ? truth.dueDate : truth[name as Exclude<keyof InvoiceTruth, 'vatLines'>];
  if (expected === null) return value === null;
  return norm(value) === norm(expected);
}

export class AccuracyReport {
  readonly perField = new Map<string, { ok: number; total: number }>();
  readonly misses: string[] = [];

  add(label: string, got: InvoiceFields, truth: InvoiceTruth): void {
    for (const name of INVOICE_FIELDS) {
      const ok = fieldMatches(name, got, truth);
      const entry = this.perField.get(name) ?? { ok: 0, total: 0 };
      entry.total++;
      if (ok) entry.ok++;
      else this.misses.push(`${label} ${name}: got ${JSON.stringify(got[name].value)}`);
      this.perField.set(name, entry);
    }
  }

  overall(): number {
    let ok = 0;
    let total = 0;
    for (const entry of this.perField.values()) { ok += entry.ok; total += entry.total; }
    return total ? ok / total : 0;
  }

  summary(): string {
    return [...this.perField.entries()].map(([name, e]) => `${name} ${(e.ok / e.total).toFixed(2)}`).join(', ');
  }
}
