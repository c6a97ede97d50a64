// Commandes : numéro tiré de la séquence, devise et entrepôt par défaut ; transitions d'état contrôlées ; la
// confirmation réserve le stock des articles stockés (le module Stocks refuse au-delà du disponible, ce qui annule
// toute la confirmation), l'annulation d'une commande confirmée libère ses réservations.
import { ModuleError, onRecord, type ModuleContext, type RecordData } from '@opsflux/sdk';

const TRANSITIONS: Record<string, string[]> = {
  draft: ['sent', 'confirmed', 'cancelled'],
  sent: ['draft', 'confirmed', 'cancelled'],
  confirmed: ['cancelled'],
  cancelled: ['draft'],
};
const FROZEN_WHEN_CONFIRMED = ['customer', 'currency', 'warehouse', 'orderDate'];

export const orderDefaults = onRecord('sales.orderDefaults', 'beforeCreate', 'sales_order', async ({ data, ctx }) => {
  if (data!.state !== undefined && data!.state !== 'draft') throw new ModuleError('invalid_transition', ctx.t('newOrderIsDraft'), 422, 'state');
  data!.orderDate ??= new Date().toISOString().slice(0, 10);
  if (!data!.currency) {
    const code = await ctx.setting<string>('currency.base');
    data!.currency = (await ctx.sudo().records.list('currency', { filter: { code }, limit: 1 }))[0]?.id;
  }
  data!.warehouse ??= (await ctx.sudo().records.list('inv_warehouse', { sort: 'createdAt', limit: 1 }))[0]?.id;
  const sequence = await ctx.setting<string>('sales.orderSequence');
  data!.number = await ctx.nextNumber(sequence, { date: data!.orderDate as string });
  Object.assign(data!, { untaxedAmount: '0', taxAmount: '0', totalAmount: '0' });
});

export const orderTransitions = onRecord('sales.orderTransitions', 'beforeUpdate', 'sales_order', async ({ before, data, ctx }) => {
  const from = before!.state as string;
  const to = (data!.state as string | undefined) ?? from;
  if (to !== from && !TRANSITIONS[from]?.includes(to)) {
    throw new ModuleError('invalid_transition', ctx.t('invalidTransition', { from: ctx.t(`state.${from}`), to: ctx.t(`state.${to}`) }), 409, 'state');
  }
  if (from === 'confirmed' && FROZEN_WHEN_CONFIRMED.some((f) => data![f] !== undefined && data![f] !== before![f])) {
    throw new ModuleError('order_locked', ctx.t('orderLocked', { number: before!.number as string }), 409);
  }
  if (to === 'confirmed' && from !== 'confirmed') {
    const lines = await ctx.sudo().records.list('sales_order_line', { filter: { order: before!.id }, limit: 1 });
    if (!lines.length) throw new ModuleError('empty_order', ctx.t('emptyOrder'), 422, 'state');
  }
});

async function reserveLines(ctx: ModuleContext, order: RecordData): Promise<void> {
  const warehouse = await ctx.sudo().records.get('inv_warehouse', order.warehouse as string);
  const lines = await ctx.sudo().records.list('sales_order_line', { filter: { order: order.id, 'product.kind': 'storable' }, limit: 1000 });
  for (const line of lines) {
    await ctx.sudo().records.create('inv_reservation', {
      product: line.product, location: warehouse.stockLocation, quantity: line.quantity, reference: order.number,
    });
  }
}

async function releaseLines(ctx: ModuleContext, order: RecordData): Promise<void> {
  const reservations = await ctx.sudo().records.list('inv_reservation', { filter: { reference: order.number, state: 'active' }, limit: 1000 });
  for (const reservation of reservations) await ctx.sudo().records.update('inv_reservation', reservation.id, { state: 'released' });
}

export const stockReservation = onRecord('sales.stockReservation', 'afterUpdate', 'sales_order', async ({ before, after, ctx }) => {
  if (before!.state !== 'confirmed' && after!.state === 'confirmed') await reserveLines(ctx, after as RecordData);
  if (before!.state === 'confirmed' && after!.state === 'cancelled') await releaseLines(ctx, after as RecordData);
});
