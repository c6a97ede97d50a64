// Services des modèles de base : conversion de devises et d'unités, import et lecture des taux, numéros de séquence.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import { conversionPolicy, convert } from '../../services/reference/currency-conversion.js';
import { fetchProviderRates, type RatesFetchDeps } from '../../services/reference/rates-fetcher.js';
import { importRates, parseRatesCsv } from '../../services/reference/exchange-rates.js';
import { nextNumber } from '../../services/reference/sequences.js';
import { ISO_DATE } from '../../errors/field-problems.js';
import { convertQuantity } from '../../services/reference/uom-conversion.js';
import { addWorkingDays, checkDays, loadCalendar, workingDaysBetween } from '../../services/reference/working-days.js';
import { UUID } from '../../engine/validate.js';
import { requireAuth } from '../auth.js';
import { acceptTextBodies } from '../text-bodies.js';
import {
  addWorkingDaysSchema, convertCurrencySchema, convertQuantitySchema, countWorkingDaysSchema, fetchRatesSchema, importRatesSchema, nextNumberSchema,
} from './reference-services-schemas.js';
import { badRequest, notFound, ProblemError } from '../../errors/problem.js';

/** Services que ces routes utilisent. */
export type ReferenceServiceRouteDeps = Pick<PlatformServices, 'catalogFor' | 'records' | 'settings' | 'tenantTx'> & RatesFetchDeps;

type Query = Record<string, string | undefined>;

/** Appelant authentifié ayant le droit `action` sur `entity`. */
async function allowed(deps: ReferenceServiceRouteDeps, request: FastifyRequest, entity: string, action: EntityAction): Promise<RequestContext> {
  const ctx = requireAuth(request);
  deps.records.entity(ctx, await deps.catalogFor(ctx), entity, action);
  return ctx;
}

function calendarId(id: string): string {
  if (!UUID.test(id)) throw notFound(`Unknown calendar ${id}`);
  return id;
}

export function registerReferenceServiceRoutes(app: FastifyInstance, deps: ReferenceServiceRouteDeps): void {
  acceptTextBodies(app, ['text/csv']);

  app.get<{ Querystring: Query }>('/api/v1/currencies/convert', { schema: convertCurrencySchema }, async (request) => {
    const ctx = await allowed(deps, request, 'exchange_rate', 'read');
    const policy = await conversionPolicy(deps.settings, { tenantId: ctx.tenantId, userId: ctx.userId });
    const { amount, from, to, date } = request.query;
    return deps.tenantTx(ctx, (trx) => convert(trx, { amount, from, to, date }, policy, ctx.locale));
  });

  app.post<{ Body: unknown }>('/api/v1/currencies/rates/import', { schema: importRatesSchema }, async (request) => {
    const ctx = await allowed(deps, request, 'exchange_rate', 'import');
    if (typeof request.body !== 'string') throw new ProblemError(415, 'unsupported_media_type', 'Send the rates as text/csv: date,base,quote,rate[,source]');
    const rows = parseRatesCsv(request.body);
    return deps.tenantTx(ctx, (trx) => importRates(trx, ctx, rows), { write: true });
  });

  app.post('/api/v1/currencies/rates/fetch', { schema: fetchRatesSchema }, async (request) => {
    const ctx = await allowed(deps, request, 'exchange_rate', 'import');
    return fetchProviderRates(deps, ctx);
  });

  app.get<{ Querystring: Query }>('/api/v1/uom/convert', { schema: convertQuantitySchema }, async (request) => {
    const ctx = await allowed(deps, request, 'uom', 'read');
    const { quantity, from, to } = request.query;
    return deps.tenantTx(ctx, (trx) => convertQuantity(trx, quantity, from, to, ctx.locale));
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/v1/calendars/:id/add-working-days', { schema: addWorkingDaysSchema }, async (request) => {
    const ctx = await allowed(deps, request, 'calendar', 'read');
    checkDays(ctx.locale, request.query, 'add');
    const { date, days } = request.query as { date: string; days: string };
    return deps.tenantTx(ctx, async (trx) => ({ date: addWorkingDays(await loadCalendar(trx, calendarId(request.params.id)), date, Number(days)) }));
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/v1/calendars/:id/working-days', { schema: countWorkingDaysSchema }, async (request) => {
    const ctx = await allowed(deps, request, 'calendar', 'read');
    checkDays(ctx.locale, request.query, 'between');
    const { from, to } = request.query as { from: string; to: string };
    return deps.tenantTx(ctx, async (trx) => ({ days: workingDaysBetween(await loadCalendar(trx, calendarId(request.params.id)), from, to) }));
  });

  app.post<{ Params: { code: string }; Body: { date?: unknown; companyId?: unknown } | undefined }>('/api/v1/sequences/:code/next', { schema: nextNumberSchema }, async (request) => {
    const ctx = await allowed(deps, request, 'sequence', 'update');
    const { date, companyId } = request.body ?? {};
    if (date !== undefined && (typeof date !== 'string' || !ISO_DATE.test(date))) throw badRequest('validation_failed', 'date must be YYYY-MM-DD');
    if (companyId !== undefined && companyId !== null && (typeof companyId !== 'string' || !UUID.test(companyId))) throw badRequest('validation_failed', 'companyId must be a UUID');
    const value = await deps.tenantTx(ctx, (trx) => nextNumber(trx, request.params.code, { date, companyId }), { write: true });
    return { value };
  });
}
