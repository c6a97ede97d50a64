// Liens courts : GET /s/<code> redirige (aussi sur l'hôte public www.), demande le mot de passe d'un lien protégé
// (formulaire HTML sans ressource externe, tentatives limitées), 404 inconnu, 410 expiré ; pour les utilisateurs,
// image QR et statistiques de clics d'un lien (droits de lecture de l'entité short_link).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { PlatformServices } from '../../core/services.js';
import { pickLocale } from '../../text/messages.js';
import { LoginThrottle, throttleFromSettings } from '../../iam/login-throttle.js';
import type { Resolution } from '../../services/shortener/short-links.js';
import { requireAuth } from '../auth.js';
import { escapeHtml } from '../../text/html.js';
import { badRequest } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type ShortLinkRouteDeps = Pick<PlatformServices, 'catalogFor' | 'publicUrl' | 'records' | 'settings' | 'shortLinks' | 'tenantTx'>;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

const tags = ['short links'];

// réponses du lien en pages HTML ; un code mal formé est simplement inconnu (404 : pas de motif validé ici)
const CODE_PARAMS = { type: 'object', properties: { code: { type: 'string', description: 'code of the link' } }, required: ['code'] };
const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const PUBLIC_ANSWERS = {
  302: { description: 'Redirect to the target of the link', headers: { Location: { schema: { type: 'string' } } } },
  404: htmlPage('Unknown link'),
  410: htmlPage('Expired link'),
};
const followSchema = routeSchema({
  operationId: 'followShortLink', tags, security: [], params: CODE_PARAMS,
  summary: 'Public address of a short link: redirect to its target, or the password form of a protected link',
  responses: { ...PUBLIC_ANSWERS, 200: htmlPage('Password form of a protected link') },
});
const unlockSchema = routeSchema({
  operationId: 'unlockShortLink', tags, security: [], params: CODE_PARAMS,
  summary: 'Password of a protected short link (form of GET /s/{code}): redirect to its target; attempts are limited',
  requestBody: { required: false, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { password: { type: 'string', description: 'only the first 200 characters count' } } } } } },
  responses: {
    ...PUBLIC_ANSWERS,
    401: htmlPage('Wrong password (the form again)'),
    429: { description: 'Too many attempts', content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
  },
});

// identifiant : simple chaîne (vérifiée par le service des enregistrements : 404)
const ID_PARAMS = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
// paramètres de requête vérifiés par les gestionnaires (codes invalid_query) : documentés seulement
const qrSchema = routeSchema({
  operationId: 'getShortLinkQrCode', tags, summary: 'QR code of the public address /s/{code}', params: ID_PARAMS,
  parameters: [
    { name: 'format', in: 'query', schema: { enum: ['svg', 'png'], default: 'svg' } },
    { name: 'size', in: 'query', schema: { type: 'integer', minimum: 64, maximum: 2048, default: 256 } },
  ],
  responses: { 200: { description: 'Image', content: { 'image/svg+xml': {}, 'image/png': {} } }, ...problems(400, 404) },
});
const statsSchema = routeSchema({
  operationId: 'getShortLinkStats', tags, summary: 'Clicks of a short link: total, per day, by referring host', params: ID_PARAMS,
  parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 } }],
  responses: {
    200: { description: 'Statistics', ...json({ type: 'object', properties: {
      clicks: { type: 'integer' }, lastClickAt: { type: ['string', 'null'], format: 'date-time' },
      byDay: { type: 'array', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, clicks: { type: 'integer' } } } },
      referrers: { type: 'array', items: { type: 'object', properties: { referrer: { type: ['string', 'null'] }, clicks: { type: 'integer' } } } },
    } }) },
    ...problems(400, 404),
  },
});

const TEXTS = {
  en: { title: 'Protected link', prompt: 'This link is protected by a password.', password: 'Password', open: 'Open', wrong: 'Wrong password.', missing: 'This link does not exist.', gone: 'This link has expired.', busy: 'Too many attempts, try again later.' },
  fr: { title: 'Lien protégé', prompt: 'Ce lien est protégé par un mot de passe.', password: 'Mot de passe', open: 'Ouvrir', wrong: 'Mot de passe incorrect.', missing: "Ce lien n'existe pas.", gone: 'Ce lien a expiré.', busy: 'Trop de tentatives, réessayez plus tard.' },
};

function page(reply: FastifyReply, status: number, language: 'fr' | 'en', body: string) {
  const t = TEXTS[language];
  return reply.code(status).type('text/html; charset=utf-8')
    .header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(`<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}input,button{font:inherit;padding:.4rem;margin:.3rem 0;width:100%;box-sizing:border-box}</style></head><body>${body}</body></html>`);
}

export function registerShortLinkRoutes(app: FastifyInstance, deps: ShortLinkRouteDeps): void {
  const throttle = new LoginThrottle(throttleFromSettings(deps.settings, 'security.throttle.loginFailures'));

  async function answer(request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply, password?: string) {
    const language = pickLocale(request.headers['accept-language']) === 'fr' ? 'fr' : 'en';
    const t = TEXTS[language];
    const { code } = request.params;
    if (!CODE.test(code)) return page(reply, 404, language, `<p>${t.missing}</p>`);
    const keys = [`short:${code}:${request.ip}`];
    if (password !== undefined && (await throttle.retryAfter(keys)) > 0) return page(reply.header('retry-after', '60'), 429, language, `<p>${t.busy}</p>`);
    const result: Resolution = await deps.shortLinks.resolve(code, { password, referrer: request.headers.referer });
    switch (result.kind) {
      case 'redirect':
        if (password !== undefined) throttle.succeed(keys);
        return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(result.target, 302);
      case 'missing':
        return page(reply, 404, language, `<p>${t.missing}</p>`);
      case 'gone':
        return page(reply, 410, language, `<p>${t.gone}</p>`);
      case 'password':
        if (result.wrong) throttle.fail(keys);
        return page(reply, result.wrong ? 401 : 200, language, `<h1>${t.title}</h1><p>${t.prompt}</p>${result.wrong ? `<p role="alert">${t.wrong}</p>` : ''}
<form method="post" action="/s/${escapeHtml(code)}"><label>${t.password}<input type="password" name="password" required autofocus maxlength="200"></label><button>${t.open}</button></form>`);
    }
  }

  app.get<{ Params: { code: string } }>('/s/:code', { schema: followSchema }, (request, reply) => answer(request, reply));
  app.post<{ Params: { code: string }; Body: { password?: unknown } | undefined }>('/s/:code', { schema: unlockSchema }, (request, reply) => {
    const password = request.body?.password;
    return answer(request, reply, typeof password === 'string' ? password.slice(0, 200) : '');
  });

  /** Lien lisible par l'appelant (droits et tenant vérifiés par le service des enregistrements). */
  async function readable(request: FastifyRequest<{ Params: { id: string } }>) {
    const ctx = requireAuth(request);
    const catalog = await deps.catalogFor(ctx);
    // entité connue et droit de lecture (403 sinon), comme pour la liste générique
    const model = deps.records.entity(ctx, catalog, 'short_link', 'read');
    const link = await deps.tenantTx(ctx, (trx) => deps.records.get(trx, ctx, catalog, model, request.params.id));
    return { ctx, link, table: model.table };
  }

  app.get<{ Params: { id: string }; Querystring: { format?: string; size?: string } }>('/api/v1/short-links/:id/qr', { schema: qrSchema }, async (request, reply) => {
    const { link } = await readable(request);
    const format = request.query.format ?? 'svg';
    const size = Number(request.query.size ?? 256);
    if (format !== 'svg' && format !== 'png') throw badRequest('invalid_query', 'format must be svg or png', [{ field: 'format', code: 'invalid_enum', message: 'svg | png' }]);
    if (!Number.isInteger(size) || size < 64 || size > 2048) throw badRequest('invalid_query', 'size must be 64–2048', [{ field: 'size', code: 'out_of_range', message: '64–2048' }]);
    const url = `${deps.publicUrl}/s/${link.code as string}`;
    reply.header('cache-control', 'private, max-age=3600');
    return format === 'svg'
      ? reply.type('image/svg+xml').send(await QRCode.toString(url, { type: 'svg', width: size, margin: 2, errorCorrectionLevel: 'M' }))
      : reply.type('image/png').send(await QRCode.toBuffer(url, { type: 'png', width: size, margin: 2, errorCorrectionLevel: 'M' }));
  });

  app.get<{ Params: { id: string }; Querystring: { days?: string } }>('/api/v1/short-links/:id/stats', { schema: statsSchema }, async (request) => {
    const { ctx, link } = await readable(request);
    const days = Number(request.query.days ?? 30);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw badRequest('invalid_query', 'days must be 1–366', [{ field: 'days', code: 'out_of_range', message: '1–366' }]);
    return deps.tenantTx(ctx, async (trx) => {
      const byDay = await sql<{ day: string; clicks: number }>`
        SELECT to_char(date_trunc('day', at), 'YYYY-MM-DD') AS day, count(*)::int AS clicks FROM short_link_click
        WHERE link_id = ${link.id as string} AND at >= now() - make_interval(days => ${days}) GROUP BY 1 ORDER BY 1`.execute(trx);
      const referrers = await sql<{ referrer: string | null; clicks: number }>`
        SELECT referrer, count(*)::int AS clicks FROM short_link_click WHERE link_id = ${link.id as string}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`.execute(trx);
      return { clicks: link.clicks, lastClickAt: link.lastClickAt ?? null, byDay: byDay.rows, referrers: referrers.rows };
    });
  });
}
