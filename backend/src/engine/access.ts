// Point d'extension du contrôle d'accès : le service générique le consulte à chaque opération.
// L'implémentation complète (rôles, permissions, règles de champs et d'enregistrements) arrive avec l'IAM.
import type { RequestContext } from './context.js';
import type { EntityModel, FieldModel } from './model.js';

export const ENTITY_ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'admin'] as const;
export type EntityAction = (typeof ENTITY_ACTIONS)[number];

export interface AccessPolicy {
  /** l'action est-elle permise sur l'entité ? */
  can(ctx: RequestContext, entity: EntityModel, action: EntityAction): boolean;
  /** filtre JSON imposé aux lectures, mises à jour et suppressions (règles d'enregistrements) */
  recordFilter(ctx: RequestContext, entity: EntityModel, action: EntityAction): unknown;
  fieldVisible(ctx: RequestContext, entity: EntityModel, field: FieldModel): boolean;
  fieldWritable(ctx: RequestContext, entity: EntityModel, field: FieldModel): boolean;
  /** variables des règles (`$user.id`, `$user.companyIds`…) */
  variables(ctx: RequestContext): Record<string, unknown> | undefined;
}

/** Politique par défaut : tout utilisateur authentifié du tenant a tous les droits. */
export const allowAuthenticated: AccessPolicy = {
  can: (ctx) => ctx.userId !== null,
  recordFilter: () => undefined,
  fieldVisible: () => true,
  fieldWritable: () => true,
  variables: () => undefined,
};
