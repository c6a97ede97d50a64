// Routes du CRM : vue du pipeline (nombre et montant par étape), conversion d'une piste en opportunité ; la même vue
// du pipeline est un outil de l'assistant d'IA.
import { Dec, defineAiTool, ModuleError, route, type ModuleContext } from '@opsflux/sdk';

/** Opportunités par étape : nombre et montant attendu. */
async function pipelineTotals(ctx: ModuleContext) {
  const stages = await ctx.records.list('crm_stage', { sort: 'position', limit: 100 });
  const leads = await ctx.records.list('crm_lead', { filter: { kind: 'opportunity' }, limit: 1000 });
  return {
    stages: stages.map((stage) => {
      const inStage = leads.filter((l) => l.stage === stage.id);
      const amount = inStage.reduce((sum, l) => sum.plus((l.expectedRevenue as { amount?: string } | null)?.amount ?? 0), new Dec(0));
      return { id: stage.id, name: stage.name, probability: stage.probability, count: inStage.length, expectedRevenue: amount.toFixed(2) };
    }),
  };
}

export const pipeline = route('GET', '/pipeline', (_request, ctx) => pipelineTotals(ctx), 'crm_lead:read');

export const pipelineTool = defineAiTool({
  name: 'pipeline',
  description: 'The sales pipeline: for each stage of the CRM, the number of open opportunities and their expected revenue.',
  input: { type: 'object', properties: {}, additionalProperties: false },
  permission: 'crm_lead:read',
  handler: (_input, ctx) => pipelineTotals(ctx),
});

/** Piste → opportunité à la première étape ; un client est créé à partir du contact s'il n'y en a pas. */
export const convertLead = route('POST', '/leads/:id/convert', async (request, ctx) => {
  const lead = await ctx.records.get('crm_lead', request.params.id!);
  if (lead.kind === 'opportunity') throw new ModuleError('already_opportunity', ctx.t('alreadyOpportunity'), 409);
  const customer = lead.customer ?? (await ctx.records.create('customer', {
    name: lead.contactName ?? lead.title, email: lead.email ?? undefined, phone: lead.phone ?? undefined,
  })).id;
  return ctx.records.update('crm_lead', lead.id, { kind: 'opportunity', customer });
}, 'crm_lead:update');
