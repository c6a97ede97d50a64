// Contexte prêté au code d'un module : enregistrements du tenant dans la transaction en cours, réglages, textes
// traduits, journal. Rien d'autre du cœur n'est atteignable depuis un module.
import type { ModuleContext, ModuleLogger, ModuleRecords, RecordData } from '@opsflux/sdk';
import type { Settings } from '../config/settings.js';
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';
import type { RecordService } from '../engine/crud/service.js';
import type { Catalog } from '../engine/registry.js';
import { ProblemError } from '../errors/problem.js';
import { conversionPolicy, convert } from '../services/reference/currency-conversion.js';
import { nextNumber } from '../services/reference/sequences.js';
import { convertQuantity } from '../services/reference/uom-conversion.js';
import type { OptimiseService } from '../ai/local/optimise/service.js';
import type { Translations } from './loader.js';

export interface ContextServices {
  records: RecordService;
  settings: Settings;
  log: (module: string) => ModuleLogger;
  /** solveur d'optimisation (intelligence locale) prêté aux modules */
  optimise: Pick<OptimiseService, 'solve'>;
}

export interface ContextScope {
  module: string;
  translations: Translations;
  trx: Tx;
  ctx: RequestContext;
  catalog: Catalog;
}

export function moduleContext(services: ContextServices, scope: ContextScope): ModuleContext {
  const { module, translations, trx, ctx, catalog } = scope;
  const records = recordsFacade(services.records, trx, ctx, catalog);
  return {
    module,
    tenantId: ctx.tenantId,
    userId: ctx.userId,
    locale: ctx.locale,
    records,
    sudo: () => moduleContext(services, { ...scope, ctx: { ...ctx, system: true } }),
    setting: (key) => services.settings.value(key, { tenantId: ctx.tenantId, userId: ctx.userId }, trx),
    nextNumber: (code, options) => nextNumber(trx, code, options),
    convertUnits: async (quantity, from, to) => (await convertQuantity(trx, quantity, from, to, ctx.locale)).quantity,
    convert: async (amount, from, to, date) => {
      const policy = await conversionPolicy(services.settings, { tenantId: ctx.tenantId, userId: ctx.userId }, trx);
      return (await convert(trx, { amount, from, to, date }, policy, ctx.locale)).amount;
    },
    t: (key, params = {}) => {
      const text = translations[ctx.locale]?.[key] ?? translations.en?.[key] ?? key;
      return text.replace(/\{(\w+)\}/g, (all, name: string) => (params[name] === undefined ? all : String(params[name])));
    },
    log: services.log(module),
    ai: { solve: (model) => services.optimise.solve({ tenantId: ctx.tenantId, userId: ctx.userId, locale: ctx.locale }, model) },
  };
}

function recordsFacade(service: RecordService, trx: Tx, ctx: RequestContext, catalog: Catalog): ModuleRecords {
  const model = (entity: string, action: 'read' | 'create' | 'update' | 'delete') => service.entity(ctx, catalog, entity, action);
  return {
    list: async (entity, query = {}) => (await service.list(trx, ctx, catalog, model(entity, 'read'), query)).data as RecordData[],
    get: async (entity, id) => (await service.get(trx, ctx, catalog, model(entity, 'read'), id)) as RecordData,
    create: async (entity, data) => (await service.create(trx, ctx, catalog, model(entity, 'create'), data)) as RecordData,
    update: async (entity, id, data, options = {}) =>
      (await service.update(trx, ctx, catalog, model(entity, 'update'), id, data, options.expectedVersion)) as RecordData,
    remove: (entity, id) => service.remove(trx, ctx, catalog, model(entity, 'delete'), id),
    upsert: async (entity, eid, data) => {
      const target = model(entity, 'create');
      // un enregistrement semé puis supprimé (désinstallation sans données) revient plutôt que de heurter son eid
      const [deleted] = (await service.list(trx, ctx, catalog, target, { filter: { eid }, trashed: 'only', limit: 1 })).data;
      if (deleted) await service.restore(trx, ctx, catalog, target, String(deleted.id));
      return (await service.upsertByEid(trx, ctx, catalog, target, eid, data)).record as RecordData;
    },
  };
}

/** Erreur métier d'un module (classe du SDK, éventuellement d'une copie empaquetée) → problem+json. */
export function moduleProblem(error: unknown): unknown {
  const e = error as { name?: string; code?: unknown; status?: unknown; field?: unknown; message?: string };
  if (e?.name !== 'ModuleError' || typeof e.code !== 'string') return error;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 422;
  const errors = typeof e.field === 'string' ? [{ field: e.field, code: e.code, message: e.message ?? e.code }] : undefined;
  return new ProblemError(status, e.code, e.message, errors);
}

/** Exécute du code d'un module : ses erreurs métier deviennent des problèmes HTTP, les autres passent telles quelles. */
export async function moduleCall<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw moduleProblem(error);
  }
}
