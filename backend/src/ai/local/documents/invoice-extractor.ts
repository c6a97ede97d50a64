// Extraction d'une facture ou d'un ticket depuis le texte lu (couche PDF ou OCR), par règles : libellés français et
// anglais sur la même ligne que la valeur, ou en-tête de tableau suivi d'une ligne de valeurs ; montants contrôlés
// entre eux (HT + TVA = TTC, base × taux = TVA). Chaque champ porte une confiance entre 0 et 1.
import { amountsIn, dec, KNOWN_VAT_RATES, normaliseRate, type Amount } from './amounts.js';
import { datesIn } from './dates.js';
import { findIban } from './iban.js';

export interface Field<T = string> { value: T | null; confidence: number }

export interface VatLine { rate: string; base: string | null; amount: string }

export interface InvoiceFields {
  supplier: Field;
  vatNumber: Field;
  number: Field;
  issueDate: Field;
  dueDate: Field;
  currency: Field;
  net: Field;
  vat: Field;
  gross: Field;
  iban: Field;
  vatLines: Field<VatLine[]>;
}

export const INVOICE_FIELDS = ['supplier', 'vatNumber', 'number', 'issueDate', 'dueDate', 'currency', 'net', 'vat', 'gross', 'iban', 'vatLines'] as const;

const NET = /total\s*h\.?\s?t|sous[- ]?total|sub\s?-?total|montant\s*h\.?\s?t|net\s+amount|total\s+(excl|before|net)|total\s*hors\s*taxes?/i;
const GROSS = /total\s*t\.?\s?t\.?\s?c|total\s+(due|to\s+pay|amount|incl)|amount\s+due|balance\s+due|net\s+[àa]\s+payer|grand\s+total|montant\s*t\.?\s?t\.?\s?c|total\s*[àa]\s*payer|^\s*total\b/i;
const VAT = /\b(t\.?v\.?a|vat|tax|gst|mwst|ust)\b/i;
const TITLE = /^(facture|invoice|re[çc]u|receipt|ticket( de caisse)?|avoir|credit note|devis|quote)\b/i;

const NUMBER_LABEL = /(?:(facture|invoice|ticket|receipt|re[çc]u|avoir|credit note)\s*)?\b(?:n[°º]|no\.?(?=[\s:#])|num[ée]ro|number|#)\s*:?/gi;
const NUMBER_VALUE = /^[:#\s]*([A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_.]*)/i;
const ISSUE_LABEL = /date\s+(de\s+(la\s+)?)?(facture|facturation|[ée]mission)|invoice\s+date|date\s+of\s+issue|issue\s+date|date\s+d['’]?[ée]mission|^\s*date\b|\bdate\s*:/i;
const DUE_LABEL = /[ée]ch[ée]ance|due\s+date|date\s+due|payable\s+(by|before|on)|date\s+limite|[àa]\s+payer\s+avant|payment\s+due/i;
const VAT_NO_LABEL = /n[°ºo]?\s*(de\s+)?t\.?v\.?a|vat\s*(no|number|reg|id)|tva\s+intra|tax\s+id|ust-?id|siret|\bvat\b/i;
const VAT_NO = /\b(FR\s?[0-9A-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}|GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\d{3})?|DE\s?\d{9}|BE\s?[01]\d{9}|ES\s?[A-Z0-9]\d{7}[A-Z0-9]|IT\s?\d{11}|NL\s?\d{9}B\d{2}|LU\s?\d{8}|AT\s?U\d{8}|CH[EÉ]?-?\d{3}\.?\d{3}\.?\d{3})\b/i;

const none = <T = string>(): Field<T> => ({ value: null, confidence: 0 });
const field = <T = string>(value: T | null, confidence: number): Field<T> => ({ value, confidence: value === null ? 0 : Math.round(confidence * 100) / 100 });

/** Texte propre : apostrophes, espaces insécables, lignes vides retirées. */
export function cleanLines(text: string): string[] {
  return text.replace(/[’‘`]/g, "'").replace(/[\u00a0\u202f]/g, ' ').split(/\n/).map((l) => l.replace(/[ \t]+$/g, '')).filter((l) => l.trim() !== '');
}

/** Langue du document d'après ses mots (fr ou en). */
export function detectLanguage(text: string): 'fr' | 'en' {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  const fr = count(/\b(facture|tva|total ttc|total ht|échéance|date de|montant|à payer|désignation|quantité|prix|fournisseur|paiement|jours)\b/gi);
  const en = count(/\b(invoice|vat|total due|subtotal|due date|amount|description|quantity|price|bill to|payment|days)\b/gi);
  return fr >= en ? 'fr' : 'en';
}

/** Dernier montant d'une ligne (la colonne des totaux est à droite). */
const lastAmount = (amounts: Amount[]) => amounts[amounts.length - 1];

function totals(lines: string[]) {
  let net: Amount | undefined;
  let gross: Amount | undefined;
  let vatTotal: Amount | undefined;
  const vatLines: VatLine[] = [];
  for (const line of lines) {
    const amounts = amountsIn(line);
    if (amounts.length === 0) continue;
    const rate = line.match(/(\d{1,2}(?:[.,]\d{1,2})?)\s?%/);
    if (NET.test(line)) { net = lastAmount(amounts); continue; }
    if (GROSS.test(line) && !VAT.test(line.replace(/t\.?\s?t\.?\s?c/i, ''))) { gross = lastAmount(amounts); continue; }
    if (rate && (VAT.test(line) || amounts.length >= 2)) {
      vatLines.push({ rate: normaliseRate(rate[1]!), base: amounts.length >= 2 ? amounts[0]!.value : null, amount: lastAmount(amounts)!.value });
      continue;
    }
    if (VAT.test(line)) vatTotal = lastAmount(amounts);
  }
  return { net: net?.value, gross: gross?.value, vat: vatTotal?.value, vatLines };
}

/** Corrige un taux mal lu (« 55 % » pour « 5,5 % ») quand base et montant le donnent, et complète la base. */
function checkVatLines(lines: VatLine[], net: string | undefined): { lines: VatLine[]; consistent: boolean } {
  let consistent = lines.length > 0;
  const fixed = lines.map((line) => {
    let { rate, base } = line;
    if (base === null && lines.length === 1 && net) base = net;
    if (base === null && !dec(rate).isZero()) base = dec(line.amount).mul(100).div(rate).toFixed(2);
    if (base !== null && !dec(base).isZero()) {
      const computed = dec(line.amount).div(base).mul(100);
      const known = KNOWN_VAT_RATES.find((r) => computed.minus(r).abs().lte(0.06));
      if (known && known !== rate && !computed.minus(rate).abs().lte(0.06)) rate = known;
      if (!dec(base).mul(rate).div(100).minus(line.amount).abs().lte(0.01)) consistent = false;
    }
    return { rate, base, amount: line.amount };
  });
  return { lines: fixed, consistent };
}

interface Labelled { value: string; confidence: number }

/** Libellé du numéro de document, sauf celui d'un numéro de TVA, SIRET ou téléphone (« N° TVA », « VAT No. »). */
function numberLabel(line: string): RegExpMatchArray | undefined {
  for (const match of line.matchAll(NUMBER_LABEL)) {
    const before = line.slice(0, match.index);
    const after = line.slice(match.index + match[0].length);
    if (/(vat|tva|tax|siret|siren|iban|t[ée]l[ée]?phone|phone|tel)\.?\s*$/i.test(before) || /^\s*(de\s+)?(tva|vat|siret|siren|tel)/i.test(after)) continue;
    return match;
  }
  return undefined;
}

/** Numéro et dates d'après leurs libellés : sur la même ligne, ou en en-tête d'une ligne de valeurs (tableau). */
function header(lines: string[]) {
  let number: Labelled | undefined;
  let issue: Labelled | undefined;
  let due: Labelled | undefined;
  lines.forEach((line, i) => {
    const dates = datesIn(line);
    const dueAt = line.search(DUE_LABEL);
    const issueAt = line.search(ISSUE_LABEL);
    const numberMatch = numberLabel(line);
    const labels = [dueAt >= 0, issueAt >= 0, numberMatch !== undefined].filter(Boolean).length;
    // en-tête de tableau : plusieurs libellés, aucune valeur ; les valeurs sont sur la ligne suivante, dans le même ordre
    if (labels >= 2 && dates.length === 0 && lines[i + 1]) {
      const values = lines[i + 1]!;
      const valueDates = datesIn(values);
      const order = [issueAt >= 0 ? { at: issueAt, kind: 'issue' } : null, dueAt >= 0 ? { at: dueAt, kind: 'due' } : null].filter((x) => x !== null).sort((a, b) => a.at - b.at);
      order.forEach((slot, k) => {
        const date = valueDates[k];
        if (!date) return;
        if (slot.kind === 'issue') issue ??= { value: date.iso, confidence: 0.8 * date.certainty };
        else due ??= { value: date.iso, confidence: 0.8 * date.certainty };
      });
      const token = values.replace(/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g, ' ').trim().split(/\s+/).find((t) => /\d/.test(t) && /^[A-Z0-9][A-Z0-9\-/_.]+$/i.test(t));
      if (token && numberMatch) number ??= { value: token, confidence: 0.8 };
      return;
    }
    if (numberMatch && !number) {
      const after = line.slice(numberMatch.index! + numberMatch[0].length);
      const value = after.match(NUMBER_VALUE)?.[1];
      if (value && !datesIn(value).length && numberMatch[1]) number = { value: value.replace(/[.]$/, ''), confidence: 0.92 };
      else if (value && !datesIn(value).length) number = { value: value.replace(/[.]$/, ''), confidence: 0.6 };
    }
    if (dates.length) {
      if (dueAt >= 0 && !due) {
        const date = dates.find((d) => d.index > dueAt) ?? dates[dates.length - 1]!;
        due = { value: date.iso, confidence: 0.92 * date.certainty };
      }
      if (issueAt >= 0 && !issue && (dueAt < 0 || issueAt < dueAt)) {
        const date = dates.find((d) => d.index > issueAt && (dueAt < 0 || d.index < dueAt)) ?? dates[0]!;
        issue = { value: date.iso, confidence: 0.92 * date.certainty };
      }
    }
  });
  if (!issue) {
    // sans libellé : la première date du document
    const first = lines.flatMap((l) => datesIn(l)).find((d) => d.iso !== due?.value);
    if (first) issue = { value: first.iso, confidence: 0.5 * first.certainty };
  }
  return { number, issue, due };
}

function currency(lines: string[]): Field {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const amount of amountsIn(line)) if (amount.currency) counts.set(amount.currency, (counts.get(amount.currency) ?? 0) + 1);
    for (const code of line.match(/\b(EUR|GBP|USD|CHF)\b/g) ?? []) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return none();
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return field(best[0], Math.min(0.98, 0.6 + 0.4 * (best[1] / total) * Math.min(1, best[1] / 3)));
}

function vatNumber(lines: string[]): Field {
  let fallback: string | undefined;
  for (const line of lines) {
    const found = line.toUpperCase().match(VAT_NO)?.[1]?.replace(/[\s.-]/g, '');
    if (!found) continue;
    if (VAT_NO_LABEL.test(line)) return field(found, 0.93);
    fallback ??= found;
  }
  return fallback ? field(fallback, 0.6) : none();
}

/** Nom du fournisseur : la première ligne de texte en tête du document, sans le titre (FACTURE, INVOICE…). */
function supplier(lines: string[]): Field {
  for (const line of lines.slice(0, 6)) {
    const name = line.replace(/\s{2,}.*$/, '').replace(/\b(FACTURE|INVOICE|RECEIPT|TICKET DE CAISSE|REÇU|AVOIR)\b.*$/i, '').replace(/^[^\p{L}\d]+|[^\p{L}\d.)]+$/gu, '').trim();
    if (name.length < 3 || TITLE.test(name) || !/\p{L}{2}/u.test(name) || datesIn(name).length || amountsIn(name).length) continue;
    return field(name, 0.6);
  }
  return none();
}

/** Extrait les champs d'une facture depuis son texte. */
export function extractInvoice(text: string): InvoiceFields {
  const lines = cleanLines(text);
  const t = totals(lines);
  const vat = checkVatLines(t.vatLines, t.net);
  let { net, gross, vat: vatTotal } = t;
  const sumLines = vat.lines.length ? vat.lines.reduce((sum, l) => sum.plus(l.amount), dec('0')).toFixed(2) : undefined;
  vatTotal ??= sumLines;
  // contrôles croisés : un total cohérent avec les deux autres est sûr, un total déduit l'est moins
  const agree = net && vatTotal && gross && dec(net).plus(vatTotal).minus(gross).abs().lte(0.01);
  let computed: 'net' | 'vat' | 'gross' | undefined;
  if (!gross && net && vatTotal) { gross = dec(net).plus(vatTotal).toFixed(2); computed = 'gross'; }
  else if (!net && gross && vatTotal) { net = dec(gross).minus(vatTotal).toFixed(2); computed = 'net'; }
  else if (!vatTotal && net && gross) { vatTotal = dec(gross).minus(net).toFixed(2); computed = 'vat'; }
  const amountConfidence = (name: 'net' | 'vat' | 'gross') => (agree ? 0.97 : computed === name ? 0.55 : computed ? 0.85 : 0.6);
  const head = header(lines);
  const iban = findIban(lines.join('\n'));
  return {
    supplier: supplier(lines),
    vatNumber: vatNumber(lines),
    number: head.number ? field(head.number.value, head.number.confidence) : none(),
    issueDate: head.issue ? field(head.issue.value, head.issue.confidence) : none(),
    dueDate: head.due ? field(head.due.value, head.due.confidence) : none(),
    currency: currency(lines),
    net: field(net ?? null, amountConfidence('net')),
    vat: field(vatTotal ?? null, amountConfidence('vat')),
    gross: field(gross ?? null, amountConfidence('gross')),
    iban: iban ? field(iban.iban, iban.valid ? 0.99 : 0.3) : none(),
    vatLines: vat.lines.length ? field(vat.lines, vat.consistent && (!sumLines || !vatTotal || sumLines === vatTotal) ? 0.93 : 0.6) : none<VatLine[]>(),
  };
}
