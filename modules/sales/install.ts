// Installation des ventes dans un tenant : séquence des commandes (si absente, ou rétablie après une désinstallation
// sans données) et taxes courantes ; rejouable (par eid).
import type { ModuleContext } from '@opsflux/sdk';

const TAXES: [string, string][] = [['vat20', '20'], ['vat10', '10'], ['vat5_5', '5.5'], ['exempt', '0']];

export async function install(ctx: ModuleContext): Promise<void> {
  const existing = await ctx.records.list('sequence', { filter: { code: 'sales.order' }, limit: 1 });
  if (!existing.length) {
    await ctx.records.upsert('sequence', 'sales-order', { code: 'sales.order', name: ctx.t('orderSequence'), prefix: 'SO-{YYYY}-', padding: 5, reset: 'yearly' });
  }
  for (const [key, rate] of TAXES) await ctx.records.upsert('sales_tax', `sales-tax-${key}`, { name: ctx.t(`tax.${key}`), rate });
}
