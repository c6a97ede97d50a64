// Stocks : articles, entrepôts et emplacements, mouvements, quantités en stock et réservées par emplacement.
import { defineModule } from '@opsflux/sdk';
import { install } from '../install.ts';
import { uninstall } from '../uninstall.ts';
import { invLocation, invMove, invProduct, invQuant, invReservation, invWarehouse } from './entities.ts';
import { moveDefaults, moveDone, moveDoneOnCreate, moveLocked } from './moves.ts';
import { release, reserve } from './reservations.ts';
import { replenishmentPlan } from './replenishment.ts';
import { stock } from './routes.ts';

export default defineModule({
  entities: [invProduct, invWarehouse, invLocation, invMove, invQuant, invReservation],
  settings: [{
    key: 'inventory.allowNegativeStock', scope: 'tenant', schema: { type: 'boolean' }, default: false,
    label: { en: 'Allow stock to go below zero', fr: 'Autoriser un stock négatif' },
  }],
  hooks: [moveDefaults, moveLocked, moveDoneOnCreate, moveDone, reserve, release],
  routes: [stock, replenishmentPlan],
  install,
  uninstall,
});
