// Désinstallation des ventes dans un tenant : sans données gardées, la séquence des commandes créée à l'installation
// part aussi (les commandes qu'elle numérotait sont effacées).
import type { ModuleContext } from '@opsflux/sdk';

export async function uninstall(ctx: ModuleContext, options: { keepData: boolean }): Promise<void> {
  if (options.keepData) return;
  for (const sequence of await ctx.sudo().records.list('sequence', { filter: { eid: 'sales-order' }, limit: 1 })) {
    await ctx.sudo().records.remove('sequence', sequence.id);
  }
}
