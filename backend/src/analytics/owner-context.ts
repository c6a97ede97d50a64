// Travail de fond qui agit au nom d'un propriétaire (indicateurs, rapports) : ses droits du moment, relus à chaque
// fois (rien si le compte n'est plus actif), et la raison d'un échec gardée en texte sur l'enregistrement.
import type { RequestContext } from '../engine/context.js';
import { toProblem } from '../engine/errors.js';
import type { AccessProfiles } from '../iam/access/store.js';
import type { Locale } from '../text/messages.js';

export async function ownerContext(
  access: Pick<AccessProfiles, 'get'>, tenantId: string, owner: string | null, requestId: string, locale: Locale = 'en',
): Promise<RequestContext | undefined> {
  const profile = owner ? await access.get(tenantId, owner) : null;
  if (!profile) return undefined;
  return { tenantId, userId: owner, superAdmin: profile.superAdmin, access: profile, requestId, ip: null, locale };
}

/** Raison d'un échec attendu (requête devenue invalide, droit retiré), en texte borné ; une autre erreur remonte. */
export function failureText(error: unknown): string {
  const problem = toProblem(error, 'en');
  if (!problem) throw error;
  return (problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || problem.message).slice(0, 1000);
}
