// Lignes : prix de l'article converti dans la devise de la commande, remise, taxe, montants arrondis aux décimales
// de la devise ; chaque écriture de ligne recalcule les totaux de la commande.
import { Dec, ModuleError, onRecord, roundTo, type ModuleContext, type RecordData } from '@opsflux/sdk';

const EDITABLE = new Set(['draft', 'sent']);

async function orderContext(ctx: ModuleContext, orderId: string) {
  const order = await ctx.sudo().records.get('sales_order', orderId);
  const currency = await ctx.sudo().records.get('currency', order.currency as string);
  return { order, currency };
}

async function computeLine(ctx: ModuleContext, line: Record<string, unknown>, data: Record<string, unknown>): Promise<void> {
  const { order, currency } = await orderContext(ctx, line.order as string);
  if (!EDITABLE.has(order.state as string)) throw new ModuleError('order_locked', ctx.t('orderLocked', { number: order.number as string }), 409);
  if (new Dec(line.quantity as string).lte(0)) throw new ModuleError('quantity_not_positive', ctx.t('quantityNotPositive'), 422, 'quantity');
  if (line.product && (data.unitPrice === undefined || data.description === undefined) && line.unitPrice == null) {
    const product = await ctx.sudo().records.get('inv_product', line.product as string);
    const price = product.salePrice as { amount: string; currency: string } | null;
    if (price && data.unitPrice === undefined) {
      line.unitPrice = data.unitPrice = price.currency === currency.code ? price.amount
        : await ctx.convert(price.amount, price.currency, currency.code as string, order.orderDate as string);
    }
    if (line.description == null) line.description = data.description = product.name;
  }
  if (line.unitPrice == null) throw new ModuleError('price_required', ctx.t('priceRequired'), 422, 'unitPrice');
  const places = currency.minorUnits as number;
  const gross = new Dec(line.quantity as string).mul(line.unitPrice as string);
  const subtotal = roundTo(gross.mul(new Dec(100).minus((line.discount as string) ?? 0)).div(100), places);
  const rate = line.tax ? (await ctx.sudo().records.get('sales_tax', line.tax as string)).rate as string : '0';
  const taxAmount = roundTo(new Dec(subtotal).mul(rate).div(100), places);
  Object.assign(data, { subtotal, taxAmount, total: new Dec(subtotal).plus(taxAmount).toFixed(places) });
}

export const lineAmounts = onRecord('sales.lineAmounts', 'beforeCreate', 'sales_order_line', ({ data, ctx }) => computeLine(ctx, { ...data! }, data!));

export const lineAmountsOnUpdate = onRecord('sales.lineAmountsOnUpdate', 'beforeUpdate', 'sales_order_line', async ({ before, data, ctx }) => {
  if (data!.order !== undefined && data!.order !== before!.order) throw new ModuleError('line_moved', ctx.t('lineMoved'), 422, 'order');
  await computeLine(ctx, { ...before!, ...data! }, data!);
});

/** Totaux de la commande : somme de ses lignes vivantes. */
async function refreshTotals(ctx: ModuleContext, line: RecordData | Record<string, unknown>): Promise<void> {
  const { order, currency } = await orderContext(ctx, line.order as string);
  const lines = await ctx.sudo().records.list('sales_order_line', { filter: { order: order.id }, limit: 1000 });
  const sum = (key: string) => lines.reduce((acc, l) => acc.plus((l[key] as string) ?? 0), new Dec(0)).toFixed(currency.minorUnits as number);
  await ctx.sudo().records.update('sales_order', order.id, { untaxedAmount: sum('subtotal'), taxAmount: sum('taxAmount'), totalAmount: sum('total') });
}

export const totalsOnCreate = onRecord('sales.totalsOnCreate', 'afterCreate', 'sales_order_line', ({ after, ctx }) => refreshTotals(ctx, after!));
export const totalsOnUpdate = onRecord('sales.totalsOnUpdate', 'afterUpdate', 'sales_order_line', ({ after, ctx }) => refreshTotals(ctx, after!));
export const totalsOnDelete = onRecord('sales.totalsOnDelete', 'afterDelete', 'sales_order_line', async ({ before, ctx }) => {
  const { order } = await orderContext(ctx, before!.order as string);
  if (!EDITABLE.has(order.state as string)) throw new ModuleError('order_locked', ctx.t('orderLocked', { number: order.number as string }), 409);
  await refreshTotals(ctx, before!);
});
