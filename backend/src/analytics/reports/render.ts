// Mise en page d'un résultat d'analyse : classeur Excel (valeurs typées, totaux) ou PDF (tableau en texte, polices
// standard, pages enchaînées) ; libellés dans la langue demandée.
import type { AnalyticsResult } from '@opsflux/sdk';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

type Locale = 'en' | 'fr';

const label = (l: Record<string, string>, locale: Locale, fallback: string) => l[locale] ?? l.en ?? fallback;
const TOTAL: Record<Locale, string> = { en: 'Total', fr: 'Total' };
const OTHERS: Record<Locale, string> = { en: 'Others', fr: 'Autres' };

/** Cellules de chaque ligne, dimensions puis mesures ; la dernière ligne porte les totaux. */
function table(result: AnalyticsResult, locale: Locale): { header: string[]; rows: unknown[][] } {
  const header = result.columns.map((c) => label(c.label, locale, c.name));
  const rows = result.rows.map((row) => result.columns.map((c, i) => {
    if (c.role === 'measure') return row.values[c.name] ?? null;
    return row.others && i === 0 ? OTHERS[locale] : row.keys[c.name] ?? null;
  }));
  const dims = result.columns.filter((c) => c.role === 'dimension').length;
  if (dims > 0) rows.push(result.columns.map((c, i) => (c.role === 'measure' ? result.totals[c.name] ?? null : i === 0 ? TOTAL[locale] : null)));
  return { header, rows };
}

export async function toXlsx(result: AnalyticsResult, title: string, locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' ') || 'Report');
  const { header, rows } = table(result, locale);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) {
    // montants exacts en texte côté API : nombres dans le classeur (Excel calcule en double précision)
    sheet.addRow(row.map((v) => (typeof v === 'string' && /^-?\d{1,15}(\.\d+)?$/.test(v) ? Number(v) : v)));
  }
  sheet.columns.forEach((column) => (column.width = 18));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Texte encodable par les polices standard du PDF (WinAnsi) : les autres caractères sont remplacés. */
const printable = (text: string) => text.replace(/›/g, '>').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

/** Une section du PDF : un titre et un tableau (un widget d'un tableau de bord, ou le rapport entier). */
export interface PdfSection {
  title: string;
  result: AnalyticsResult;
}

export function toPdf(result: AnalyticsResult, title: string, locale: Locale): Promise<Buffer> {
  return toPdfSections(title, [], locale, result);
}

/** PDF paysage A4 : titre, puis chaque section (titre, en-tête en gras, lignes, totaux), pages enchaînées. */
export async function toPdfSections(title: string, sections: PdfSection[], locale: Locale, single?: AnalyticsResult): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const width = 842;
  const height = 595;
  let page = pdf.addPage([width, height]);
  let y = height - 50;
  const room = (needed: number) => {
    if (y - needed >= 40) return;
    page = pdf.addPage([width, height]);
    y = height - 50;
  };
  const write = (text: string, x: number, size: number, useBold: boolean) => page.drawText(printable(text), { x, y, size, font: useBold ? bold : font });
  const tableOf = (result: AnalyticsResult) => {
    const { header, rows } = table(result, locale);
    const column = (width - 80) / Math.max(1, header.length);
    for (const [index, cells] of [header, ...rows].entries()) {
      room(14);
      cells.forEach((cell, i) => write(cell === null || cell === undefined ? '' : String(cell).slice(0, 40), 40 + i * column, 9, index === 0));
      y -= 14;
    }
  };
  write(title, 40, 14, true);
  y -= 24;
  if (single) tableOf(single);
  for (const section of sections) {
    room(40);
    write(section.title, 40, 11, true);
    y -= 18;
    tableOf(section.result);
    y -= 12;
  }
  return Buffer.from(await pdf.save());
}
