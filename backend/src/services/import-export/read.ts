// Lecture en flux d'un fichier à importer (CSV, JSON, Excel) : des lignes numérotées comme le tableur les montre
// (l'en-tête est la ligne 1), jamais le fichier entier en mémoire.
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import jsonl from 'stream-json/jsonl/parser.js';
import streamArray from 'stream-json/streamers/stream-array.js';

export const IMPORT_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-15', 'utf-16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface ReadOptions {
  encoding?: Encoding;
  /** séparateur CSV ; deviné sur la ligne d'en-tête sinon (virgule, point-virgule, tabulation) */
  delimiter?: string;
}

/** Ligne lue : cellules par en-tête de colonne (CSV, Excel) ou objet de l'élément (JSON). */
export interface SourceRow {
  row: number;
  values: Record<string, unknown>;
  /** défaut de forme de la ligne : cellules au-delà des en-têtes, élément JSON qui n'est pas un objet */
  problem?: 'extra_cells' | 'not_an_object';
}

/** Fichier illisible : l'import s'arrête avant d'écrire quoi que ce soit (code et message pour le rapport). */
export class ImportFileError extends Error {
  constructor(readonly code: string, message: string, readonly row?: number) {
    super(message);
  }
}

/** Octets → texte dans l'encodage donné ; UTF-8 strict (un fichier Latin-1 n'est pas deviné en silence), BOM retiré. */
function decoder(encoding: Encoding = 'utf-8'): Transform {
  let text: InstanceType<typeof TextDecoder> | undefined;
  let offset = 0;
  return new Transform({
    encoding: 'utf8',
    transform(chunk: Buffer, _enc, done) {
      try {
        if (!text) {
          // un BOM UTF-16 impose son encodage, quel que soit le choix annoncé
          const utf16 = chunk[0] === 0xff && chunk[1] === 0xfe;
          text = new TextDecoder(utf16 ? 'utf-16le' : encoding, { fatal: true });
        }
        const decoded = text.decode(chunk, { stream: true });
        offset += chunk.length;
        done(null, decoded);
      } catch {
        done(new ImportFileError('invalid_encoding', `The file is not valid ${encoding.toUpperCase()} (near byte ${offset}): choose its encoding (for example windows-1252)`));
      }
    },
    flush(done) {
      try {
        done(null, text?.decode() ?? '');
      } catch {
        done(new ImportFileError('invalid_encoding', `The file ends in the middle of a ${encoding.toUpperCase()} character`));
      }
    },
  });
}

/** Séparateur le plus fréquent hors guillemets sur la première ligne. */
export function guessDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  const [best, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ',';
}

/** En-têtes d'un fichier tabulaire : non vides et uniques (sinon deux colonnes se disputeraient un champ). */
function checkHeaders(headers: string[]): string[] {
  const clean = headers.map((h) => String(h ?? '').trim());
  const seen = new Set<string>();
  for (const [i, header] of clean.entries()) {
    if (!header) throw new ImportFileError('empty_header', `Column ${i + 1} has no header`, 1);
    if (seen.has(header.toLowerCase())) throw new ImportFileError('duplicate_header', `The header "${header}" appears twice`, 1);
    seen.add(header.toLowerCase());
  }
  return clean;
}

/** Texte décodé et son premier morceau (lu d'avance pour deviner le séparateur ou la forme du JSON). */
async function decodedHead(source: Readable, encoding: Encoding | undefined): Promise<{ text: Transform; head: string }> {
  const text = source.pipe(decoder(encoding));
  source.on('error', (error) => text.destroy(error));
  const head = await new Promise<string>((resolve, reject) => {
    text.once('data', (chunk: string) => { text.pause(); resolve(chunk); });
    text.once('end', () => resolve(''));
    text.once('error', reject);
  });
  return { text, head };
}

/** Remet le premier morceau en tête puis branche la suite du texte sur l'analyseur. */
function feed(text: Transform, head: string, target: NodeJS.WritableStream & { destroy(error?: Error): void }): void {
  text.on('error', (error) => target.destroy(error));
  target.write(head);
  text.pipe(target);
  text.resume();
}

async function* readCsv(source: Readable, options: ReadOptions): AsyncGenerator<SourceRow> {
  const { text, head } = await decodedHead(source, options.encoding);
  const delimiter = options.delimiter ?? guessDelimiter(head.split(/\r\n|\n|\r/, 1)[0] ?? '');
  const parser = parse({ delimiter, bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, max_record_size: 1_000_000 });
  feed(text, head, parser);
  let headers: string[] | undefined;
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row += 1;
    if (!headers) {
      headers = checkHeaders(record);
      continue;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < headers.length; i++) values[headers[i]!] = record[i];
    const extra = record.length > headers.length && record.slice(headers.length).some((c) => c !== '');
    yield extra ? { row, values, problem: 'extra_cells' } : { row, values };
  }
}

/** Valeur d'une cellule Excel : texte riche, formules (leur résultat), liens et erreurs ramenés à une valeur simple. */
export function excelValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return excelValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return (value as ExcelJS.CellHyperlinkValue).text;
  if ('error' in value) return { error: (value as ExcelJS.CellErrorValue).error };
  return undefined;
}

async function* readXlsx(source: Readable): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  let headers: string[] | undefined;
  try {
    for await (const sheet of workbook) {
      // la première feuille seulement
      for await (const line of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = (line.values as ExcelJS.CellValue[]).slice(1).map(excelValue);
        if (!headers) {
          if (cells.every((c) => c === undefined || c === '')) continue;
          headers = checkHeaders(cells.map((c) => String(c ?? '')));
          continue;
        }
        const values: Record<string, unknown> = {};
        for (let i = 0; i < headers.length; i++) values[headers[i]!] = cells[i];
        yield { row: line.number, values };
      }
      break;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('invalid_file', `This is not a readable Excel workbook (${(error as Error).message})`);
  }
}

async function* readJson(source: Readable, options: ReadOptions): AsyncGenerator<SourceRow> {
  const { text, head } = await decodedHead(source, options.encoding);
  // tableau JSON ou une valeur par ligne (JSON Lines)
  const stream = head.trimStart().startsWith('[') ? streamArray.withParserAsStream() : jsonl.asStream();
  feed(text, head, stream);
  let row = 0;
  try {
    for await (const item of stream as AsyncIterable<{ value: unknown }>) {
      row += 1;
      const value = item.value;
      const object = typeof value === 'object' && value !== null && !Array.isArray(value);
      yield object ? { row, values: value as Record<string, unknown> } : { row, values: {}, problem: 'not_an_object' };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('invalid_json', `The file is not valid JSON after element ${row}: ${(error as Error).message}`, row + 1);
  }
}

export function readRows(source: Readable, format: ImportFormat, options: ReadOptions = {}): AsyncGenerator<SourceRow> {
  switch (format) {
    case 'csv': return readCsv(source, options);
    case 'json': return readJson(source, options);
    case 'xlsx': return readXlsx(source);
  }
}

/** Format d'après le nom du fichier (l'appelant peut l'imposer). */
export function formatOf(fileName: string): ImportFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'jsonl' || extension === 'ndjson') return 'json';
  if (extension === 'tsv' || extension === 'txt') return 'csv';
  return IMPORT_FORMATS.find((f) => f === extension);
}
