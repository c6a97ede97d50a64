// Fouille de processus : carte d'un champ d'état tirée du journal d'audit (successions, durées, variantes, goulets,
// conformité), sur les enregistrements que l'appelant peut lire.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { validationFailed } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import type { Transitions } from '../../ai/local/process/mine.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que cette route utilise. */
export type AiProcessRouteDeps = Pick<PlatformServices, 'processMining'>;

const INSTANT = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2}))?$' } as const;
const EDGE = {
  type: 'object',
  properties: {
    from: { type: 'string' }, to: { type: 'string' }, count: { type: 'integer' },
    meanMs: { type: ['number', 'null'] }, medianMs: { type: ['number', 'null'], description: 'time from entering `from` to moving to `to`' },
  },
} as const;

const schema = routeSchema({
  operationId: 'processMap', tags: ['ai'],
  summary: 'Process mining of a state field from the audit trail: directly-follows graph with counts and durations, variants, bottlenecks, conformance',
  description: 'The state field is an enum or a reference (a pipeline stage). Only the records the caller may read (most recent first, '
    + 'setting ai.local.process.maxRecords), created between from and to. Conformance is measured against `transitions` (JSON: state → allowed next states) '
    + 'or the setting ai.local.process.transitions["entity.field"]; null when none is declared (the metadata declares no transitions).',
  querystring: {
    type: 'object', additionalProperties: false, required: ['entity', 'field'],
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
      field: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,62}$' },
      from: { ...INSTANT, description: 'records created from this date or instant' },
      to: { ...INSTANT, description: 'records created before this date or instant' },
      transitions: { type: 'string', maxLength: 20000, description: 'allowed transitions as JSON, such as {"draft":["sent","confirmed"]}' },
    },
  },
  responses: {
    200: {
      description: 'The process map',
      ...json({
        type: 'object',
        properties: {
          entity: { type: 'string' }, field: { type: 'string' }, cases: { type: 'integer' }, transitions: { type: 'integer' }, truncated: { type: 'boolean' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          states: { type: 'array', items: { type: 'object', properties: { state: { type: 'string' }, cases: { type: 'integer' }, starts: { type: 'integer' }, ends: { type: 'integer' }, rank: { type: 'number' } } } },
          edges: { type: 'array', items: EDGE },
          variants: { type: 'array', items: { type: 'object', properties: { path: { type: 'array', items: { type: 'string' } }, count: { type: 'integer' }, share: { type: 'number' } } } },
          bottlenecks: { type: 'array', items: EDGE },
          conformance: {
            type: ['object', 'null'],
            properties: {
              source: { enum: ['request', 'setting'] }, fitting: { type: 'number' }, fittingCases: { type: 'integer' },
              deviations: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, count: { type: 'integer' }, recordIds: { type: 'array', items: { type: 'string' } } } } },
            },
          },
        },
      }),
    },
    ...problems(400, 404),
  },
});

interface ProcessQuery {
  entity: string;
  field: string;
  from?: string;
  to?: string;
  transitions?: string;
}

function parseTransitions(raw: string | undefined, locale: 'en' | 'fr'): Transitions | undefined {
  if (raw === undefined) return undefined;
  const refuse = () => validationFailed([{ field: 'transitions', code: 'invalid_value', message: message(locale, 'process_bad_transitions') }]);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw refuse();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse();
  for (const next of Object.values(value)) if (!Array.isArray(next) || next.some((s) => typeof s !== 'string')) throw refuse();
  return value as Transitions;
}

export function registerAiProcessRoutes(app: FastifyInstance, deps: AiProcessRouteDeps): void {
  app.get<{ Querystring: ProcessQuery }>('/api/v1/ai/process', { schema }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, field, from, to, transitions } = request.query;
    return deps.processMining.map(ctx, { entity, field, from, to, transitions: parseTransitions(transitions, ctx.locale) });
  });
}
