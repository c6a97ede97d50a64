// Optimisation linéaire et en nombres entiers (intelligence locale, HiGHS embarqué) : un modèle JSON borné en taille
// et en temps, résolu sans fournisseur ; un modèle infaisable ou non borné reçoit un 422 motivé.
import type { FastifyInstance } from 'fastify';
import type { OptimisationModel } from '@opsflux/sdk';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiOptimiseRouteDeps = Pick<PlatformServices, 'optimise'>;

/** Plafond absolu de la forme (les réglages du tenant bornent en dessous : 413). */
const HARD_MAX = 100_000;
const NAME = { type: 'string', minLength: 1, maxLength: 100 };
const TERMS = { type: 'object', maxProperties: HARD_MAX, propertyNames: NAME, additionalProperties: { type: 'number' } };
const BOUND = { anyOf: [{ type: 'number' }, { type: 'null' }] };

const schema = routeSchema({
  operationId: 'solveOptimisation', tags: ['ai'],
  summary: 'Solve a linear or mixed-integer optimisation model locally (no AI provider)',
  description: 'Variables (bounds, integrality), linear constraints and an objective to maximise or minimise. The model size and the solving time '
    + 'are bounded by the settings ai.local.optimise.* (too large: 413). An infeasible or unbounded model is answered with 422 and its reason; '
    + 'past the time limit the best solution found is returned with status time_limit.',
  body: {
    type: 'object', additionalProperties: false, required: ['objective', 'variables', 'constraints'],
    properties: {
      objective: {
        type: 'object', additionalProperties: false, required: ['sense', 'terms'],
        properties: { sense: { type: 'string', enum: ['max', 'min'] }, terms: TERMS },
      },
      variables: {
        type: 'object', minProperties: 1, maxProperties: HARD_MAX, propertyNames: NAME,
        additionalProperties: {
          type: 'object', additionalProperties: false,
          properties: { min: BOUND, max: BOUND, integer: { type: 'boolean' } },
        },
      },
      constraints: {
        type: 'array', maxItems: HARD_MAX,
        items: {
          type: 'object', additionalProperties: false, required: ['terms', 'op', 'rhs'],
          properties: { name: { type: 'string', maxLength: 100 }, terms: TERMS, op: { type: 'string', enum: ['<=', '>=', '='] }, rhs: { type: 'number' } },
        },
      },
      timeLimitSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 60 },
    },
  },
  responses: {
    200: {
      description: 'Solution: status optimal (or time_limit with the best solution found), objective value and the value of each variable',
      ...json({
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['optimal', 'time_limit'] },
          objective: { type: ['number', 'null'] },
          values: { type: 'object', additionalProperties: { type: 'number' } },
          durationMs: { type: 'number' },
        },
      }),
    },
    ...problems(400, 413, 422),
  },
});

export function registerAiOptimiseRoutes(app: FastifyInstance, deps: AiOptimiseRouteDeps): void {
  app.post<{ Body: OptimisationModel }>('/api/v1/ai/optimise', { schema }, async (request) => {
    const ctx = requireAuth(request);
    return deps.optimise.solveOrExplain({ tenantId: ctx.tenantId, userId: ctx.userId, locale: ctx.locale }, request.body);
  });
}
