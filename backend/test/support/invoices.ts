// Factures et tickets générés avec des valeurs connues, pour mesurer l'OCR et l'extraction : une mise en page
// (des lignes de texte placées sur une page A4 ou un ticket) rendue en PNG (@napi-rs/canvas, police DejaVu du paquet
// npm, aucune police du système) et en PDF (pdf-lib : avec couche texte, ou page scannée = l'image seule).
import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
GlobalFonts.registerFromPath(path.join(fontDir, 'DejaVuSans.ttf'), 'InvoiceSans');
GlobalFonts.registerFromPath(path.join(fontDir, 'DejaVuSans-Bold.ttf'), 'InvoiceSansBold');

export type Lang = 'fr' | 'en';
export type Layout = 'classic' | 'table' | 'receipt';

export interface VatLine { rate: string; base: string; amount: string }

/** Valeurs attendues (chaînes décimales exactes, dates ISO). */
export interface InvoiceTruth {
  supplier: string;
  vatNumber: string;
  iban: string;
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  net: string;
  vat: string;
  gross: string;
  vatLines: VatLine[];
}

export interface InvoiceSpec { lang: Lang; layout: Layout; truth: InvoiceTruth; rotate?: number; noise?: number }

interface TextItem { x: number; y: number; text: string; size: number; bold?: boolean; right?: boolean }
interface Page { width: number; height: number; items: TextItem[] }

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function money(value: string, lang: Lang, currency: string): string {
  const [int, dec = '00'] = value.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? ' ' : ',');
  if (lang === 'fr') return `${grouped},${dec.padEnd(2, '0')} ${currency === 'EUR' ? '€' : currency}`;
  return `${currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : currency === 'USD' ? '$' : currency + ' '}${grouped}.${dec.padEnd(2, '0')}`;
}

function date(iso: string, lang: Lang, long = false): string {
  const [y, m, d] = iso.split('-');
  if (lang === 'fr') return `${d}/${m}/${y}`;
  return long ? `${MONTHS_EN[Number(m) - 1]} ${Number(d)}, ${y}` : `${d}/${m}/${y}`;
}

const L = {
  fr: { invoice: 'FACTURE', number: 'Facture n°', date: 'Date de facture', due: 'Date d’échéance', net: 'Total HT', vat: 'TVA', gross: 'Total TTC', vatNo: 'N° TVA', rate: 'Taux', base: 'Base HT', amount: 'Montant', billTo: 'Facturé à', item: 'Désignation', receipt: 'TICKET DE CAISSE' },
  en: { invoice: 'INVOICE', number: 'Invoice No.', date: 'Invoice date', due: 'Due date', net: 'Subtotal', vat: 'VAT', gross: 'Total due', vatNo: 'VAT No.', rate: 'Rate', base: 'Net', amount: 'Amount', billTo: 'Bill to', item: 'Description', receipt: 'RECEIPT' },
};

/** Mise en page d'une facture (ou d'un ticket) : le texte et sa position, en points. */
export function layoutInvoice(spec: InvoiceSpec): Page {
  const { lang, layout, truth: t } = spec;
  const l = L[lang];
  const m = (v: string) => money(v, lang, t.currency);
  const items: TextItem[] = [];
  const add = (x: number, y: number, text: string, size = 11, bold = false, right = false) => items.push({ x, y, text, size, bold, right });
  if (layout === 'receipt') {
    const width = 300;
    let y = 40;
    add(20, y, t.supplier, 14, true); y += 20;
    add(20, y, `${l.vatNo} ${t.vatNumber}`, 9); y += 26;
    add(20, y, l.receipt, 12, true); y += 20;
    add(20, y, `${l.number} ${t.number}`, 10); y += 16;
    add(20, y, `${l.date} ${date(t.issueDate, lang)}`, 10); y += 24;
    add(20, y, lang === 'fr' ? 'Café x2' : 'Coffee x2', 10); add(width - 20, y, m(t.net), 10, false, true); y += 24;
    add(20, y, l.net, 10); add(width - 20, y, m(t.net), 10, false, true); y += 16;
    for (const v of t.vatLines) { add(20, y, `${l.vat} ${v.rate.replace('.', lang === 'fr' ? ',' : '.')} %`, 10); add(width - 20, y, m(v.amount), 10, false, true); y += 16; }
    add(20, y + 4, l.gross, 12, true); add(width - 20, y + 4, m(t.gross), 12, true, true); y += 36;
    add(20, y, `IBAN ${t.iban}`, 8);
    return { width, height: y + 30, items };
  }
  const width = 595;
  const height = 842;
  const right = width - 50;
  add(50, 60, t.supplier, 18, true);
  add(50, 80, lang === 'fr' ? '12 rue des Lilas, 69003 Lyon' : '221 Baker Street, London NW1 6XE', 10);
  add(50, 95, `${l.vatNo} ${t.vatNumber}`, 10);
  if (layout === 'classic') {
    add(right, 60, l.invoice, 22, true, true);
    add(right, 90, `${l.number} ${t.number}`, 11, false, true);
    add(right, 106, `${l.date} : ${date(t.issueDate, lang, true)}`, 11, false, true);
    if (t.dueDate) add(right, 122, `${l.due} : ${date(t.dueDate, lang, true)}`, 11, false, true);
  } else {
    add(50, 140, l.invoice, 20, true);
    add(50, 170, l.number, 10, true); add(200, 170, l.date, 10, true); if (t.dueDate) add(350, 170, l.due, 10, true);
    add(50, 186, t.number, 11); add(200, 186, date(t.issueDate, lang)); if (t.dueDate) add(350, 186, date(t.dueDate, lang));
  }
  add(50, 230, l.billTo, 10, true);
  add(50, 246, lang === 'fr' ? 'OpsFlux SAS, 5 place Bellecour, Lyon' : 'OpsFlux Ltd, 10 Market Street, Leeds', 10);
  let y = 300;
  add(50, y, l.item, 10, true); add(right, y, l.amount, 10, true, true); y += 20;
  add(50, y, lang === 'fr' ? 'Prestation de maintenance' : 'Maintenance service', 10); add(right, y, m(t.net), 10, false, true); y += 40;
  if (layout === 'table') {
    add(300, y, l.rate, 10, true); add(400, y, l.base, 10, true, true); add(right, y, l.vat, 10, true, true); y += 16;
    for (const v of t.vatLines) {
      add(300, y, `${v.rate.replace('.', lang === 'fr' ? ',' : '.')} %`, 10); add(400, y, m(v.base), 10, false, true); add(right, y, m(v.amount), 10, false, true); y += 16;
    }
    y += 14;
  }
  add(300, y, l.net, 11); add(right, y, m(t.net), 11, false, true); y += 18;
  if (layout === 'classic') {
    for (const v of t.vatLines) { add(300, y, `${l.vat} ${v.rate.replace('.', lang === 'fr' ? ',' : '.')} %`, 11); add(right, y, m(v.amount), 11, false, true); y += 18; }
  } else {
    add(300, y, l.vat, 11); add(right, y, m(t.vat), 11, false, true); y += 18;
  }
  add(300, y + 4, l.gross, 13, true); add(right, y + 4, m(t.gross), 13, true, true);
  add(50, 760, `IBAN : ${t.iban}`, 10);
  add(50, 776, lang === 'fr' ? 'Paiement par virement à 30 jours.' : 'Payment by bank transfer within 30 days.', 9);
  return { width, height, items };
}

/** Bruit « sel et poivre » reproductible (graine fixe). */
function addNoise(ctx: SKRSContext2D, width: number, height: number, amount: number): void {
  let seed = 42;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const count = Math.round(width * height * amount);
  for (let i = 0; i < count; i++) {
    ctx.fillStyle = random() < 0.5 ? '#000' : '#bbb';
    ctx.fillRect(random() * width, random() * height, 1.5, 1.5);
  }
}

/** La page en PNG, à `scale` pixels par point (2 ≈ 144 dpi). */
export function renderPng(spec: InvoiceSpec, scale = 2): Buffer {
  const page = layoutInvoice(spec);
  const canvas = createCanvas(Math.round(page.width * scale), Math.round(page.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = spec.noise ? '#f2f0ea' : '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.save();
  if (spec.rotate) {
    ctx.translate(canvas.width / 2, canvas.height / 2);
    ctx.rotate((spec.rotate * Math.PI) / 180);
    ctx.translate(-canvas.width / 2, -canvas.height / 2);
  }
  ctx.fillStyle = '#111';
  for (const item of page.items) {
    ctx.font = `${item.size * scale}px ${item.bold ? 'InvoiceSansBold' : 'InvoiceSans'}`;
    ctx.textAlign = item.right ? 'right' : 'left';
    ctx.fillText(item.text, item.x * scale, item.y * scale);
  }
  ctx.restore();
  if (spec.noise) addNoise(ctx, canvas.width, canvas.height, spec.noise);
  return canvas.toBuffer('image/png');
}

/** La page en PDF : avec couche texte (`text`), ou scannée (l'image PNG seule, sans texte). */
export async function renderPdf(spec: InvoiceSpec, mode: 'text' | 'scan'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const layout = layoutInvoice(spec);
  const page = doc.addPage([layout.width, layout.height]);
  if (mode === 'scan') {
    const image = await doc.embedPng(renderPng(spec, 2));
    page.drawImage(image, { x: 0, y: 0, width: layout.width, height: layout.height });
  } else {
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    for (const item of layout.items) {
      const font = item.bold ? bold : regular;
      // Helvetica (WinAnsi) n'a pas l'espace fine : une espace ordinaire
      const text = item.text.replace(/\u202f/g, ' ');
      const x = item.right ? item.x - font.widthOfTextAtSize(text, item.size) : item.x;
      page.drawText(text, { x, y: layout.height - item.y, size: item.size, font });
    }
  }
  return Buffer.from(await doc.save());
}

/** Jeu de factures variées : français et anglais, trois mises en page, une tournée, une bruitée. */
export function sampleInvoices(): InvoiceSpec[] {
  return [
    {
      lang: 'fr', layout: 'classic',
      truth: { supplier: 'Imprimerie Dubois SARL', vatNumber: 'FR40303265045', iban: 'FR7630006000011234567890189', number: 'FA-2026-0142', issueDate: '2026-03-14', dueDate: '2026-04-13', currency: 'EUR', net: '1250.00', vat: '250.00', gross: '1500.00', vatLines: [{ rate: '20', base: '1250.00', amount: '250.00' }] },
    },
    {
      lang: 'en', layout: 'table',
      truth: { supplier: 'Northwind Supplies Ltd', vatNumber: 'GB123456789', iban: 'GB82WEST12345698765432', number: 'INV-88231', issueDate: '2026-02-03', dueDate: '2026-03-05', currency: 'GBP', net: '4820.50', vat: '964.10', gross: '5784.60', vatLines: [{ rate: '20', base: '4820.50', amount: '964.10' }] },
    },
    {
      lang: 'fr', layout: 'table', rotate: 2,
      truth: { supplier: 'Transports Martin', vatNumber: 'FR83404833048', iban: 'FR1420041010050500013M02606', number: 'F2026/118', issueDate: '2026-01-27', dueDate: '2026-02-26', currency: 'EUR', net: '3100.00', vat: '475.00', gross: '3575.00', vatLines: [{ rate: '20', base: '2100.00', amount: '420.00' }, { rate: '5.5', base: '1000.00', amount: '55.00' }] },
    },
    {
      lang: 'en', layout: 'classic', noise: 0.004,
      truth: { supplier: 'Acme Tools GmbH', vatNumber: 'DE136695976', iban: 'DE89370400440532013000', number: 'RE-55012', issueDate: '2026-05-21', dueDate: '2026-06-20', currency: 'EUR', net: '780.00', vat: '148.20', gross: '928.20', vatLines: [{ rate: '19', base: '780.00', amount: '148.20' }] },
    },
    {
      lang: 'fr', layout: 'receipt',
      truth: { supplier: 'Boulangerie du Parc', vatNumber: 'FR32123456789', iban: 'FR7630004000031234567890143', number: 'T-000731', issueDate: '2026-04-02', dueDate: null, currency: 'EUR', net: '12.50', vat: '0.69', gross: '13.19', vatLines: [{ rate: '5.5', base: '12.50', amount: '0.69' }] },
    },
  ];
}
