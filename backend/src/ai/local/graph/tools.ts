// Outils de l'assistant du graphe des enregistrements : voisinage d'une fiche et chemin entre deux fiches, COMME
// l'utilisateur (mêmes règles que l'API).
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { recordId, toolSchema } from '../../assistant/tools.js';
import type { LocalToolFactory } from '../tools.js';
import type { KnowledgeGraph } from './service.js';

const entity = z.string().max(100);

export function graphTools(graph: KnowledgeGraph): LocalToolFactory {
  return ({ ctx, catalog, sink }): ToolSet => {
    if (!graph.usable(ctx, catalog)) return {};
    const edgeText = (labels: Map<string, string>) => (e: { from: string; to: string; label: string }) =>
      `${labels.get(e.from)} —${e.label}→ ${labels.get(e.to)}`;
    return {
      record_neighbours: tool({
        description: 'Records linked to a record by references, both ways (what it refers to, what refers to it), up to `depth` links.',
        inputSchema: toolSchema(z.object({ entity, id: recordId(), depth: z.number().int().min(1).max(5).optional().describe('Default 1') })),
        execute: async ({ entity: name, id, depth }) => {
          const result = await graph.neighbours(ctx, { entity: name, id }, depth);
          const center = result.nodes.find((n) => n.id === result.center)!;
          sink.cite(center.entity, { id: center.id, eid: center.eid });
          const labels = new Map(result.nodes.map((n) => [n.id, `${n.entityLabel} ${n.label}`]));
          return {
            records: result.nodes.filter((n) => n.id !== result.center).map((n) => ({ entity: n.entity, id: n.id, label: n.label, depth: n.depth })),
            links: result.edges.map(edgeText(labels)),
            truncated: result.truncated,
          };
        },
      }),
      path_between: tool({
        description: 'Shortest chain of references between two records (for example how an order relates to a supplier).',
        inputSchema: toolSchema(z.object({
          fromEntity: entity, fromId: recordId(), toEntity: entity, toId: recordId(),
          maxDepth: z.number().int().min(1).max(8).optional().describe('Links at most (default from the settings)'),
        })),
        execute: async ({ fromEntity, fromId, toEntity, toId, maxDepth }) => {
          const result = await graph.path(ctx, { entity: fromEntity, id: fromId }, { entity: toEntity, id: toId }, maxDepth);
          for (const node of result.nodes) sink.cite(node.entity, { id: node.id, eid: node.eid });
          const labels = new Map(result.nodes.map((n) => [n.id, `${n.entityLabel} ${n.label}`]));
          return { length: result.length, records: result.nodes.map((n) => ({ entity: n.entity, id: n.id, label: n.label })), links: result.edges.map(edgeText(labels)) };
        },
      }),
    };
  };
}
