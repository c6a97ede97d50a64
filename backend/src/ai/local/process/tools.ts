// Outil de l'assistant de la fouille de processus : la carte du processus d'un champ d'état, COMME l'utilisateur.
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { toolSchema } from '../../assistant/tools.js';
import type { LocalToolFactory } from '../tools.js';
import type { ProcessMining } from './service.js';

const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2}))?$/, 'must be an ISO 8601 date or instant');

export function processTools(mining: ProcessMining): LocalToolFactory {
  return ({ ctx, catalog }): ToolSet => (!mining.usable(ctx, catalog) ? {} : {
    process_map: tool({
      description: 'Process mining from the audit trail for a state field (enum or reference, such as sales_order.state or crm_lead.stage): '
        + 'transitions with counts and mean/median durations, variants, bottlenecks and conformance to the declared transitions.',
      inputSchema: toolSchema(z.object({
        entity: z.string().max(100), field: z.string().max(100),
        from: instant.optional().describe('Records created from'), to: instant.optional().describe('Records created before'),
      })),
      execute: async ({ entity, field, from, to }) => {
        const map = await mining.map(ctx, { entity, field, from, to });
        const name = (state: string) => map.labels[state] ?? state;
        const hours = (ms: number | null) => (ms === null ? null : Number((ms / 3_600_000).toFixed(2)));
        const edge = (e: (typeof map.edges)[number]) => ({ from: name(e.from), to: name(e.to), count: e.count, meanHours: hours(e.meanMs), medianHours: hours(e.medianMs) });
        return {
          cases: map.cases, truncated: map.truncated,
          states: map.states.map((s) => ({ state: name(s.state), cases: s.cases, starts: s.starts, ends: s.ends })),
          transitions: map.edges.map(edge),
          variants: map.variants.slice(0, 10).map((v) => ({ path: v.path.map(name).join(' → '), count: v.count })),
          bottlenecks: map.bottlenecks.map(edge),
          conformance: map.conformance && { fitting: map.conformance.fitting, deviations: map.conformance.deviations.map((d) => ({ from: name(d.from), to: name(d.to), count: d.count })) },
        };
      },
    }),
  });
}
