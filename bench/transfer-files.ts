// Fichiers du banc d'import : N lignes d'une entité de 10 champs, en CSV et en Excel, écrits en flux sur le disque.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';

export const BENCH_FIELDS = {
  name: { type: 'string', required: true, index: true },
  code: { type: 'string' },
  qty: { type: 'integer', min: 0 },
  price: { type: 'decimal' },
  active: { type: 'boolean' },
  category: { type: 'enum', options: { values: ['hardware', 'software', 'service', 'training'] } },
  dueOn: { type: 'date' },
  note: { type: 'text' },
  score: { type: 'integer' },
  tagline: { type: 'string' },
};

const HEADERS = ['eid', ...Object.keys(BENCH_FIELDS)];
const CATEGORIES = BENCH_FIELDS.category.options.values;

function cells(i: number, prefix: string): Array<string | number | boolean> {
  return [`${prefix}-${i}`, `Item ${i}`, `C${i % 997}`, i % 1000, `${i % 500}.25`, i % 3 !== 0, CATEGORIES[i % 4]!,
    `2026-${String((i % 12) + 1).padStart(2, '0')}-15`, `Note for item ${i}, with a comma`, i % 100, `Tagline ${i % 50}`];
}

const quote = (v: string | number | boolean) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));

export async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADERS.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${cells(i, 'CSV').map(quote).join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Items');
  sheet.addRow(HEADERS).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(cells(i, 'XLSX')).commit();
  sheet.commit();
  await workbook.commit();
}
