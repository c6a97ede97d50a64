// Valeurs numériques d'un champ : lecture d'une valeur dans un enregistrement (nombre, décimal en texte, montant
// `{amount, currency}`, chemin pointé) et des valeurs récentes d'une entité pour en apprendre la référence.
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { Tx } from '../../../db/transaction.js';

/** Valeurs lues au plus pour apprendre une référence (les plus récentes d'abord, par pages de 1 000). */
export const LEARN_LIMIT = 10_000;

/** Nombre porté par ce chemin de l'enregistrement, sinon undefined. */
export function numericAt(row: Record<string, unknown>, path: string): number | undefined {
  let value: unknown = row;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (value && typeof value === 'object' && 'amount' in value) value = (value as { amount: unknown }).amount;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Le champ (racine du chemin) est-il dans ce modèle — c'est-à-dire visible de qui a ce catalogue ? */
export const fieldVisible = (model: EntityModel, path: string): boolean => model.byName.has(path.split('.')[0]!);

/** Valeurs du champ sur les enregistrements vivants (au plus LEARN_LIMIT). */
export async function fieldValues(
  records: RecordService, trx: Tx, ctx: RequestContext, catalog: Catalog, model: EntityModel, path: string,
): Promise<number[]> {
  const values: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await records.list(trx, ctx, catalog, model, { fields: ['id', path.split('.')[0]!], limit: 1000, cursor });
    for (const row of page.data) {
      const n = numericAt(row, path);
      if (n !== undefined) values.push(n);
    }
    cursor = page.meta.nextCursor ?? undefined;
  } while (cursor && values.length < LEARN_LIMIT);
  return values;
}
