// Qui peut toucher aux identifiants de connexion d'un compte (adresse, mot de passe, second facteur, identités liées) :
// celui qui a au moins ses droits. Un super-administrateur seul touche à ceux d'un super-administrateur ; un
// administrateur du tenant a tous les droits du tenant ; sinon chaque permission de la cible doit être aussi large
// chez l'acteur, et l'acteur ne doit ne voir ni ne modifier moins de champs qu'elle.
import type { EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import type { Catalog } from '../../engine/registry.js';
import type { Tx } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import type { AccessProfile, Grant } from './profile.js';
import { loadProfile } from './store.js';

/** L'acteur a-t-il au moins tous les droits de la cible ? */
export function holdsAtLeast(actor: AccessProfile, target: AccessProfile): boolean {
  if (target.superAdmin) return actor.superAdmin;
  if (actor.superAdmin || actor.admin) return true;
  if (target.admin) return false;
  if (!fewerRestrictions(actor.hidden, target.hidden) || !fewerRestrictions(actor.readOnly, target.readOnly)) return false;
  return target.permissions.every((code) => {
    const i = code.lastIndexOf(':');
    const entity = code.slice(0, i);
    const action = code.slice(i + 1) as EntityAction;
    return covers(actor.grant(entity, action), target.grant(entity, action));
  });
}

/** Le droit de l'acteur couvre-t-il celui de la cible ? (filtres comparés à l'identique) */
function covers(actor: Grant | undefined, target: Grant | undefined): boolean {
  if (!target) return true;
  if (!actor) return false;
  if (actor.unrestricted) return true;
  if (target.unrestricted) return false;
  const mine = new Set(actor.filters.map((f) => JSON.stringify(f)));
  return target.filters.every((f) => mine.has(JSON.stringify(f)));
}

/** Chaque champ masqué (ou figé) pour l'acteur l'est aussi pour la cible. */
function fewerRestrictions(actor: ReadonlyMap<string, ReadonlySet<string>>, target: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  return [...actor].every(([entity, fields]) => [...fields].every((field) => target.get(entity)?.has(field) === true));
}

/**
 * 403 si l'appelant n'a pas au moins les droits du compte `userId` (le code de confiance de la plateforme passe).
 * `fields` : champs concernés, nommés dans les erreurs par champ.
 */
export async function assertMayEditCredentials(trx: Tx, ctx: RequestContext, catalog: Catalog, userId: string, fields: string[]): Promise<void> {
  if (ctx.system) return;
  const target = await loadProfile(trx, catalog, { userId, anyState: true });
  if (!target) return;
  if (ctx.access && holdsAtLeast(ctx.access, target)) return;
  const text = message(ctx.locale, 'credentials_above_rights');
  throw new ProblemError(403, 'credentials_above_rights', text, fields.map((field) => ({ field, code: 'credentials_above_rights', message: text })));
}
