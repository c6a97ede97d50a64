// Options d'un import, lues des paramètres de la requête (ou des options de la CLI) : valeurs contrôlées avec une
// erreur par paramètre, complétées par un modèle d'import enregistré, puis par les défauts.
import type { FieldError } from '@opsflux/sdk';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog } from '../../engine/registry.js';
import type { TenantTx } from '../../engine/tenant-work.js';
import { badRequest } from '../../errors/problem.js';
import type { ImportOptions } from './import-run.js';
import { ENCODINGS, formatOf, IMPORT_FORMATS, type ImportFormat } from './read.js';

export interface ImportOptionDeps {
  records: RecordService;
  tenantTx: TenantTx;
}

export type ImportQuery = Record<string, string | undefined>;
const KNOWN = new Set(['format', 'mode', 'onError', 'dryRun', 'mapping', 'template', 'encoding', 'delimiter', 'dateOrder', 'wait']);
const CHOICES: Record<string, readonly string[]> = {
  format: IMPORT_FORMATS, mode: ['create', 'upsert'], onError: ['rollback', 'skip'], dateOrder: ['dmy', 'mdy'], encoding: ENCODINGS, dryRun: ['true', 'false'], wait: ['true', 'false'],
};

/** Options d'un modèle d'import enregistré (par son nom, pour l'entité). */
async function templateOptions(deps: ImportOptionDeps, ctx: RequestContext, catalog: Catalog, entity: string, name: string): Promise<Record<string, unknown>> {
  const model = deps.records.entity(ctx, catalog, 'import_template', 'read');
  const page = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, { filter: { entity, name }, limit: 1 }), { singleStatement: true });
  const template = page.data[0];
  if (!template) throw badRequest('validation_failed', `No import template "${name}" for ${entity}`, [{ field: 'template', code: 'not_found', message: `No import template "${name}"` }]);
  return Object.fromEntries(Object.entries(template).filter(([, v]) => v !== null));
}

/** Options de l'import : paramètres de la requête, sinon modèle enregistré, sinon défauts ; erreurs par paramètre. */
export async function importOptions(deps: ImportOptionDeps, ctx: RequestContext, catalog: Catalog, entity: string, query: ImportQuery): Promise<{ format?: ImportFormat; options: ImportOptions }> {
  const errors: FieldError[] = [];
  for (const key of Object.keys(query)) if (!KNOWN.has(key)) errors.push({ field: key, code: 'unknown_parameter', message: `Unknown parameter "${key}"` });
  for (const [key, values] of Object.entries(CHOICES)) {
    const value = query[key];
    if (value !== undefined && !values.includes(value)) errors.push({ field: key, code: 'invalid_enum', message: `${key} must be one of: ${values.join(', ')}` });
  }
  let mapping: unknown;
  if (query.mapping !== undefined) {
    try {
      mapping = JSON.parse(query.mapping);
    } catch {
      mapping = undefined;
    }
    const valid = typeof mapping === 'object' && mapping !== null && !Array.isArray(mapping)
      && Object.values(mapping).every((v) => v === null || typeof v === 'string');
    if (!valid) errors.push({ field: 'mapping', code: 'invalid_type', message: 'mapping must be a JSON object { "column header": "field" | null }' });
  }
  if (query.delimiter !== undefined && (query.delimiter.length !== 1 || /["\r\n]/.test(query.delimiter))) {
    errors.push({ field: 'delimiter', code: 'invalid_value', message: 'delimiter is one character (not a quote or a line break)' });
  }
  if (errors.length) throw badRequest('validation_failed', 'Invalid import parameters', errors);
  const template = query.template !== undefined ? await templateOptions(deps, ctx, catalog, entity, query.template) : {};
  const pick = <T extends string>(key: string, fallback: T): T => (query[key] ?? template[key] ?? fallback) as T;
  const options: ImportOptions = {
    mode: pick('mode', 'upsert'),
    onError: pick('onError', 'rollback'),
    dryRun: query.dryRun === 'true',
    mapping: (mapping ?? template.mapping ?? undefined) as Record<string, string | null> | undefined,
    encoding: (query.encoding ?? template.encoding) as ImportOptions['encoding'],
    delimiter: (query.delimiter ?? template.delimiter) as string | undefined,
    dateOrder: pick('dateOrder', 'dmy'),
  };
  return { format: query.format as ImportFormat | undefined, options };
}

/** Format du fichier : celui demandé, sinon d'après le nom du fichier ; 400 s'il reste inconnu. */
export function importFormat(given: ImportFormat | undefined, fileName: string): ImportFormat {
  const format = given ?? formatOf(fileName);
  if (!format) throw badRequest('validation_failed', 'Unknown file format: give format=csv|json|xlsx', [{ field: 'format', code: 'required', message: 'csv | json | xlsx' }]);
  return format;
}
