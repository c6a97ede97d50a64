// Outil `find_anomalies` de l'assistant (et de MCP) : les enregistrements aux valeurs inhabituelles que l'utilisateur
// peut voir, cités dans la conversation.
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { toolSchema } from '../../assistant/tools.js';
import { asToolResult } from '../tool-errors.js';
import type { LocalToolFactory } from '../tools.js';
import type { AnomalyService } from './service.js';

export function findAnomaliesTool(anomalies: AnomalyService, canRead: (scope: Parameters<LocalToolFactory>[0]) => boolean): LocalToolFactory {
  return (scope): ToolSet => {
    if (!canRead(scope)) return {};
    const { ctx, catalog, sink } = scope;
    return {
      find_anomalies: tool({
        description: 'Records whose watched numeric fields hold unusual values (robust z-score against the field’s usual values; ratio = value / typical value), newest first.',
        inputSchema: toolSchema(z.object({
          entity: z.string().max(100).optional().describe('only this entity'),
          limit: z.number().int().min(1).max(200).optional(),
        })),
        execute: ({ entity, limit }) => asToolResult(ctx, async () => {
          const flags = await anomalies.find(ctx, { entity, limit: limit ?? 20 }, catalog);
          for (const flag of flags) sink.cite(flag.entity, { id: flag.recordId });
          const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
          return {
            anomalies: flags.map((f) => ({
              entity: f.entity, id: f.recordId, detectedAt: f.detectedAt,
              fields: f.fields.map((a) => ({ field: a.field, value: a.value, typical: a.typical, ratio: round(a.ratio), z: round(a.z) })),
            })),
          };
        }),
      }),
    };
  };
}
