// Travail dans un tenant tel que la plateforme le fournit aux services : catalogue (permissions et données de
// référence créées à sa première apparition), catalogue vu par l'appelant, transaction de requête (profils d'accès
// rafraîchis, audit et outbox réveillés après une écriture).
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { executeAtCommit, inTenant, platformStatement, type Tx } from '../db/transaction.js';
import type { AuditChainer } from '../audit/chainer.js';
import type { RequestContext } from '../engine/context.js';
import type { EntityRegistry, Catalog } from '../engine/registry.js';
import type { RequestTxOptions } from '../engine/tenant-work.js';
import type { OutboxDispatcher } from '../events/outbox.js';
import { syncPermissions } from '../iam/access/permissions.js';
import { ACCESS_CHANNEL, type AccessProfiles } from '../iam/access/store.js';
import { catalogView } from '../iam/access/view.js';
import { ACCESS_ENTITIES } from '../iam/entities.js';
import { seedReferenceData } from '../models/seed.js';

export interface TenantScopeDeps {
  db: Db;
  registry: EntityRegistry;
  access: AccessProfiles;
  dispatcher: OutboxDispatcher;
  chainer: AuditChainer;
}

export class TenantScope {
  private readonly permissionsSynced = new WeakMap<Catalog, Promise<void>>();

  constructor(private readonly deps: TenantScopeDeps) {}

  /**
   * Catalogue complet du tenant ; à sa première apparition, ses permissions `entité:action` sont créées et ses données
   * de référence semées.
   */
  readonly catalog = async (tenantId: string): Promise<Catalog> => {
    const { db, registry } = this.deps;
    const catalog = await registry.catalog(db, tenantId);
    let synced = this.permissionsSynced.get(catalog);
    if (!synced) {
      synced = syncPermissions(db, tenantId, catalog).then(() => seedReferenceData(db, tenantId, catalog));
      synced.catch(() => this.permissionsSynced.delete(catalog));
      this.permissionsSynced.set(catalog, synced);
    }
    await synced;
    return catalog;
  };

  /** Catalogue vu par l'appelant : sans les champs que ses règles lui masquent. */
  readonly catalogFor = async (ctx: RequestContext): Promise<Catalog> =>
    catalogView(await this.catalog(ctx.tenantId), ctx.system ? undefined : ctx.access);

  /** Droits d'un tenant changés hors du service générique (MFA, suspension) : tous les nœuds recalculent les profils. */
  readonly accessChanged = async (tenantId: string): Promise<void> => {
    this.deps.access.invalidate(tenantId);
    await platformStatement(this.deps.db, sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${tenantId})`);
  };

  /** Écriture d'une entité qui porte des droits : tous les nœuds recalculeront les profils du tenant. */
  readonly noteWrite = async (trx: Tx, ctx: RequestContext, entity: string): Promise<void> => {
    if (!ACCESS_ENTITIES.has(entity)) return;
    ctx.accessChanged = true;
    await executeAtCommit(trx, sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${ctx.tenantId})`);
  };

  /** Transaction de requête du tenant ; après un commit d'écriture, l'outbox est distribuée. */
  readonly tenantTx = async <T>(ctx: RequestContext, work: (trx: Tx) => Promise<T>, options: RequestTxOptions = {}): Promise<T> => {
    const result = await inTenant(this.deps.db, { tenantId: ctx.tenantId, userId: ctx.userId }, work, options);
    if (ctx.accessChanged) {
      ctx.accessChanged = false;
      this.deps.access.invalidate(ctx.tenantId);
    }
    if (options.write) this.afterCommit();
    return result;
  };

  /** Après un commit d'écriture : audit à chaîner, événements à distribuer. */
  readonly afterCommit = (): void => {
    this.deps.chainer.kick();
    this.deps.dispatcher.kick();
  };
}
