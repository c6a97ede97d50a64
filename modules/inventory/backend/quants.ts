// Quantités par article et par emplacement : lues et ajustées avec contrôle de version (pas de mise à jour perdue).
import { Dec, type ModuleContext, type RecordData } from '@opsflux/sdk';

export async function quantOf(ctx: ModuleContext, product: string, location: string): Promise<RecordData | undefined> {
  return (await ctx.sudo().records.list('inv_quant', { filter: { product, location }, limit: 1 }))[0];
}

/** Ajoute `delta` (décimal signé) à la quantité en stock ou réservée ; crée la ligne au besoin. */
export async function adjustQuant(ctx: ModuleContext, product: string, location: string, field: 'quantity' | 'reserved', delta: string): Promise<RecordData> {
  const quant = await quantOf(ctx, product, location);
  if (!quant) return ctx.sudo().records.create('inv_quant', { product, location, [field]: new Dec(delta).toString() });
  const next = new Dec(quant[field] as string).plus(delta).toString();
  return ctx.sudo().records.update('inv_quant', quant.id, { [field]: next }, { expectedVersion: quant.version });
}

export const available = (quant: RecordData | undefined) =>
  quant ? new Dec(quant.quantity as string).minus(quant.reserved as string) : new Dec(0);
