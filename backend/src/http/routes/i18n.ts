// Traductions (TranslationService) : catalogue d'une langue avec ETag (public pour la page de connexion : tenant
// désigné par la session, sinon par ?tenant=), clés manquantes, export et import (administrateurs).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { DEFAULT_TENANT, findTenant } from '../../tenancy/tenants.js';
import type { RequestContext } from '../../engine/context.js';
import { catalogFor, missingKeys, type TranslationDeps } from '../../services/i18n/catalog.js';
import { exportCatalog, parseCatalog, type CatalogFormat } from '../../services/i18n/formats.js';
import { requireAdmin } from '../auth.js';
import { acceptTextBodies } from '../text-bodies.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';
import { notFound, ProblemError } from '../../errors/problem.js';

/** Services que ces routes utilisent. */
export type I18nRouteDeps = Pick<PlatformServices, 'catalog' | 'db' | 'records' | 'tenantTx'> & TranslationDeps;

type Localised = { Params: { locale: string }; Querystring: { tenant?: string; format?: string } };
const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FORMATS: CatalogFormat[] = ['json', 'csv', 'xliff'];

function localeOf(request: FastifyRequest<Localised>): string {
  if (!LOCALE.test(request.params.locale)) throw notFound(`Unknown language "${request.params.locale}"`);
  return request.params.locale;
}

async function tenantOf(deps: I18nRouteDeps, request: FastifyRequest<Localised>): Promise<string> {
  if (request.ctx) return request.ctx.tenantId;
  const slug = request.query.tenant ?? DEFAULT_TENANT;
  const tenant = SLUG.test(slug) ? await findTenant(deps.db, slug) : undefined;
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

// Description OpenAPI : la langue et le format sont vérifiés par les gestionnaires (langue inconnue : 404).
const tags = ['i18n'];
const LOCALE_PARAM = { type: 'object', properties: { locale: { type: 'string', description: 'language: en, fr, pt-BR…' } }, required: ['locale'] } as const;
const formatParameter = (description: string) => ({ name: 'format', in: 'query', description, schema: { enum: FORMATS } });

const catalogSchema = routeSchema({
  operationId: 'getTranslations', tags, params: LOCALE_PARAM,
  summary: 'Catalog of a language (metadata labels, enum values, API messages, active modules, tenant overrides) with an ETag; without a session, the tenant comes from ?tenant=',
  // public (page de connexion) : une session, si elle est présente, désigne le tenant
  security: [{}, { bearer: [] }],
  parameters: [
    { name: 'tenant', in: 'query', description: 'tenant slug when not signed in', schema: { type: 'string' } },
    { name: 'If-None-Match', in: 'header', description: 'ETag of a catalog already held: 304 while it is current', schema: { type: 'string' } },
  ],
  responses: {
    200: { description: 'Texts', ...json({ type: 'object', properties: { locale: { type: 'string' }, texts: { type: 'object', additionalProperties: { type: 'string' } } } }) },
    304: { description: 'Not modified' },
    ...problems(404),
  },
});
const missingSchema = routeSchema({
  operationId: 'listMissingTranslations', tags, params: LOCALE_PARAM, summary: 'Keys present in English and missing in this language (administrators)',
  responses: { 200: { description: 'Missing keys' }, ...problems(404) },
});
const exportSchema = routeSchema({
  operationId: 'exportTranslations', tags, params: LOCALE_PARAM, summary: 'Export the catalog as json, csv or xliff (administrators)',
  parameters: [formatParameter('json (default), csv or xliff')],
  responses: { 200: { description: 'Catalog file' }, ...problems(400, 404) },
});
const importSchema = routeSchema({
  operationId: 'importTranslations', tags, params: LOCALE_PARAM,
  summary: 'Import tenant translations (JSON object, CSV key,text or XLIFF targets); all or nothing, each entry audited',
  parameters: [formatParameter('json, csv or xliff; by default from the Content-Type')],
  requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } }, 'text/csv': { schema: { type: 'string' } }, 'application/xliff+xml': { schema: { type: 'string' } } } },
  responses: { 200: { description: 'Counts', ...json({ type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' } } }) }, ...problems(400, 404) },
});

const manage = (request: FastifyRequest) => requireAdmin(request, 'Only an administrator manages the translations of the tenant');

export function registerI18nRoutes(app: FastifyInstance, deps: I18nRouteDeps): void {
  // corps texte des imports de traductions (CSV, XLIFF), lus en entier
  acceptTextBodies(app, ['text/csv', 'application/xliff+xml', 'application/xml', 'text/xml']);

  app.get<Localised>('/api/v1/i18n/:locale', { schema: catalogSchema }, async (request, reply: FastifyReply) => {
    const served = await catalogFor(deps, await tenantOf(deps, request), localeOf(request));
    reply.header('ETag', served.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization, Cookie');
    if (request.headers['if-none-match'] === served.etag) return reply.code(304).send();
    return { locale: served.locale, texts: served.texts };
  });

  app.get<Localised>('/api/v1/i18n/:locale/missing', { schema: missingSchema }, async (request) => {
    const ctx = manage(request);
    return { locale: localeOf(request), missing: await missingKeys(deps, ctx.tenantId, localeOf(request)) };
  });

  app.get<Localised>('/api/v1/i18n/:locale/export', { schema: exportSchema }, async (request, reply) => {
    const ctx = manage(request);
    const locale = localeOf(request);
    const [target, source] = await Promise.all([catalogFor(deps, ctx.tenantId, locale), catalogFor(deps, ctx.tenantId, 'en')]);
    const format = formatOf(request.query.format ?? 'json');
    const { type, body } = exportCatalog(format, locale, target.texts, source.texts);
    return reply.type(type).header('Content-Disposition', `attachment; filename="opsflux-${locale}.${format === 'xliff' ? 'xlf' : format}"`).send(body);
  });

  app.post<Localised & { Body: unknown }>('/api/v1/i18n/:locale/import', { schema: importSchema }, async (request) => {
    const ctx = manage(request);
    const locale = localeOf(request);
    const texts = parseCatalog(formatOf(request.query.format, request.headers['content-type']), request.body);
    return importTexts(deps, ctx, locale, texts);
  });
}

/** Traductions du tenant créées ou remplacées (une par clé, auditées), dans une transaction. */
async function importTexts(deps: I18nRouteDeps, ctx: RequestContext, locale: string, texts: Record<string, string>) {
  const catalog = await deps.catalog(ctx.tenantId);
  const model = catalog.get('translation')!;
  let created = 0;
  let updated = 0;
  await deps.tenantTx(ctx, async (trx) => {
    for (const [key, text] of Object.entries(texts)) {
      const result = await deps.records.upsertByEid(trx, ctx, catalog, model, `${locale}:${key}`, { locale, key, text });
      if (result.created) created++;
      else updated++;
    }
  }, { write: true });
  return { locale, created, updated };
}
