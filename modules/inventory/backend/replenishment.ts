// Plan de réapprovisionnement sous budget : pour chaque article sous son stock minimum, un nombre entier de colis à
// commander (taille de colis de l'article) qui maximise la part couverte des manques, pondérée par la demande récente
// (sorties vers les clients sur 90 jours), sans dépasser le budget. Le solveur est celui du cœur (`ctx.ai.solve`).
import { Dec, ModuleError, route, type ModuleContext, type OptimisationModel, type RecordData } from '@opsflux/sdk';

export interface Need {
  product: string;
  name: string;
  sku: string;
  available: number;
  minStock: number;
  maxStock: number;
  packSize: number;
  unitCost: number;
  /** unités sorties vers les clients sur la période (poids) */
  demand: number;
}

export interface PlanLine extends Need {
  shortfall: number;
  packs: number;
  quantity: number;
  cost: number;
  /** part du manque couverte (0–1) */
  coverage: number;
}

const DEMAND_DAYS = 90;
const MAX_PRODUCTS = 500;
const num = (value: unknown) => (value === null || value === undefined || value === '' ? 0 : Number(value));

/** Manque d'un article : jusqu'au stock maximum, s'il est passé sous son minimum. */
export const shortfallOf = (n: Need) => (n.available < n.minStock ? Math.max(0, n.maxStock - n.available) : 0);

/** Poids d'un article : sa demande récente, un au moins (un article sans historique compte encore). */
const weightOf = (n: Need) => 1 + n.demand;

/** Modèle linéaire en nombres entiers : colis (entiers), unités couvertes ≤ manque et ≤ unités commandées. */
export function replenishmentModel(needs: Need[], budget: number): OptimisationModel {
  const model: OptimisationModel = { objective: { sense: 'max', terms: {} }, variables: {}, constraints: [] };
  const spend: Record<string, number> = {};
  needs.forEach((n, i) => {
    const shortfall = shortfallOf(n);
    const packs = `packs${i}`;
    const covered = `covered${i}`;
    model.variables[packs] = { min: 0, max: Math.ceil(shortfall / n.packSize), integer: true };
    model.variables[covered] = { min: 0, max: shortfall };
    // part couverte pondérée, moins un soupçon de coût : à couverture égale, le plan le moins cher
    model.objective.terms[covered] = weightOf(n) / shortfall;
    model.objective.terms[packs] = -1e-7 * n.packSize * n.unitCost;
    model.constraints.push({ name: `cover${i}`, terms: { [covered]: 1, [packs]: -n.packSize }, op: '<=', rhs: 0 });
    spend[packs] = n.packSize * n.unitCost;
  });
  model.constraints.push({ name: 'budget', terms: spend, op: '<=', rhs: budget });
  return model;
}

async function recentDemand(ctx: ModuleContext): Promise<Map<string, number>> {
  const customers = (await ctx.records.list('inv_location', { filter: { usage: 'customer' }, limit: 100 })).map((l) => l.id);
  const since = new Date(Date.now() - DEMAND_DAYS * 86_400_000).toISOString().slice(0, 10);
  const demand = new Map<string, number>();
  if (!customers.length) return demand;
  const moves = await ctx.records.list('inv_move', { filter: { state: 'done', destination: { in: customers }, date: { gte: since } }, sort: '-date', limit: 1000 });
  for (const move of moves) demand.set(String(move.product), (demand.get(String(move.product)) ?? 0) + num(move.quantity));
  return demand;
}

/** Disponible par article dans les emplacements internes (d'un entrepôt, ou de tous). */
async function availableStock(ctx: ModuleContext, warehouse?: string): Promise<Map<string, number>> {
  const locations = await ctx.records.list('inv_location', { filter: { usage: 'internal', ...(warehouse ? { warehouse } : {}) }, limit: 1000 });
  const stock = new Map<string, number>();
  if (!locations.length) return stock;
  const quants = await ctx.records.list('inv_quant', { filter: { location: { in: locations.map((l) => l.id) } }, limit: 1000 });
  for (const q of quants) {
    const available = new Dec(String(q.quantity ?? 0)).minus(String(q.reserved ?? 0)).toNumber();
    stock.set(String(q.product), (stock.get(String(q.product)) ?? 0) + available);
  }
  return stock;
}

export async function needsOf(ctx: ModuleContext, warehouse?: string): Promise<Need[]> {
  const products = await ctx.records.list('inv_product', { filter: { active: true, kind: 'storable', maxStock: { null: false } }, sort: 'sku', limit: MAX_PRODUCTS });
  const [stock, demand] = await Promise.all([availableStock(ctx, warehouse), recentDemand(ctx)]);
  return products.map((p: RecordData) => ({
    product: p.id, name: String(p.name), sku: String(p.sku),
    available: stock.get(p.id) ?? 0, minStock: num(p.minStock), maxStock: num(p.maxStock), packSize: num(p.packSize) || 1,
    unitCost: num((p.cost as { amount?: string } | null)?.amount), demand: demand.get(p.id) ?? 0,
  })).filter((n) => shortfallOf(n) > 0);
}

export const replenishmentPlan = route('POST', '/replenishment-plan', async (request, ctx) => {
  const body = (request.body ?? {}) as { budget?: unknown; warehouse?: unknown };
  const budget = Number(body.budget);
  if (typeof body.budget !== 'number' || !Number.isFinite(budget) || budget < 0) throw new ModuleError('invalid_budget', ctx.t('invalidBudget'), 400, 'budget');
  const warehouse = typeof body.warehouse === 'string' && body.warehouse ? body.warehouse : undefined;
  const needs = await needsOf(ctx, warehouse);
  if (!needs.length) return { budget, spent: 0, status: 'optimal', lines: [] };
  const result = await ctx.ai.solve(replenishmentModel(needs, budget));
  if (result.status !== 'optimal' && result.status !== 'time_limit') throw new ModuleError(`plan_${result.status}`, ctx.t('planFailed', { status: result.status }), 422);
  const lines: PlanLine[] = needs.map((n, i) => {
    const shortfall = shortfallOf(n);
    const packs = Math.round(result.values[`packs${i}`] ?? 0);
    const quantity = packs * n.packSize;
    return { ...n, shortfall, packs, quantity, cost: round(quantity * n.unitCost), coverage: round(Math.min(1, quantity / shortfall)) };
  });
  return { budget, spent: round(lines.reduce((sum, l) => sum + l.cost, 0)), status: result.status, lines };
}, 'inv_quant:read');

const round = (value: number) => Math.round(value * 100) / 100;
