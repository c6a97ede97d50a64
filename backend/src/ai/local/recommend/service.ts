// Recommandations locales : articles achetés ensemble et prochains articles d'un client (co-occurrences apprises par
// tenant, table ai_local_model), fiches semblables (TF-IDF). Tout résultat rendu à un utilisateur est relu avec ses
// droits : il ne voit que des fiches qu'il peut lire. L'apprentissage lit les paniers comme le système du tenant.
import type { Settings } from '../../../config/settings.js';
import { systemContext, type RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import { ProblemError } from '../../../errors/problem.js';
import { message } from '../../../text/messages.js';
import { readModel, writeModel } from '../model-store.js';
import { basketConfigs, basketItems, basketOwners, basketScope, type BasketConfig, type ResolvedBaskets } from './baskets.js';
import { RECOMMEND_BASKETS_DEFAULT } from './settings.js';
import { recommend, trainCooccurrence, type CooccurrenceModel, type ItemScore } from './cooccurrence.js';
import { similarRecords, type SimilarRecord } from './similar.js';

export const COOCCURRENCE_KIND = 'recommend.cooccurrence';
/** paniers d'un client lus au plus pour ses prochains articles */
const CUSTOMER_BASKETS = 500;

export interface RecommendDeps {
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
}

export interface Recommendation extends ItemScore {
  id: string;
  entity: string;
  display: string;
  /** `together` (avec les articles donnés) ou `popular` (client sans historique) */
  reason: 'together' | 'popular';
}

export interface TrainedScope {
  scope: string;
  baskets: number;
  items: number;
}

export class RecommendService {
  /** dernières configurations de paniers lues par tenant (l'offre des outils est synchrone) */
  private readonly seen = new Map<string, BasketConfig[]>();

  constructor(private readonly deps: RecommendDeps) {}

  /** L'utilisateur peut-il lire les paniers et leurs lignes d'au moins une configuration (offre de l'outil) ? */
  offersProducts(ctx: RequestContext, catalog: Catalog): boolean {
    const configs = this.seen.get(ctx.tenantId) ?? (RECOMMEND_BASKETS_DEFAULT as BasketConfig[]);
    return configs.some((c) => this.canRead(ctx, catalog, [c.basket, c.line]));
  }

  private canRead(ctx: RequestContext, catalog: Catalog, entities: string[]): boolean {
    return entities.every((name) => {
      try {
        this.deps.records.entity(ctx, catalog, name, 'read');
        return true;
      } catch {
        return false;
      }
    });
  }

  /** Apprend les co-occurrences de chaque configuration de paniers active du tenant (comme le système). */
  async train(tenantId: string): Promise<TrainedScope[]> {
    const ctx = systemContext(tenantId, 'ai-local-recommend-train');
    const catalog = await this.deps.catalog(tenantId);
    const maxLines = await this.deps.settings.value<number>('ai.local.recommend.maxLines', { tenantId });
    const resolved = await basketConfigs(this.deps.settings, tenantId, catalog);
    return this.deps.tenantTx(ctx, async (trx) => {
      const trained: TrainedScope[] = [];
      for (const r of resolved) {
        const baskets = await basketItems({ records: this.deps.records, trx, ctx, catalog }, r, maxLines);
        const model = trainCooccurrence(baskets.values());
        const stats = { baskets: model.baskets, items: Object.keys(model.counts).length };
        await writeModel(trx, COOCCURRENCE_KIND, basketScope(r.config), model, stats);
        trained.push({ scope: basketScope(r.config), ...stats });
      }
      return trained;
    });
  }

  /** Articles souvent achetés avec celui-ci. */
  async boughtTogether(ctx: RequestContext, entityName: string | undefined, id: string, limit: number): Promise<Recommendation[]> {
    const catalog = await this.deps.catalogFor(ctx);
    // sans entité : celle des articles de la première configuration de paniers
    const entity = entityName ?? (await this.configs(ctx, catalog))[0]?.itemEntity ?? '';
    if (!entity) throw new ProblemError(422, 'recommend_no_baskets', message(ctx.locale, 'recommend_no_baskets', { entity: 'items' }));
    const model = this.deps.records.entity(ctx, catalog, entity, 'read');
    await this.deps.tenantTx(ctx, (trx) => this.deps.records.get(trx, ctx, catalog, model, id));
    const configs = (await this.configs(ctx, catalog)).filter((r) => r.itemEntity === entity);
    if (!configs.length) throw new ProblemError(422, 'recommend_no_baskets', message(ctx.locale, 'recommend_no_baskets', { entity }));
    const scores = [];
    for (const r of configs) scores.push(...recommend(await this.model(ctx, r), [id], limit * 3).map((s) => ({ ...s, entity, reason: 'together' as const })));
    return this.readable(ctx, catalog, scores, limit);
  }

  /** Prochains articles d'un client : ceux qui vont avec ce qu'il achète, ou les plus vendus s'il n'a rien acheté. */
  async nextFor(ctx: RequestContext, customer: string, limit: number): Promise<Recommendation[]> {
    const catalog = await this.deps.catalogFor(ctx);
    const configs = (await this.configs(ctx, catalog)).filter((r) => r.customerEntity);
    if (!configs.length) throw new ProblemError(422, 'recommend_no_baskets', message(ctx.locale, 'recommend_no_baskets', { entity: 'customer' }));
    const scores = [];
    for (const r of configs) {
      const customerModel = this.deps.records.entity(ctx, catalog, r.customerEntity!, 'read');
      this.deps.records.entity(ctx, catalog, r.line.name, 'read');
      const bought = await this.deps.tenantTx(ctx, async (trx) => {
        const scope = { records: this.deps.records, trx, ctx, catalog };
        await this.deps.records.get(trx, ctx, catalog, customerModel, customer);
        const owners = await basketOwners(scope, r, CUSTOMER_BASKETS, [customer]);
        return owners.size ? basketItems(scope, r, CUSTOMER_BASKETS * 50, [...owners.keys()]) : new Map<string, Set<string>>();
      });
      const given = new Set([...bought.values()].flatMap((items) => [...items]));
      const model = await this.model(ctx, r);
      const found = given.size ? recommend(model, given, limit * 3).map((s) => ({ ...s, reason: 'together' as const })) : popular(model, limit * 3);
      scores.push(...found.map((s) => ({ ...s, entity: r.itemEntity })));
    }
    return this.readable(ctx, catalog, scores, limit);
  }

  /** Fiches semblables à celle-ci (mots, attributs, profil d'achat pour un client). */
  async similar(ctx: RequestContext, entity: string, id: string, limit: number): Promise<SimilarRecord[]> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, entity, 'read');
    const audience = { tenantId: ctx.tenantId, userId: ctx.userId };
    const [maxRecords, maxLines] = await Promise.all([
      this.deps.settings.value<number>('ai.local.similar.maxRecords', audience),
      this.deps.settings.value<number>('ai.local.recommend.maxLines', audience),
    ]);
    // profil d'achat seulement pour qui peut lire les paniers et leurs lignes
    const profiles = (await this.configs(ctx, catalog)).filter((r) => r.customerEntity === entity && this.canRead(ctx, catalog, [r.basket.name, r.line.name]));
    return this.deps.tenantTx(ctx, (trx) => similarRecords({ records: this.deps.records, trx, ctx, catalog }, { model, id, limit, maxRecords, maxLines, profiles }));
  }

  private async configs(ctx: RequestContext, catalog: Catalog): Promise<ResolvedBaskets[]> {
    const resolved = await basketConfigs(this.deps.settings, ctx.tenantId, catalog);
    this.seen.set(ctx.tenantId, resolved.map((r) => r.config));
    return resolved;
  }

  /** Modèle appris du tenant ; appris sur-le-champ s'il ne l'a jamais été (avant la première passe planifiée). */
  private async model(ctx: RequestContext, r: ResolvedBaskets): Promise<CooccurrenceModel> {
    const read = () => this.deps.tenantTx(ctx, (trx) => readModel<CooccurrenceModel>(trx, COOCCURRENCE_KIND, basketScope(r.config)));
    let stored = await read();
    if (!stored) {
      await this.train(ctx.tenantId);
      stored = await read();
    }
    return stored?.model ?? { baskets: 0, counts: {}, neighbours: {} };
  }

  /** Garde les articles que l'utilisateur peut lire, avec leur libellé, dans l'ordre des scores. */
  private async readable(ctx: RequestContext, catalog: Catalog, scores: (ItemScore & { entity: string; reason: Recommendation['reason'] })[], limit: number): Promise<Recommendation[]> {
    const result: Recommendation[] = [];
    for (const entity of new Set(scores.map((s) => s.entity))) {
      const list = scores.filter((s) => s.entity === entity);
      const model = catalog.get(entity);
      if (!model) continue;
      const display = model.display ?? 'id';
      const ids = [...new Set(list.map((s) => s.item))];
      const rows = await this.deps.tenantTx(ctx, (trx) => this.deps.records.list(trx, ctx, catalog, model, { filter: { id: { in: ids } }, fields: ['id', display], limit: ids.length || 1 }));
      const labels = new Map(rows.data.map((row) => [String(row.id), String(row[display] ?? row.id)]));
      for (const s of list) if (labels.has(s.item)) result.push({ ...s, id: s.item, display: labels.get(s.item)! });
    }
    return result.sort((a, b) => b.score - a.score).filter((s, i, all) => all.findIndex((o) => o.id === s.id) === i).slice(0, limit);
  }
}

/** Articles les plus fréquents (démarrage à froid). */
function popular(model: CooccurrenceModel, limit: number): (ItemScore & { reason: 'popular' })[] {
  return Object.entries(model.counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit)
    .map(([item, count]) => ({ item, score: Math.round((count / Math.max(1, model.baskets)) * 1000) / 1000, confidence: 0, lift: 0, reason: 'popular' as const }));
}
