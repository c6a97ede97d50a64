// Valeurs connues des champs d'une entité et de ses enregistrements liés (« Lyon » est une ville d'adresse, « Retail »
// une catégorie), lues AVEC LES DROITS de l'utilisateur par des agrégats groupés, gardées peu de temps en mémoire.
// Seuls les champs à peu de valeurs distinctes servent (pas les noms ni les identifiants).
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { TenantTx } from '../../../engine/tenant-work.js';
import type { Tx } from '../../../db/transaction.js';
import type { ValueTerm } from './types.js';

/** Valeurs distinctes au plus pour qu'un champ soit indexé. */
const MAX_DISTINCT = 60;
/** Entrées gardées au plus en mémoire (utilisateur × entité). */
const MAX_ENTRIES = 500;

interface Source {
  model: EntityModel;
  /** chemin sur `model` */
  path: string;
  related?: { entity: string; via: string };
  /** chemin rapporté dans la condition : sur l'entité visée, ou sur l'entité liée */
  label: string;
}

export class ValueIndex {
  private readonly cache = new Map<string, { at: number; terms: ValueTerm[] }>();

  constructor(private readonly records: RecordService, private readonly tenantTx: TenantTx) {}

  async terms(ctx: RequestContext, catalog: Catalog, entity: string, ttlSeconds: number): Promise<ValueTerm[]> {
    const key = `${ctx.tenantId}:${ctx.userId ?? '-'}:${entity}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < ttlSeconds * 1000) return hit.terms;
    const terms = await this.tenantTx(ctx, (trx) => this.read(trx, ctx, catalog, entity));
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    if (ttlSeconds > 0) this.cache.set(key, { at: Date.now(), terms });
    return terms;
  }

  private sources(ctx: RequestContext, catalog: Catalog, entity: string): Source[] {
    const model = catalog.get(entity);
    if (!model) return [];
    const readable = (name: string) => this.records.allowed(ctx, catalog, name, 'read');
    const own = (m: EntityModel, prefix: string, related?: Source['related']): Source[] => m.fields.flatMap((f): Source[] => {
      if (f.def.internal || f.def.writeOnly || f.def.unique) return [];
      if (f.type === 'string' && (f.def.maxLength ?? 100) <= 200) return [{ model: m, path: `${prefix}${f.name}`, related, label: `${prefix}${f.name}` }];
      if (f.type !== 'ref' || prefix) return [];
      const target = catalog.get(f.def.options?.to ?? '');
      if (!target || !readable(target.name)) return [];
      return target.fields.filter((tf) => tf.type === 'string' && (tf.name === target.display || tf.def.search) && !tf.def.internal)
        .map((tf) => ({ model: m, path: `${f.name}.${tf.name}`, related, label: `${f.name}.${tf.name}` }));
    });
    const ancestors = new Set(model.chain.map((l) => l.entity));
    const sources = own(model, '');
    for (const other of catalog.all()) {
      if (ancestors.has(other.name) || !readable(other.name)) continue;
      const via = other.fields.find((f) => f.type === 'ref' && f.def.required && ancestors.has(f.def.options?.to ?? ''));
      if (via) sources.push(...own(other, '', { entity: other.name, via: via.name }).filter((s) => !s.path.startsWith(`${via.name}.`)));
    }
    return sources;
  }

  private async read(trx: Tx, ctx: RequestContext, catalog: Catalog, entity: string): Promise<ValueTerm[]> {
    const terms: ValueTerm[] = [];
    const seen = new Set<string>();
    for (const source of this.sources(ctx, catalog, entity)) {
      const groups = await this.records.aggregate(trx, ctx, catalog, source.model, {
        measures: [{ fn: 'count' }], groupBy: [source.path], limit: MAX_DISTINCT + 1,
      }).catch(() => []);
      const total = groups.reduce((sum, g) => sum + Number(g.values.count ?? 0), 0);
      // trop de valeurs, ou presque toutes uniques (noms, numéros) : pas un vocabulaire
      if (groups.length > MAX_DISTINCT || (groups.length > 10 && groups.length > total * 0.6)) continue;
      for (const group of groups) {
        const value = group.keys[source.path];
        if (typeof value !== 'string' || !value.trim() || value.length > 100) continue;
        const dedupe = value.toLowerCase();
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        terms.push({ path: source.path, value, label: source.label, ...(source.related ? { related: source.related } : {}) });
      }
    }
    await this.tags(trx, ctx, catalog, entity, terms, seen);
    return terms;
  }

  /** Étiquettes : les noms de l'entité `tag`, si l'entité visée a un champ `tags`. */
  private async tags(trx: Tx, ctx: RequestContext, catalog: Catalog, entity: string, terms: ValueTerm[], seen: Set<string>): Promise<void> {
    const tagsField = catalog.get(entity)?.fields.find((f) => f.type === 'tags');
    const tagModel = catalog.get('tag');
    if (!tagsField || !tagModel || !this.records.allowed(ctx, catalog, 'tag', 'read')) return;
    const { data } = await this.records.list(trx, ctx, catalog, tagModel, { fields: ['name'], limit: MAX_DISTINCT });
    for (const row of data) {
      const value = String(row.name ?? '');
      if (!value || seen.has(value.toLowerCase())) continue;
      seen.add(value.toLowerCase());
      terms.push({ path: tagsField.name, value, label: tagsField.name });
    }
  }
}
