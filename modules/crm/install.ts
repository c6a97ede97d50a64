// Installation du CRM dans un tenant : étapes du pipeline par défaut (modifiables ensuite).
import type { ModuleContext } from '@opsflux/sdk';

const STAGES: [string, number, 'open' | 'won' | 'lost'][] = [
  ['stage.new', 10, 'open'], ['stage.qualified', 30, 'open'], ['stage.proposal', 60, 'open'],
  ['stage.negotiation', 80, 'open'], ['stage.won', 100, 'won'], ['stage.lost', 0, 'lost'],
];

export async function install(ctx: ModuleContext): Promise<void> {
  for (const [position, [key, probability, outcome]] of STAGES.entries()) {
    await ctx.records.upsert('crm_stage', `crm-${key}`, { name: ctx.t(key), position: position + 1, probability, outcome });
  }
}
