// Désinstallation des stocks dans un tenant : refusée sans données gardées tant que du stock est réservé (des
// commandes en dépendent encore, même si le module qui les a faites est parti).
import { ModuleError, type ModuleContext } from '@opsflux/sdk';

export async function uninstall(ctx: ModuleContext, options: { keepData: boolean }): Promise<void> {
  if (options.keepData) return;
  const reserved = await ctx.sudo().records.list('inv_reservation', { filter: { state: 'active' }, limit: 1 });
  if (reserved.length) throw new ModuleError('stock_reserved', ctx.t('stockReserved'), 409);
}
