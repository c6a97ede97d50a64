// Rapprochement du fournisseur lu avec un fournisseur existant, COMME l'utilisateur (ses droits, ses règles) : par
// numéro de TVA, par IBAN si l'entité en porte un, puis par nom (recherche plein texte, mots en commun).
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';

export interface SupplierMatch { id: string; name: string; confidence: number; by: 'vatNumber' | 'iban' | 'name' }

export interface SupplierMatchDeps { records: RecordService; tenantTx: TenantTx; catalogFor: CatalogFor }

const words = (s: string) => new Set(s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z0-9]+/).filter((w) => w.length > 1));

/** Part des mots du nom lu présents dans le nom connu (0 à 1). */
export function nameSimilarity(read: string, known: string): number {
  const a = words(read);
  const b = words(known);
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / Math.max(a.size, b.size);
}

export async function matchSupplier(
  deps: SupplierMatchDeps, ctx: RequestContext, read: { name?: string | null; vatNumber?: string | null; iban?: string | null },
): Promise<SupplierMatch | null> {
  const catalog = await deps.catalogFor(ctx);
  const model = catalog.get('supplier');
  if (!model) return null;
  try {
    deps.records.entity(ctx, catalog, 'supplier', 'read');
  } catch {
    return null;
  }
  return deps.tenantTx(ctx, async (trx) => {
    const list = (filter: unknown, q?: string) => deps.records.list(trx, ctx, catalog, model, { filter, q, limit: 5, fields: ['id', 'name'] })
      .then((r) => r.data);
    const exact: [SupplierMatch['by'], string, string | null | undefined][] = [['vatNumber', 'taxId', read.vatNumber], ['iban', 'iban', read.iban]];
    for (const [by, name, value] of exact) {
      if (!value || !model.byName.has(name)) continue;
      const [row] = await list({ [name]: value });
      if (row) return { id: String(row.id), name: String(row.name), confidence: 0.98, by };
    }
    if (!read.name) return null;
    // recherche par les deux mots les plus longs, l'un après l'autre (la recherche plein texte exige tous ses mots)
    const longest = [...words(read.name)].sort((a, b) => b.length - a.length).slice(0, 2);
    const candidates = (await Promise.all(longest.map((w) => list(undefined, w)))).flat();
    const best = candidates.map((row) => ({ row, score: nameSimilarity(read.name!, String(row.name)) })).sort((a, b) => b.score - a.score)[0];
    if (!best || best.score < 0.5) return null;
    return { id: String(best.row.id), name: String(best.row.name), confidence: Math.round(best.score * 85) / 100, by: 'name' };
  });
}
