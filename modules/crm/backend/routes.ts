// Routes du CRM : vue du pipeline (nombre et montant par étape), conversion d'une piste en opportunité ; l'une et
// l'autre sont aussi des outils de l'assistant d'IA (la conversion, une action proposée puis confirmée).
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
async function convertToOpportunity(ctx: ModuleContext, id: string) {
  const lead = await ctx.records.get('crm_lead', id);
  if (lead.kind === 'opportunity') throw new ModuleError('already_opportunity', ctx.t('alreadyOpportunity'), 409);
  const customer = lead.customer ?? (await ctx.records.create('customer', {
    name: lead.contactName ?? lead.title, email: lead.email ?? undefined, phone: lead.phone ?? undefined,
  })).id;
  return ctx.records.update('crm_lead', lead.id, { kind: 'opportunity', customer });
}

export const convertLead = route('POST', '/leads/:id/convert', (request, ctx) => convertToOpportunity(ctx, request.params.id!), 'crm_lead:update');

/** La même conversion, action de l'assistant : proposée par le modèle, exécutée quand l'utilisateur confirme. */
export const convertLeadTool = defineAiTool({
  name: 'convert_lead',
  description: 'Convert a lead into an opportunity at the first stage of the pipeline, creating the customer from its contact when it has none.',
  input: { type: 'object', properties: { lead: { type: 'string', format: 'uuid', description: 'id of the crm_lead' } }, required: ['lead'], additionalProperties: false },
  permission: 'crm_lead:update',
  effect: 'write',
  handler: (input, ctx) => convertToOpportunity(ctx, String(input.lead)),
});
