// Outil `forecast_series` de l'assistant (et de MCP) : prévision d'une série d'une entité que l'utilisateur lit,
// calculée localement et comme lui.
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { toolSchema } from '../../assistant/tools.js';
import { asToolResult } from '../tool-errors.js';
import type { LocalToolFactory } from '../tools.js';
import { FORECAST_BUCKETS } from './buckets.js';
import type { ForecastService } from './service.js';

export function forecastTool(forecasts: ForecastService, canRead: (scope: Parameters<LocalToolFactory>[0]) => boolean): LocalToolFactory {
  return (scope): ToolSet => {
    if (!canRead(scope)) return {};
    const { ctx, catalog } = scope;
    return {
      forecast_series: tool({
        description: 'Forecast a numeric series of an entity’s records aggregated by period (e.g. customers created per month, amounts summed per quarter), '
          + 'with lower/upper confidence bounds and the backtested error (MAPE, percent). Runs locally.',
        inputSchema: toolSchema(z.object({
          entity: z.string().max(100),
          dateField: z.string().max(200).describe('date or date-time field, e.g. createdAt'),
          measure: z.object({ fn: z.enum(['count', 'sum', 'avg']), field: z.string().max(200).optional() }),
          filter: z.record(z.string(), z.unknown()).optional().describe('JSON filter, as in search_records'),
          bucket: z.enum(FORECAST_BUCKETS),
          horizon: z.number().int().min(1).max(366),
          confidence: z.union([z.literal(0.8), z.literal(0.95)]).optional(),
        })),
        execute: (input) => asToolResult(ctx, async () => {
          const result = await forecasts.forecast(ctx, input, catalog);
          const round = (v: number) => Math.round(v * 1000) / 1000;
          // l'historique complet n'aide pas le modèle : ses dernières périodes suffisent
          return {
            ...result,
            history: result.history.slice(-12),
            historyLength: result.history.length,
            forecast: result.forecast.map((p) => ({ t: p.t, value: round(p.value), lower: round(p.lower), upper: round(p.upper) })),
            backtest: { ...result.backtest, mape: result.backtest.mape === null ? null : round(result.backtest.mape) },
          };
        }),
      }),
    };
  };
}
