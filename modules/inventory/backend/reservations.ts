// Réservations : refusées au-delà du disponible (en stock − déjà réservé) ; libérées, elles rendent la quantité.
import { Dec, ModuleError, onRecord } from '@opsflux/sdk';
import { adjustQuant, available, quantOf } from './quants.ts';

export const reserve = onRecord('inventory.reserve', 'beforeCreate', 'inv_reservation', async ({ data, ctx }) => {
  const product = data!.product as string;
  const location = data!.location as string;
  const free = available(await quantOf(ctx, product, location));
  if (free.lt(data!.quantity as string)) {
    const name = (await ctx.sudo().records.get('inv_product', product)).name as string;
    throw new ModuleError('insufficient_stock', ctx.t('notAvailable', { product: name, available: free.toString() }), 422, 'quantity');
  }
  await adjustQuant(ctx, product, location, 'reserved', new Dec(data!.quantity as string).toString());
});

export const release = onRecord('inventory.release', 'beforeUpdate', 'inv_reservation', async ({ before, data, ctx }) => {
  if (before!.state !== 'active' || data!.state !== 'released') return;
  await adjustQuant(ctx, before!.product as string, before!.location as string, 'reserved', new Dec(before!.quantity as string).neg().toString());
});
