// Schémas des routes des services des modèles de base (reference-services.ts) : conversions, taux, jours ouvrés,
// séquences. Les requêtes et les corps sont vérifiés par les services (messages par champ, dans la langue de
// l'appelant) : ils ne sont que documentés (`parameters`, `requestBody`) ; les identifiants de chemin ne sont pas
// contraints (un calendrier ou une séquence inconnus répondent 404).
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

const tags = ['reference'];

const query = (name: string, description: string, required = true) => ({ name, in: 'query', ...(required ? { required } : {}), description, schema: { type: 'string' } });
const CALENDAR = { type: 'object', properties: { id: { type: 'string', description: 'calendar id' } }, required: ['id'] } as const;

export const convertCurrencySchema = routeSchema({
  operationId: 'convertCurrency', tags,
  summary: 'Convert an amount at a date: direct, inverse or through the reference currency (setting currency.base); exact decimals rounded to the target currency',
  parameters: [query('amount', 'decimal as text'), query('from', 'ISO 4217'), query('to', 'ISO 4217'), query('date', 'YYYY-MM-DD (default: today)', false)],
  responses: {
    200: { description: 'Conversion', ...json({ type: 'object', properties: {
      amount: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string', format: 'date' },
      rate: { type: 'string' }, via: { type: ['string', 'null'] }, rates: { type: 'array', items: { type: 'object' } },
    } }) },
    ...problems(400, 422),
  },
});

export const importRatesSchema = routeSchema({
  operationId: 'importExchangeRates', tags, summary: 'Import exchange rates from CSV (date,base,quote,rate[,source]); all or nothing, errors by line',
  requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
  responses: {
    200: { description: 'Imported', ...json({ type: 'object', properties: { imported: { type: 'integer' }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] } } }) },
    ...problems(400, 413, 415),
  },
});

export const fetchRatesSchema = routeSchema({
  operationId: 'fetchExchangeRates', tags, summary: 'Fetch rates now from the provider of the setting currency.rates.providerUrl (ECB XML or CSV)',
  responses: { 200: { description: 'Imported' }, ...problems(409) },
});

export const convertQuantitySchema = routeSchema({
  operationId: 'convertQuantity', tags,
  summary: 'Convert a quantity between two units of the same category (ids or eids such as uom-kg), rounded to the target unit',
  parameters: [query('quantity', 'decimal'), query('from', 'unit id or eid'), query('to', 'unit id or eid')],
  responses: {
    200: { description: 'Conversion', ...json({ type: 'object', properties: { quantity: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, factor: { type: 'string' } } }) },
    ...problems(400, 422),
  },
});

export const addWorkingDaysSchema = routeSchema({
  operationId: 'addWorkingDays', tags, params: CALENDAR,
  summary: 'The date that many working days after (or before, if negative) the given date',
  parameters: [query('date', 'YYYY-MM-DD'), query('days', 'integer')],
  responses: { 200: { description: 'Date', ...json({ type: 'object', properties: { date: { type: 'string', format: 'date' } } }) }, ...problems(400, 404) },
});

export const countWorkingDaysSchema = routeSchema({
  operationId: 'countWorkingDays', tags, params: CALENDAR, summary: 'Working days from a date (included) to another (excluded)',
  parameters: [query('from', 'YYYY-MM-DD'), query('to', 'YYYY-MM-DD')],
  responses: { 200: { description: 'Count', ...json({ type: 'object', properties: { days: { type: 'integer' } } }) }, ...problems(400, 404) },
});

export const nextNumberSchema = routeSchema({
  operationId: 'nextSequenceNumber', tags,
  params: { type: 'object', properties: { code: { type: 'string', description: 'sequence code' } }, required: ['code'] },
  summary: 'Draw the next number of a sequence (gap-free or fast mode, date parts, periodic restart, per company)',
  requestBody: { required: false, ...json({ type: 'object', properties: { date: { type: 'string', format: 'date' }, companyId: { type: 'string', format: 'uuid' } } }) },
  responses: { 200: { description: 'Number', ...json({ type: 'object', properties: { value: { type: 'string' } } }) }, ...problems(400, 404) },
});
