// Travail d'un service dans un tenant, tel que la racine de composition le lui fournit : catalogue du tenant
// (complet, ou vu par l'appelant) et transaction de requête (profils d'accès rafraîchis, outbox distribuée après une
// écriture). Les services déclarent ces dépendances sans connaître la plateforme.
import type { TenantTxOptions, Tx } from '../db/transaction.js';
import type { RequestContext } from './context.js';
import type { Catalog } from './registry.js';

/** Catalogue complet d'un tenant. */
export type CatalogOf = (tenantId: string) => Promise<Catalog>;

/** Catalogue vu par l'appelant : sans les champs que ses règles lui masquent. */
export type CatalogFor = (ctx: RequestContext) => Promise<Catalog>;

export interface RequestTxOptions extends TenantTxOptions {
  /** transaction d'écriture : audit à chaîner et événements à distribuer après le commit */
  write?: boolean;
}

/** Transaction de requête du tenant de l'appelant. */
export type TenantTx = <T>(ctx: RequestContext, work: (trx: Tx) => Promise<T>, options?: RequestTxOptions) => Promise<T>;
