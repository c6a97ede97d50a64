// Mouvements : unité de l'article par défaut, mouvement fait = figé ; à la validation, les emplacements suivis
// (internes, transit) voient leur quantité baisser ou monter, dans l'unité de l'article.
import { Dec, ModuleError, onRecord, type ModuleContext, type RecordData } from '@opsflux/sdk';
import { adjustQuant, quantOf } from './quants.ts';

const TRACKED = new Set(['internal', 'transit']);

export const moveDefaults = onRecord('inventory.moveDefaults', 'beforeCreate', 'inv_move', async ({ data, ctx }) => {
  if (data!.source === data!.destination) throw new ModuleError('same_location', ctx.t('sameLocation'), 422, 'destination');
  if (new Dec(data!.quantity as string).lte(0)) throw new ModuleError('quantity_not_positive', ctx.t('quantityNotPositive'), 422, 'quantity');
  data!.uom ??= (await ctx.sudo().records.get('inv_product', data!.product as string)).uom;
  data!.date ??= new Date().toISOString().slice(0, 10);
});

export const moveLocked = onRecord('inventory.moveLocked', 'beforeUpdate', 'inv_move', ({ before, ctx }) => {
  if (before!.state === 'done' || before!.state === 'cancelled') throw new ModuleError('move_locked', ctx.t('moveLocked'), 409);
});

async function applyMove(ctx: ModuleContext, move: RecordData): Promise<void> {
  const product = await ctx.sudo().records.get('inv_product', move.product as string);
  const quantity = move.uom && move.uom !== product.uom
    ? await ctx.convertUnits(move.quantity as string, move.uom as string, product.uom as string)
    : (move.quantity as string);
  const [source, destination] = await Promise.all([
    ctx.sudo().records.get('inv_location', move.source as string),
    ctx.sudo().records.get('inv_location', move.destination as string),
  ]);
  if (TRACKED.has(source.usage as string)) {
    const quant = await quantOf(ctx, product.id, source.id);
    const after = new Dec((quant?.quantity as string) ?? 0).minus(quantity);
    if (after.lt(0) && !(await ctx.setting<boolean>('inventory.allowNegativeStock'))) {
      throw new ModuleError('insufficient_stock', ctx.t('insufficientStock', { product: product.name as string, location: source.name as string }), 422, 'quantity');
    }
    await adjustQuant(ctx, product.id, source.id, 'quantity', new Dec(quantity).neg().toString());
  }
  if (TRACKED.has(destination.usage as string)) await adjustQuant(ctx, product.id, destination.id, 'quantity', quantity);
}

export const moveDoneOnCreate = onRecord('inventory.moveDoneOnCreate', 'afterCreate', 'inv_move', async ({ after, ctx }) => {
  if (after!.state === 'done') await applyMove(ctx, after as RecordData);
});

export const moveDone = onRecord('inventory.moveDone', 'afterUpdate', 'inv_move', async ({ before, after, ctx }) => {
  if (before!.state !== 'done' && after!.state === 'done') await applyMove(ctx, after as RecordData);
});
