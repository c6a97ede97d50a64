// Erreurs d'un outil rendues au modèle : une erreur de l'API (404, 403, 422, filtre invalide…) devient un message
// clair, sans pile ; toute autre erreur remonte telle quelle. Sert aux outils du cœur comme aux outils locaux.
import { toProblem } from '../../engine/errors.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';

/** L'erreur telle que le modèle la reçoit (celle d'origine si ce n'est pas une erreur de l'API). */
export function toolError(error: unknown, locale: RequestContext['locale'], model?: EntityModel): unknown {
  const problem = toProblem(error, locale, model);
  if (!problem) return error;
  const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Error(`${problem.status} ${problem.code}: ${problem.message}${fields ? ` (${fields})` : ''}`);
}

export async function asToolResult<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toolError(error, ctx.locale);
  }
}
