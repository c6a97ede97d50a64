// Export d'une entité (filtre, tri et champs de la liste) en CSV, JSON ou Excel, en flux : les enregistrements sont
// lus par pages (curseur) dans des transactions courtes et écrits à mesure ; la mémoire ne dépend pas du volume.
// Une cellule CSV qui commencerait par = + - @ (ou tabulation, retour) est neutralisée (injection de formules) ; dans
// un classeur Excel, un texte est une cellule de texte, jamais une formule.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { EntityModel } from '../../engine/model.js';
import type { ListOptions } from '../../engine/query/list.js';
import type { Catalog } from '../../engine/registry.js';
import type { TenantTx } from '../../engine/tenant-work.js';

export interface ExportDeps {
  records: RecordService;
  tenantTx: TenantTx;
}

export const EXPORT_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
// lignes lues par page pendant un export : taille de lot technique, sans effet sur le fichier produit
const PAGE = 20_000;
const FORMULA = /^[=+\-@\t\r]/;

/** Texte d'une valeur dans une cellule : montants « 12.50 EUR », listes et objets en JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'amount' in value && 'currency' in value) {
    return `${(value as { amount: string }).amount} ${(value as { currency: string }).currency}`;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Cellule CSV : texte de la valeur, formule neutralisée. */
export function cell(value: unknown): string {
  const text = cellText(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

/** Pages successives de la liste (chaque page dans sa transaction) ; la suivante est lue pendant l'écriture de la courante. */
async function* pages(deps: ExportDeps, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: ListOptions) {
  const read = (cursor: string | undefined) => deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, { ...options, limit: PAGE, cursor, count: false }), { singleStatement: true });
  let next = read(options.cursor);
  for (;;) {
    const page = await next;
    const cursor = page.meta.nextCursor;
    if (cursor) {
      next = read(cursor);
      // une erreur de la page suivante sera levée à son tour
      next.catch(() => undefined);
    }
    yield page.data;
    if (!cursor) return;
  }
}

/** Valeur d'une cellule Excel : nombres et booléens tels quels, le reste en texte (montants « 12.50 EUR »). */
function excelCell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' || typeof value === 'boolean' ? value : cellText(value);
}

/** Classeur Excel écrit en flux (une feuille, ligne d'en-tête figée), sans chaînes partagées : mémoire constante. */
function excelStream(rows: AsyncIterable<Record<string, unknown>[]>, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  void (async () => {
    let columns: string[] | undefined;
    for await (const page of rows) {
      for (const row of page) {
        if (!columns) {
          columns = Object.keys(row);
          sheet.addRow(columns).commit();
        }
        sheet.addRow(columns.map((c) => excelCell(row[c]))).commit();
      }
      // laisse le flux se vider entre deux pages
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

export function exportStream(deps: ExportDeps, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: ListOptions, format: ExportFormat): Readable {
  if (format === 'xlsx') return excelStream(pages(deps, ctx, catalog, model, options), model.name);
  if (format === 'json') {
    return Readable.from((async function* () {
      yield '[';
      let first = true;
      for await (const rows of pages(deps, ctx, catalog, model, options)) {
        for (const row of rows) {
          yield `${first ? '' : ','}\n${JSON.stringify(row)}`;
          first = false;
        }
      }
      yield '\n]\n';
    })());
  }
  let columns: string[] | undefined;
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  void (async () => {
    try {
      for await (const rows of pages(deps, ctx, catalog, model, options)) {
        for (const row of rows) {
          if (!columns) {
            columns = Object.keys(row);
            csv.write(columns);
          }
          if (!csv.write(columns.map((c) => cell(row[c])))) await new Promise((resolve) => csv.once('drain', resolve));
        }
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  return csv;
}
