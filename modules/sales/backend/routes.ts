// Raccourcis : confirmer et annuler une commande (même effet qu'un PATCH de l'état).
import { route } from '@opsflux/sdk';

export const confirmOrder = route('POST', '/orders/:id/confirm', (request, ctx) =>
  ctx.records.update('sales_order', request.params.id!, { state: 'confirmed' }), 'sales_order:update');

export const cancelOrder = route('POST', '/orders/:id/cancel', (request, ctx) =>
  ctx.records.update('sales_order', request.params.id!, { state: 'cancelled' }), 'sales_order:update');
