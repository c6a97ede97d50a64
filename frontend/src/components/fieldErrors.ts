// Erreurs de champ d'un problème de l'API (400 de validation, 409 de clé en double) pour un formulaire.
import type { Problem } from '@opsflux/sdk';
import { isApiError, problemText } from '../api/client';

export function fieldError(problem: Problem | undefined, field: string): string | undefined {
  return problem?.errors?.find((error) => error.field === field)?.message;
}

/** État de saisie UI5 d'un champ d'après son message d'erreur. */
export const valueState = (message: string | undefined) => (message ? 'Negative' : 'None') as 'Negative' | 'None';

/** Problème de l'API, ou problème sans champ pour une panne réseau (le message général s'affiche seul). */
export function problemOf(failure: unknown): Problem {
  return isApiError(failure) ? failure.problem : { type: 'about:blank', title: problemText(failure), status: 0, code: 'unexpected' };
}
