// Registre des entités : définitions du code (cœur, modules) + métadonnées personnalisées de chaque tenant, en cache.
import { sql } from 'kysely';
import type { EntityDefinition, EntityExtension, FieldDefinition, Label } from '@opsflux/sdk';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import { buildModels, type EntityModel, type EntitySource, type FieldAddition } from './model.js';

export interface Catalog {
  get(name: string): EntityModel | undefined;
  all(): EntityModel[];
}

interface MetaEntityRow {
  id: string;
  name: string;
  table_name: string;
  definition: { label?: Label; display?: string };
}
interface MetaFieldRow {
  id: string;
  entity: string;
  name: string;
  column_name: string;
  definition: FieldDefinition;
}

export const META_CHANNEL = 'opsflux_meta';

export class EntityRegistry {
  private readonly definitions = new Map<string, EntityDefinition>();
  private readonly extensions: EntityExtension[] = [];
  private globalCache?: Map<string, EntityModel>;
  private readonly tenantCache = new Map<string, Promise<Catalog>>();

  register(...definitions: EntityDefinition[]): void {
    for (const def of definitions) {
      if (this.definitions.has(def.name)) throw new Error(`entity ${def.name} is already registered`);
      this.definitions.set(def.name, def);
    }
    this.invalidate();
  }

  extend(...extensions: EntityExtension[]): void {
    this.extensions.push(...extensions);
    this.invalidate();
  }

  /** Entités déclarées par le code, communes à tous les tenants. */
  global(): Map<string, EntityModel> {
    this.globalCache ??= buildModels(this.globalSources(), this.extensionAdditions());
    return this.globalCache;
  }

  isGlobal(name: string): boolean {
    return this.definitions.has(name);
  }

  /** Catalogue d'un tenant : entités globales + entités et champs personnalisés de ce tenant. */
  catalog(db: Db, tenantId: string): Promise<Catalog> {
    let cached = this.tenantCache.get(tenantId);
    if (!cached) {
      cached = inTenant(db, { tenantId }, (trx) => this.loadCatalog(trx));
      cached.catch(() => this.tenantCache.delete(tenantId));
      this.tenantCache.set(tenantId, cached);
    }
    return cached;
  }

  /** Construit le catalogue dans une transaction de tenant déjà ouverte (sans cache : métadonnées en cours d'écriture). */
  async loadCatalog(trx: Tx): Promise<Catalog> {
    const entities = await sql<MetaEntityRow>`
      SELECT id, name, table_name, definition FROM meta_entity WHERE archived_at IS NULL ORDER BY created_at`.execute(trx);
    const fields = await sql<MetaFieldRow>`
      SELECT id, entity, name, column_name, definition FROM meta_field WHERE archived_at IS NULL ORDER BY entity, position`.execute(trx);
    if (entities.rows.length === 0 && fields.rows.length === 0) return toCatalog(this.global());
    const customSources: EntitySource[] = entities.rows.map((row) => ({
      def: { name: row.name, table: row.table_name, label: row.definition.label, display: row.definition.display, fields: {} },
      custom: true,
      metaId: row.id,
    }));
    const customAdditions: FieldAddition[] = fields.rows.map((row) => ({
      entity: row.entity, name: row.name, def: row.definition, column: row.column_name, custom: true, metaId: row.id,
    }));
    const models = buildModels(
      [...this.globalSources(), ...customSources],
      [...this.extensionAdditions(), ...customAdditions],
    );
    return toCatalog(models);
  }

  invalidate(tenantId?: string): void {
    if (tenantId) {
      this.tenantCache.delete(tenantId);
      return;
    }
    this.globalCache = undefined;
    this.tenantCache.clear();
  }

  private globalSources(): EntitySource[] {
    return [...this.definitions.values()].map((def) => ({ def, custom: false }));
  }

  private extensionAdditions(): FieldAddition[] {
    return this.extensions.flatMap((ext) =>
      Object.entries(ext.fields).map(([name, def]) => ({ entity: ext.entity, name, def: { ...def }, custom: false })),
    );
  }
}

function toCatalog(models: Map<string, EntityModel>): Catalog {
  const list = [...models.values()];
  return { get: (name) => models.get(name), all: () => list };
}
