// `opsflux import ENTITY FILE` et `opsflux export ENTITY` : le même service d'import (travail suivi, rapport
// d'erreurs, audit) et le même export en flux que l'API, au nom du système, dans le tenant « default » ou --tenant.
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FORMATS, exportStream, importFormat, importOptions, parseListQuery, toProblem, type ExportFormat } from '@opsflux/backend';
import { UsageError, type CommandContext } from './index.js';
import { output, systemContext, withPlatform } from './open.js';

/** Problème de l'API (entité inconnue, paramètre ou filtre invalide) → erreur d'utilisation avec ses messages. */
function usage(error: unknown): never {
  const problem = toProblem(error, 'en');
  if (!problem || problem.status >= 500) throw error;
  const details = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new UsageError(details ? `${problem.message} (${details})` : problem.message);
}

export async function importFile(ctx: CommandContext): Promise<number> {
  const [entity, file] = ctx.args as [string, string];
  const path = resolve(file);
  const size = (await stat(path).catch(() => { throw new UsageError(`cannot read ${file}`); })).size;
  const o = ctx.options;
  const query = {
    format: o.format, mode: o.mode, onError: o['on-error'], dryRun: o['dry-run'] === undefined ? undefined : 'true',
    mapping: o.mapping, template: o.template, encoding: o.encoding, delimiter: o.delimiter, dateOrder: o['date-order'],
  };
  const { job, issues } = await withPlatform(ctx, async (platform) => {
    const system = await systemContext(platform, ctx);
    const catalog = await platform.catalog(system.tenantId);
    const { format: given, options } = await importOptions(platform, system, catalog, entity, Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))).catch(usage);
    let model, format;
    try {
      model = platform.records.entity(system, catalog, entity, 'import');
      format = importFormat(given, file);
    } catch (error) {
      usage(error);
    }
    const started = await platform.imports.start({ ctx: system, catalog, model, file: { path, name: basename(file), size, temporary: false }, format, options });
    const done = await platform.imports.wait(system, started.id, 24 * 3600 * 1000);
    const scope = { tenantId: system.tenantId, userId: null };
    return { job: done, issues: done.counts.errors ? await platform.imports.jobs.issues(scope, done.id, 0, 100) : [] };
  }, { writes: true });
  const { counts } = job;
  output(ctx, { ...job, errors: issues }, [
    `${job.status}${job.written ? '' : ' (nothing written)'}: ${counts.rowsRead} rows read, ${counts.created} created, ${counts.updated} updated, ${counts.skipped} skipped, ${counts.errors} errors`,
    ...(job.message ? [job.message] : []),
    ...issues.map((i) => `  row ${i.row}${i.field ? ` ${i.field}` : ''}: ${i.message}${i.value ? ` (${i.value})` : ''}`),
    ...(counts.errors > issues.length ? [`  … ${counts.errors - issues.length} more`] : []),
  ]);
  return job.status === 'succeeded' ? 0 : 1;
}

export async function exportEntity(ctx: CommandContext): Promise<number> {
  const [entity] = ctx.args as [string];
  const format = (ctx.options.format ?? 'csv') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const query = Object.fromEntries(['filter', 'fields', 'sort'].flatMap((k) => (ctx.options[k] === undefined ? [] : [[k, ctx.options[k]]])));
  await withPlatform(ctx, async (platform) => {
    const system = await systemContext(platform, ctx);
    const catalog = await platform.catalog(system.tenantId);
    try {
      const model = platform.records.entity(system, catalog, entity, 'export');
      const options = parseListQuery(query);
      // un filtre invalide est signalé avant d'écrire quoi que ce soit
      await platform.tenantTx(system, (trx) => platform.records.list(trx, system, catalog, model, { ...options, limit: 1, count: false }));
      const target = ctx.options.out ? createWriteStream(resolve(ctx.options.out)) : process.stdout;
      await pipeline(exportStream(platform, system, catalog, model, options, format), target, { end: target !== process.stdout });
    } catch (error) {
      usage(error);
    }
  });
  return 0;
}
