// Traductions (TranslationService) : catalogue d'une langue avec ETag (public pour la page de connexion : tenant
// désigné par la session, sinon par ?tenant=), clés manquantes, export et import (administrateurs).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { DEFAULT_TENANT, findTenant } from '../../core/tenants.js';
import type { RequestContext } from '../../engine/context.js';
import { catalogFor, missingKeys } from '../../services/i18n/catalog.js';
import { exportCatalog, parseCatalog, type CatalogFormat } from '../../services/i18n/formats.js';
import { requireAdmin } from '../auth.js';
import { notFound, ProblemError } from '../problem.js';

type Localised = { Params: { locale: string }; Querystring: { tenant?: string; format?: string } };
const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FORMATS: CatalogFormat[] = ['json', 'csv', 'xliff'];

function localeOf(request: FastifyRequest<Localised>): string {
  if (!LOCALE.test(request.params.locale)) throw notFound(`Unknown language "${request.params.locale}"`);
  return request.params.locale;
}

async function tenantOf(platform: Platform, request: FastifyRequest<Localised>): Promise<string> {
  if (request.ctx) return request.ctx.tenantId;
  const slug = request.query.tenant ?? DEFAULT_TENANT;
  const tenant = SLUG.test(slug) ? await findTenant(platform.db, slug) : undefined;
  if (!tenant) throw notFound(`Unknown tenant "${slug}"`);
  return tenant.id;
}

function formatOf(value: string | undefined, contentType?: string): CatalogFormat {
  if (value === undefined) {
    if (contentType?.includes('csv')) return 'csv';
    if (contentType?.includes('xml')) return 'xliff';
    return 'json';
  }
  if (!(FORMATS as string[]).includes(value)) throw new ProblemError(400, 'validation_failed', `format must be one of ${FORMATS.join(', ')}`);
  return value as CatalogFormat;
}

const manage = (request: FastifyRequest) => requireAdmin(request, 'Only an administrator manages the translations of the tenant');

export function registerI18nRoutes(app: FastifyInstance, platform: Platform): void {
  for (const type of ['application/xliff+xml', 'application/xml', 'text/xml']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.get<Localised>('/api/v1/i18n/:locale', async (request, reply: FastifyReply) => {
    const served = await catalogFor(platform, await tenantOf(platform, request), localeOf(request));
    reply.header('ETag', served.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization, Cookie');
    if (request.headers['if-none-match'] === served.etag) return reply.code(304).send();
    return { locale: served.locale, texts: served.texts };
  });

  app.get<Localised>('/api/v1/i18n/:locale/missing', async (request) => {
    const ctx = manage(request);
    return { locale: localeOf(request), missing: await missingKeys(platform, ctx.tenantId, localeOf(request)) };
  });

  app.get<Localised>('/api/v1/i18n/:locale/export', async (request, reply) => {
    const ctx = manage(request);
    const locale = localeOf(request);
    const [target, source] = await Promise.all([catalogFor(platform, ctx.tenantId, locale), catalogFor(platform, ctx.tenantId, 'en')]);
    const format = formatOf(request.query.format ?? 'json');
    const { type, body } = exportCatalog(format, locale, target.texts, source.texts);
    return reply.type(type).header('Content-Disposition', `attachment; filename="opsflux-${locale}.${format === 'xliff' ? 'xlf' : format}"`).send(body);
  });

  app.post<Localised & { Body: unknown }>('/api/v1/i18n/:locale/import', async (request) => {
    const ctx = manage(request);
    const locale = localeOf(request);
    const texts = parseCatalog(formatOf(request.query.format, request.headers['content-type']), request.body);
    return importTexts(platform, ctx, locale, texts);
  });
}

/** Traductions du tenant créées ou remplacées (une par clé, auditées), dans une transaction. */
async function importTexts(platform: Platform, ctx: RequestContext, locale: string, texts: Record<string, string>) {
  const catalog = await platform.catalog(ctx.tenantId);
  const model = catalog.get('translation')!;
  let created = 0;
  let updated = 0;
  await platform.tenantTx(ctx, async (trx) => {
    for (const [key, text] of Object.entries(texts)) {
      const result = await platform.records.upsertByEid(trx, ctx, catalog, model, `${locale}:${key}`, { locale, key, text });
      if (result.created) created++;
      else updated++;
    }
  }, { write: true });
  return { locale, created, updated };
}
