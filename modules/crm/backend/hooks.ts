// Règles du pipeline : l'étape donne la probabilité et le statut ; une activité faite date le dernier contact client.
import { ModuleError, onRecord, type ModuleContext } from '@opsflux/sdk';

/** Étape choisie → probabilité et issue de l'étape ; une piste sans étape prend la première. */
async function applyStage(data: Record<string, unknown>, ctx: ModuleContext, creating: boolean): Promise<void> {
  if (!creating && data.stage === undefined) return;
  const filter = data.stage ? { filter: { id: data.stage } } : {};
  const stage = (await ctx.sudo().records.list('crm_stage', { sort: 'position', limit: 1, ...filter }))[0];
  if (data.stage && !stage) throw new ModuleError('unknown_stage', ctx.t('unknownStage'), 422, 'stage');
  if (!stage) return;
  data.stage = stage.id;
  if (creating) data.probability ??= stage.probability;
  else data.probability = stage.probability;
  data.status = stage.outcome;
}

export const stageRules = onRecord('crm.stageRules', 'beforeCreate', 'crm_lead', async ({ data, ctx }) => {
  data!.source ??= await ctx.setting<string>('crm.defaultSource');
  await applyStage(data!, ctx, true);
});

export const stageChange = onRecord('crm.stageChange', 'beforeUpdate', 'crm_lead', ({ data, ctx }) => applyStage(data!, ctx, false));

export const lastContact = onRecord('crm.lastContact', 'afterUpdate', 'crm_activity', async ({ before, after, ctx }) => {
  if (before!.done || !after!.done) return;
  const lead = await ctx.sudo().records.get('crm_lead', after!.lead as string);
  if (lead.customer) await ctx.sudo().records.update('customer', lead.customer as string, { crmLastContactAt: new Date().toISOString() });
});
