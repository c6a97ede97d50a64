// Chemins OpenAPI des liens courts (l'entité short_link a ses routes génériques ; ici le QR code et les statistiques).
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

export const shortenerPaths: Doc = {
  '/api/v1/short-links/{id}/qr': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['short links'], summary: 'QR code of the public address /s/{code}',
      parameters: [
        { name: 'format', in: 'query', schema: { enum: ['svg', 'png'], default: 'svg' } },
        { name: 'size', in: 'query', schema: { type: 'integer', minimum: 64, maximum: 2048, default: 256 } },
      ],
      responses: { 200: { description: 'Image', content: { 'image/svg+xml': {}, 'image/png': {} } }, ...problems(400, 401, 403, 404) },
    },
  },
  '/api/v1/short-links/{id}/stats': {
    parameters: [pathParameter('id')],
    get: {
      tags: ['short links'], summary: 'Clicks of a short link: total, per day, by referring host',
      parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 } }],
      responses: {
        200: { description: 'Statistics', ...json({ type: 'object', properties: {
          clicks: { type: 'integer' }, lastClickAt: { type: ['string', 'null'], format: 'date-time' },
          byDay: { type: 'array', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, clicks: { type: 'integer' } } } },
          referrers: { type: 'array', items: { type: 'object', properties: { referrer: { type: ['string', 'null'] }, clicks: { type: 'integer' } } } },
        } }) },
        ...problems(400, 401, 403, 404),
      },
    },
  },
};
