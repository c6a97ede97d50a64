// Paniers lus dans les données du tenant, avec les droits de l'appelant (un utilisateur, ou le système pour
// l'apprentissage) : lignes groupées par panier, et client de chaque panier. Lectures paginées et bornées.
import type { Settings } from '../../../config/settings.js';
import type { Tx } from '../../../db/transaction.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';

export interface BasketConfig {
  basket: string;
  line: string;
  basketField: string;
  itemField: string;
  customerField?: string;
}

/** Une configuration utilisable dans ce catalogue : entités et champs présents. */
export interface ResolvedBaskets {
  config: BasketConfig;
  basket: EntityModel;
  line: EntityModel;
  /** entité des articles (cible du champ article) */
  itemEntity: string;
  /** entité des clients (cible du champ client du panier) */
  customerEntity?: string;
}

const PAGE = 1000;
/** valeurs d'une liste `in` par requête (borne du langage de filtres) */
const IN_CHUNK = 500;
const target = (model: EntityModel, field: string) => {
  const f = model.byName.get(field);
  return f?.type === 'ref' ? String(f.def.options?.to) : undefined;
};

/** Portée du modèle appris pour une configuration. */
export const basketScope = (config: BasketConfig) => `${config.line}:${config.itemField}`;

export async function basketConfigs(settings: Settings, tenantId: string, catalog: Catalog): Promise<ResolvedBaskets[]> {
  const configs = await settings.value<BasketConfig[]>('ai.local.recommend.baskets', { tenantId });
  return configs.flatMap((config) => {
    const basket = catalog.get(config.basket);
    const line = catalog.get(config.line);
    if (!basket || !line || target(line, config.basketField) === undefined) return [];
    const itemEntity = target(line, config.itemField);
    if (!itemEntity) return [];
    const customerEntity = config.customerField ? target(basket, config.customerField) : undefined;
    return [{ config, basket, line, itemEntity, customerEntity }];
  });
}

export interface ReadScope {
  records: RecordService;
  trx: Tx;
  ctx: RequestContext;
  catalog: Catalog;
}

/** Toutes les lignes d'une liste filtrée (pages successives), `max` au plus. */
async function* rows(scope: ReadScope, model: EntityModel, fields: string[], filter: unknown, max: number) {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await scope.records.list(scope.trx, scope.ctx, scope.catalog, model, { filter, fields, limit: Math.min(PAGE, max - seen), cursor });
    for (const row of page.data) yield row;
    seen += page.data.length;
    cursor = page.meta.nextCursor ?? undefined;
  } while (cursor && seen < max);
}

/** Articles de chaque panier (paniers filtrés au besoin). */
export async function basketItems(scope: ReadScope, resolved: ResolvedBaskets, max: number, basketIds?: string[]): Promise<Map<string, Set<string>>> {
  const { basketField, itemField } = resolved.config;
  const baskets = new Map<string, Set<string>>();
  for (const filter of filters(basketField, basketIds)) {
    for await (const row of rows(scope, resolved.line, [basketField, itemField], filter, max)) {
      const basket = row[basketField];
      const item = row[itemField];
      if (typeof basket !== 'string' || typeof item !== 'string') continue;
      let items = baskets.get(basket);
      if (!items) baskets.set(basket, (items = new Set()));
      items.add(item);
    }
  }
  return baskets;
}

/** Client de chaque panier (filtré sur des clients au besoin). */
export async function basketOwners(scope: ReadScope, resolved: ResolvedBaskets, max: number, customers?: string[]): Promise<Map<string, string>> {
  const field = resolved.config.customerField;
  const owners = new Map<string, string>();
  if (!field) return owners;
  for (const filter of filters(field, customers)) {
    for await (const row of rows(scope, resolved.basket, ['id', field], filter, max)) {
      if (typeof row[field] === 'string') owners.set(String(row.id), row[field]);
    }
  }
  return owners;
}

/** Filtres `in` par lots (une liste `in` est bornée) ; aucun filtre sans liste, aucun lot pour une liste vide. */
function filters(field: string, ids: string[] | undefined): (Record<string, unknown> | undefined)[] {
  if (!ids) return [undefined];
  const chunks = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push({ [field]: { in: ids.slice(i, i + IN_CHUNK) } });
  return chunks;
}
