// Ventes : devis et commandes, lignes, taxes, totaux dans la devise de la commande ; la confirmation réserve le stock.
import { defineModule } from '@opsflux/sdk';
import { install } from '../install.ts';
import { uninstall } from '../uninstall.ts';
import { salesOrder, salesOrderLine, salesTax } from './entities.ts';
import { lineAmounts, lineAmountsOnUpdate, totalsOnCreate, totalsOnDelete, totalsOnUpdate } from './lines.ts';
import { orderDefaults, orderTransitions, stockReservation } from './orders.ts';
import { cancelOrder, confirmOrder } from './routes.ts';

export default defineModule({
  entities: [salesTax, salesOrder, salesOrderLine],
  settings: [{
    key: 'sales.orderSequence', scope: 'company', schema: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,62}$' }, default: 'sales.order',
    label: { en: 'Sequence numbering the orders', fr: 'Séquence qui numérote les commandes' },
  }],
  hooks: [orderDefaults, orderTransitions, stockReservation, lineAmounts, lineAmountsOnUpdate, totalsOnCreate, totalsOnUpdate, totalsOnDelete],
  routes: [confirmOrder, cancelOrder],
  install,
  uninstall,
});
