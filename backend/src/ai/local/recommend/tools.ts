// Outils de l'assistant (et du serveur MCP) : articles recommandés (achetés avec un article, ou prochains achats d'un
// client) et fiches semblables, calculés comme l'utilisateur ; chaque fiche rendue est citée.
import { tool } from 'ai';
import { z } from 'zod';
import { recordId, toolSchema, type ToolScope } from '../../assistant/tools.js';
import { toProblem } from '../../../engine/errors.js';
import type { LocalToolFactory } from '../tools.js';
import type { RecommendService } from './service.js';

const LIMIT = z.number().int().min(1).max(20).optional().describe('Default 5');

/** Une erreur de l'API devient un message clair rendu au modèle. */
async function answer<T>(scope: ToolScope, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const problem = toProblem(error, scope.ctx.locale);
    if (!problem) throw error;
    throw new Error(`${problem.status} ${problem.code}: ${problem.message}`);
  }
}

function cite(scope: ToolScope, entity: string, rows: { id: string; display: string }[]): void {
  const display = scope.catalog.get(entity)?.display ?? 'id';
  for (const row of rows) scope.sink.cite(entity, { id: row.id, [display]: row.display });
}

export function recommendTools(service: Pick<RecommendService, 'boughtTogether' | 'nextFor' | 'similar' | 'offersProducts'>): LocalToolFactory {
  return (scope) => ({
    ...(service.offersProducts(scope.ctx, scope.catalog) ? { recommend_products: recommendProducts(service, scope) } : {}),
    similar_records: tool({
      description: 'Records similar to one record of an entity (shared words, attributes such as category, city or segment, and for a customer '
        + 'the products they buy): “customers like this one”, “similar products”. Only records you can read.',
      inputSchema: toolSchema(z.object({ entity: z.string().max(100), id: recordId(), limit: LIMIT })),
      execute: ({ entity, id, limit }) => answer(scope, async () => {
        const found = await service.similar(scope.ctx, entity, id, limit ?? 5);
        cite(scope, entity, found);
        return { entity, similar: found };
      }),
    }),
  });
}

/** Offert seulement à qui peut lire des paniers et leurs lignes. */
function recommendProducts(service: Pick<RecommendService, 'boughtTogether' | 'nextFor'>, scope: ToolScope) {
  return tool({
    description: 'Products to recommend, learnt locally from past orders: bought together with a product (give `product`), '
      + 'or the next best products for a customer (give `customer`; best sellers when they have no order yet). Scores: cosine of co-occurrence, confidence, lift.',
    inputSchema: toolSchema(z.object({ product: recordId().optional(), customer: recordId().optional(), limit: LIMIT })
      .refine((v) => Boolean(v.product) !== Boolean(v.customer), 'give either product or customer')),
    execute: ({ product, customer, limit }) => answer(scope, async () => {
      const found = product
        ? await service.boughtTogether(scope.ctx, undefined, product, limit ?? 5)
        : await service.nextFor(scope.ctx, customer!, limit ?? 5);
      for (const entity of new Set(found.map((r) => r.entity))) cite(scope, entity, found.filter((r) => r.entity === entity));
      return { recommendations: found };
    }),
  });
}
