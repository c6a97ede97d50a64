// Stock d'un article par emplacement : en stock, réservé, disponible.
import { Dec, ModuleError, route } from '@opsflux/sdk';

export const stock = route('GET', '/stock/:product', async (request, ctx) => {
  const product = await ctx.records.get('inv_product', request.params.product!);
  if (!product) throw new ModuleError('not_found', 'Unknown product', 404);
  const quants = await ctx.records.list('inv_quant', { filter: { product: product.id }, limit: 1000 });
  const rows = quants.map((q) => ({
    location: q.location, quantity: q.quantity, reserved: q.reserved,
    available: new Dec(q.quantity as string).minus(q.reserved as string).toString(),
  }));
  const total = (key: 'quantity' | 'reserved' | 'available') => rows.reduce((sum, r) => sum.plus(r[key] as string), new Dec(0)).toString();
  return { product: product.id, locations: rows, quantity: total('quantity'), reserved: total('reserved'), available: total('available') };
}, 'inv_quant:read');
