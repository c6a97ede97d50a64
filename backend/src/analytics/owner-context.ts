// Contexte d'un propriétaire pour le travail de fond qui agit en son nom (indicateurs, rapports) : ses droits du
// moment, relus à chaque fois ; rien si le compte n'est plus actif.
import type { RequestContext } from '../engine/context.js';
import type { AccessProfiles } from '../iam/access/store.js';
import type { Locale } from '../text/messages.js';

export async function ownerContext(
  access: Pick<AccessProfiles, 'get'>, tenantId: string, owner: string | null, requestId: string, locale: Locale = 'en',
): Promise<RequestContext | undefined> {
  const profile = owner ? await access.get(tenantId, owner) : null;
  if (!profile) return undefined;
  return { tenantId, userId: owner, superAdmin: profile.superAdmin, access: profile, requestId, ip: null, locale };
}
