// Export d'une entité (filtre, tri et champs de la liste) en CSV ou en JSON, en flux : les enregistrements sont lus
// par pages (curseur) dans des transactions courtes et écrits à mesure ; la mémoire ne dépend pas du volume.
// Une cellule CSV qui commencerait par = + - @ (ou tabulation, retour) est neutralisée (injection de formules).
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Platform } from '../../core/platform.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';
import type { ListOptions } from '../../engine/query/list.js';
import type { Catalog } from '../../engine/registry.js';

export type ExportFormat = 'csv' | 'json';
const PAGE = 10_000;
const FORMULA = /^[=+\-@\t\r]/;

/** Texte d'une valeur dans une cellule : montants « 12.50 EUR », listes et objets en JSON, formules neutralisées. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value) {
    text = `${(value as { amount: string }).amount} ${(value as { currency: string }).currency}`;
  } else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

/** Pages successives de la liste (chaque page dans sa transaction). */
async function* pages(platform: Platform, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: ListOptions) {
  let cursor = options.cursor;
  for (;;) {
    const page = await platform.tenantTx(ctx, (trx) => platform.records.list(trx, ctx, catalog, model, { ...options, limit: PAGE, cursor, count: false }), { singleStatement: true });
    yield page.data;
    if (!page.meta.nextCursor) return;
    cursor = page.meta.nextCursor;
  }
}

export function exportStream(platform: Platform, ctx: RequestContext, catalog: Catalog, model: EntityModel, options: ListOptions, format: ExportFormat): Readable {
  if (format === 'json') {
    return Readable.from((async function* () {
      yield '[';
      let first = true;
      for await (const rows of pages(platform, ctx, catalog, model, options)) {
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
      for await (const rows of pages(platform, ctx, catalog, model, options)) {
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
