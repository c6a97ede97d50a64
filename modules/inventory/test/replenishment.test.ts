// Plan de réapprovisionnement sous budget (solveur du cœur via ctx.ai.solve) : sur un stock généré dont l'optimum est
// connu (énumération exhaustive), colis entiers, budget respecté, demande récente prioritaire, budget invalide refusé.
import { fileURLToPath } from 'node:url';
import { ApiError, type RecordData } from '@opsflux/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleHarness, type ModuleHarness } from '@opsflux/backend/testing/module-harness.ts';

interface Plan {
  budget: number;
  spent: number;
  status: string;
  lines: { sku: string; shortfall: number; packs: number; quantity: number; cost: number; coverage: number; demand: number }[];
}

let harness: ModuleHarness;
const locations: Record<string, string> = {};
const products: Record<string, RecordData> = {};

/** [sku, min, max, colis, coût, disponible] */
const STOCK: [string, string, string, number, string, string][] = [
  ['A', '10', '20', 5, '4', '5'],
  ['B', '10', '30', 10, '3', '0'],
  ['C', '5', '12', 6, '5', '2'],
  ['D', '5', '10', 1, '1', '8'],
];

beforeAll(async () => {
  harness = await moduleHarness(fileURLToPath(new URL('../..', import.meta.url)));
  await harness.client.modules.install('inventory');
  const { records } = harness.client;
  for (const location of (await records.list('inv_location')).data) locations[location.eid.replace('inv-loc-', '')] = location.id;
  const unit = (await records.list('uom', { filter: { eid: 'uom-unit' } })).data[0] ?? (await records.list('uom', { limit: 1 })).data[0]!;
  for (const [sku, minStock, maxStock, packSize, cost, available] of STOCK) {
    products[sku] = await records.create('inv_product', { name: `Product ${sku}`, sku, uom: unit.id, minStock, maxStock, packSize, cost: { amount: cost, currency: 'EUR' } });
    if (available !== '0') {
      await records.create('inv_move', { product: products[sku].id, quantity: available, source: locations.supplier, destination: locations.stock, state: 'done' });
    }
  }
}, 120_000);
afterAll(() => harness?.close());

const plan = (budget: unknown) => harness.client.module('inventory').post<Plan>('/replenishment-plan', { budget });
const packs = (result: Plan) => Object.fromEntries(result.lines.map((l) => [l.sku, l.packs]));

describe('replenishment plan', () => {
  it('maximises the covered share of the shortfalls within the budget, in whole packs (known optimum)', async () => {
    const result = await plan(150);
    expect(result.status).toBe('optimal');
    // D est au-dessus de son minimum : pas de manque ; l'énumération des colis donne A 3, B 1, C 2 (couverture 2,33)
    expect(result.lines.map((l) => l.sku)).toEqual(['A', 'B', 'C']);
    expect(packs(result)).toEqual({ A: 3, B: 1, C: 2 });
    expect(result.spent).toBe(150);
    const coverage = result.lines.reduce((sum, l) => sum + l.coverage, 0);
    console.log(`[quality] replenishment plan coverage ${coverage.toFixed(2)} of 3 shortfalls, optimum 2.33 (budget 150)`);
    expect(coverage).toBeCloseTo(2.33, 2);
  });

  it('spends nothing without budget and everything needed with a large one', async () => {
    expect(packs(await plan(0))).toEqual({ A: 0, B: 0, C: 0 });
    const large = await plan(10_000);
    expect(packs(large)).toEqual({ A: 3, B: 3, C: 2 });
    expect(large.spent).toBe(60 + 90 + 60);
  });

  it('favours the products in demand', async () => {
    const { records } = harness.client;
    const b = products.B!.id;
    await records.create('inv_move', { product: b, quantity: '10', source: locations.supplier, destination: locations.stock, state: 'done' });
    await records.create('inv_move', { product: b, quantity: '10', source: locations.stock, destination: locations.customer, state: 'done', date: new Date().toISOString().slice(0, 10) });
    const result = await plan(150);
    expect(result.lines.find((l) => l.sku === 'B')!.demand).toBe(10);
    // B (poids 11) couvert en entier d'abord ; le reste du budget (60) couvre A ou C en entier (même coût)
    expect(packs(result).B).toBe(3);
    expect(result.lines.filter((l) => l.sku !== 'B').reduce((sum, l) => sum + l.coverage, 0)).toBe(1);
    expect(result.spent).toBe(150);
  });

  it('refuses an invalid budget', async () => {
    const refused = await plan('lots').then(() => { throw new Error('expected a refusal'); }, (e: ApiError) => e);
    expect(refused.problem).toMatchObject({ status: 400, code: 'invalid_budget' });
  });
});
