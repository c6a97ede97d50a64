// Erreurs d'un outil local rendues au modèle : une erreur de l'API (404, 403, 422, filtre invalide…) devient un
// message clair, sans pile ; toute autre erreur remonte telle quelle.
import { toProblem } from '../../engine/errors.js';
import type { RequestContext } from '../../engine/context.js';

export async function asToolResult<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const problem = toProblem(error, ctx.locale);
    if (!problem) throw error;
    const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new Error(`${problem.status} ${problem.code}: ${problem.message}${fields ? ` (${fields})` : ''}`);
  }
}
