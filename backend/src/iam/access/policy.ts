// Politique d'accès par rôles : permissions `entité:action`, règles d'enregistrements et de champs du profil de
// l'appelant, portées des jetons personnels. Le super-administrateur et les administrateurs du tenant ont tout.
import type { AccessPolicy, EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel, FieldModel } from '../../engine/model.js';

/** Entités tenues par la plateforme : lisibles selon les droits, jamais écrites par l'API. */
const SYSTEM_MANAGED = new Set(['permission']);
const READ_ONLY_ACTIONS = new Set<EntityAction>(['read', 'export']);

/** Une portée de jeton (`facture:read`, `*:read`, `facture:*`, `*`) couvre-t-elle l'action ? */
export function scopeCovers(scopes: readonly string[] | undefined, entity: string, action: EntityAction): boolean {
  if (!scopes) return true;
  return scopes.some((scope) => {
    const [e, a] = scope.includes(':') ? scope.split(':') : [scope, '*'];
    return (e === '*' || e === entity) && (a === '*' || a === action);
  });
}

/** Enregistrements personnels : les siens (et en lecture ceux partagés avec tous ou avec un de ses rôles). */
function ownerFilter(entity: EntityModel, action: EntityAction): unknown {
  if (!entity.owner) return undefined;
  const mine = { [entity.owner.field]: '$user.id' };
  if (!READ_ONLY_ACTIONS.has(action)) return mine;
  const { shared, sharedWith } = entity.owner;
  const alternatives = [mine, ...(shared ? [{ [shared]: true }] : []), ...(sharedWith ? [{ [sharedWith]: { in: '$user.roleIds' } }] : [])];
  return alternatives.length > 1 ? { or: alternatives } : mine;
}

/** Données rattachées à une société : celles des sociétés de l'utilisateur, et celles qui ne sont à aucune. */
function companyFilter(entity: EntityModel): unknown {
  if (!entity.byName.has('companyId')) return undefined;
  return { or: [{ companyId: { null: true } }, { companyId: { in: '$user.companyIds' } }] };
}

const unrestricted = (ctx: RequestContext) => ctx.system === true || ctx.access?.superAdmin === true || ctx.access?.admin === true;

export const rolePolicy: AccessPolicy = {
  can(ctx, entity, action) {
    if (ctx.system) return true;
    const profile = ctx.access;
    if (!profile) return false;
    if (SYSTEM_MANAGED.has(entity.name) && !READ_ONLY_ACTIONS.has(action)) return false;
    if (!scopeCovers(ctx.scopes, entity.name, action)) return false;
    return unrestricted(ctx) || profile.grant(entity.name, action) !== undefined;
  },

  recordFilter(ctx, entity, action) {
    if (unrestricted(ctx)) return undefined;
    const grant = ctx.access?.grant(entity.name, action);
    const granted = !grant || grant.unrestricted ? undefined : grant.filters.length === 1 ? grant.filters[0] : { or: grant.filters };
    const implicit = [ownerFilter(entity, action), companyFilter(entity)].filter((f) => f !== undefined);
    const all = [...(granted ? [granted] : []), ...implicit];
    return all.length > 1 ? { and: all } : all[0];
  },

  fieldVisible(ctx: RequestContext, entity: EntityModel, field: FieldModel) {
    return unrestricted(ctx) || !ctx.access?.hidden.get(entity.name)?.has(field.name);
  },

  fieldWritable(ctx: RequestContext, entity: EntityModel, field: FieldModel) {
    if (unrestricted(ctx)) return true;
    return !ctx.access?.readOnly.get(entity.name)?.has(field.name) && !ctx.access?.hidden.get(entity.name)?.has(field.name);
  },

  variables(ctx) {
    const profile = ctx.access;
    if (!profile) return undefined;
    return {
      '$user.id': profile.userId,
      '$user.companyIds': profile.companyIds,
      '$user.currentCompanyId': profile.currentCompanyId,
      '$user.groupIds': profile.groupIds,
      '$user.roleIds': profile.roles.map((r) => r.id),
    };
  },
};

/** Noms des variables utilisables dans les règles (contrôle à l'écriture d'une règle). */
export const RULE_VARIABLES = ['$user.id', '$user.companyIds', '$user.currentCompanyId', '$user.groupIds', '$user.roleIds'];
