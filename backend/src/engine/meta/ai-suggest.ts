// Option « suggestion d'IA » d'un champ (FieldDefinition.aiSuggest) : telle que les métadonnées l'exposent (un type
// que le modèle sait remplir, un champ que l'API écrit), et contrôlée quand un administrateur la pose sur un champ
// personnalisé.
import { AI_FILLABLE_TYPES, AI_SUGGEST_MAX_PROMPT, type AiSuggestOption, type FieldType } from '@opsflux/sdk';
import type { FieldModel } from '../model.js';
import { writableBy } from '../writers.js';

const FILLABLE: ReadonlySet<FieldType> = new Set(AI_FILLABLE_TYPES);

/** Un modèle sait-il remplir un champ de ce type (schéma de réponse structurée) ? */
export const aiFillable = (type: FieldType): boolean => FILLABLE.has(type);

/** Option effective du champ, `{}` ou `{ prompt }` ; rien si elle n'est pas posée ou ne peut pas servir. */
export function aiSuggestOf(field: FieldModel): { prompt?: string } | undefined {
  const option = field.def.aiSuggest;
  if (!option || !aiFillable(field.type) || !writableBy(field, 'api')) return undefined;
  return option === true || !option.prompt ? {} : { prompt: option.prompt };
}

type Push = (field: string, code: string, params?: Record<string, string | number>) => void;

/**
 * Option saisie pour un champ personnalisé : `true`, `false` ou `{ "prompt": "…" }`. Renvoie la forme gardée dans la
 * définition (`true` ou `{ prompt }`), `undefined` pour « pas de suggestion » ou une saisie refusée (erreurs à `push`).
 */
export function parseAiSuggest(raw: unknown, type: FieldType, path: string, push: Push): AiSuggestOption | undefined {
  if (raw === false || raw === undefined || raw === null) return undefined;
  let prompt: string | undefined;
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const body = raw as Record<string, unknown>;
    for (const key of Object.keys(body)) if (key !== 'prompt') push(`${path}.${key}`, 'unknown_field', { field: key });
    if (body.prompt !== undefined && typeof body.prompt !== 'string') push(`${path}.prompt`, 'invalid_type', { expected: 'text' });
    else if (typeof body.prompt === 'string' && body.prompt.length > AI_SUGGEST_MAX_PROMPT) push(`${path}.prompt`, 'too_long', { max: AI_SUGGEST_MAX_PROMPT });
    else prompt = typeof body.prompt === 'string' ? body.prompt.trim() : undefined;
  } else if (raw !== true) {
    push(path, 'invalid_type', { expected: 'true, false or { "prompt": text }' });
    return undefined;
  }
  if (!aiFillable(type)) {
    push(path, 'not_ai_fillable', { types: AI_FILLABLE_TYPES.join(', ') });
    return undefined;
  }
  return prompt ? { prompt } : true;
}
