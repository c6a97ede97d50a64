// Suggestion d'IA sur un champ d'une fiche (option `aiSuggest`) : la valeur proposée, avec la confiance du modèle,
// calculée avec les droits de l'appelant ; rien n'est écrit.
import type { FastifyInstance } from 'fastify';
import { asAiProblem } from '../../ai/gateway.js';
import type { PlatformServices } from '../../core/services.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiFieldSuggestionRouteDeps = Pick<PlatformServices, 'fieldSuggestions'>;

/** Valeurs du formulaire envoyées au plus (une par champ). */
export const MAX_FORM_VALUES = 300;

interface SuggestionBody {
  entity: string;
  field: string;
  recordId?: string;
  values?: Record<string, unknown>;
}

const schema = routeSchema({
  operationId: 'suggestFieldValue', tags: ['ai'],
  summary: 'Suggest the value of a field configured for AI suggestions (aiSuggest), from the record and the unsaved form values; nothing is written',
  description: 'Runs with the caller’s rights: the entity must be readable and updatable (creatable without recordId), the field writable by them; '
    + 'only the fields they may read are sent to the provider routed for suggestions. The stored record (recordId) is read, then the form values override it.',
  body: {
    type: 'object', additionalProperties: false, required: ['entity', 'field'],
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
      field: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,62}$' },
      recordId: uuidString,
      values: { type: 'object', maxProperties: MAX_FORM_VALUES, additionalProperties: true, description: 'current values of the form, by field name' },
    },
  },
  responses: {
    200: {
      description: 'Suggested value (validated against the field) and the model’s confidence between 0 and 1',
      ...json({
        type: 'object',
        properties: { field: { type: 'string' }, value: {}, confidence: { type: 'number' }, provider: { type: 'string' }, model: { type: 'string' } },
      }),
    },
    ...problems(400, 404, 429, 502, 503),
  },
});

export function registerAiFieldSuggestionRoutes(app: FastifyInstance, deps: AiFieldSuggestionRouteDeps): void {
  app.post<{ Body: SuggestionBody }>('/api/v1/ai/field-suggestions', { schema }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, field, recordId, values } = request.body;
    return deps.fieldSuggestions.suggest({ ctx, entity, field, recordId: recordId?.toLowerCase(), values })
      .catch((error: unknown) => { throw asAiProblem(error, ctx.locale); });
  });
}
