// Installation des stocks dans un tenant : un entrepôt principal, son emplacement de stock et les emplacements
// virtuels (fournisseurs, clients, ajustements d'inventaire).
import type { ModuleContext } from '@opsflux/sdk';

export async function install(ctx: ModuleContext): Promise<void> {
  // par eid : une réinstallation après une désinstallation qui a gardé les données retrouve ses emplacements
  const warehouse = await ctx.records.upsert('inv_warehouse', 'inv-wh-main', { name: ctx.t('mainWarehouse'), code: 'WH' });
  const stock = await ctx.records.upsert('inv_location', 'inv-loc-stock', { name: ctx.t('stock'), warehouse: warehouse.id, usage: 'internal' });
  for (const usage of ['supplier', 'customer', 'adjustment'] as const) {
    await ctx.records.upsert('inv_location', `inv-loc-${usage}`, { name: ctx.t(`location.${usage}`), usage });
  }
  await ctx.records.update('inv_warehouse', warehouse.id, { stockLocation: stock.id });
}
