// Propriétaire et société d'un enregistrement écrit par le moteur : posés à la création (l'utilisateur, sa société
// courante), et la société donnée à la création comme à la mise à jour doit être une de celles de l'utilisateur.
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel, FieldModel } from '../../engine/model.js';
import { ProblemError } from '../../errors/problem.js';
import { message } from '../../text/messages.js';

/** Propriétaire et société posés à la création (403 si la société donnée n'est pas une de celles de l'utilisateur). */
export function stampDefaults(ctx: RequestContext, model: EntityModel, values: Map<FieldModel, unknown>): void {
  stampOwner(ctx, model, values);
  stampCompany(ctx, model, values);
}

/** Enregistrement personnel : il appartient à l'utilisateur qui le crée (le système peut désigner un autre propriétaire). */
function stampOwner(ctx: RequestContext, model: EntityModel, values: Map<FieldModel, unknown>): void {
  const field = model.owner && model.byName.get(model.owner.field);
  if (!field || !ctx.userId || (ctx.system && values.has(field))) return;
  values.set(field, ctx.userId);
}

/** Enregistrement rattaché à une société : la société courante de l'utilisateur par défaut, une des siennes sinon. */
function stampCompany(ctx: RequestContext, model: EntityModel, values: Map<FieldModel, unknown>): void {
  const field = model.byName.get('companyId');
  if (!field) return;
  if (!values.has(field) && ctx.access?.currentCompanyId) values.set(field, ctx.access.currentCompanyId);
  checkCompany(ctx, model, values);
}

/** La société écrite (s'il y en a une) est-elle une de celles de l'utilisateur ? 403 sinon (système et administrateurs exceptés). */
export function checkCompany(ctx: RequestContext, model: EntityModel, values: Map<FieldModel, unknown>): void {
  const field = model.byName.get('companyId');
  const company = field && values.get(field);
  if (!company || ctx.system || ctx.access?.superAdmin || ctx.access?.admin) return;
  if (!ctx.access?.companyIds.includes(company as string)) {
    throw new ProblemError(403, 'company_not_allowed', 'This company is not one of yours', [
      { field: 'companyId', code: 'company_not_allowed', message: message(ctx.locale, 'company_not_allowed') },
    ]);
  }
}
