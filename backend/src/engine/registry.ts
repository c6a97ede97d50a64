// Registre des entités : définitions du code (cœur, modules) + métadonnées personnalisées de chaque tenant, en cache.
import { sql } from 'kysely';
import type { EntityDefinition, EntityExtension, FieldDefinition, Label } from '@opsflux/sdk';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import { buildModels, type EntityModel, type EntitySource, type FieldAddition } from './model.js';

export interface Catalog {
  get(name: string): EntityModel | undefined;
  all(): EntityModel[];
  /** modules actifs dans le tenant (leurs entités, extensions et crochets s'appliquent) */
  readonly modules: ReadonlySet<string>;
}

const NO_MODULES: ReadonlySet<string> = new Set();

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
  private extensions: EntityExtension[] = [];
  /** modules gérés (chargés par le gestionnaire de modules) : leurs apports ne valent que là où ils sont actifs */
  private readonly managed = new Set<string>();
  /** modèles du code par ensemble de modules actifs (les tenants qui ont les mêmes modules les partagent) */
  private readonly codeModels = new Map<string, Map<string, EntityModel>>();
  private readonly tenantCache = new Map<string, Promise<Catalog>>();
  /** catalogues déjà chargés, lisibles sans attendre */
  private readonly loadedCatalogs = new Map<string, Catalog>();

  register(...definitions: EntityDefinition[]): void {
    for (const def of definitions) {
      if (this.definitions.has(def.name)) throw new Error(`entity ${def.name} is already registered`);
    }
    for (const def of definitions) this.definitions.set(def.name, def);
    this.invalidate();
  }

  extend(...extensions: EntityExtension[]): void {
    this.extensions.push(...extensions);
    this.invalidate();
  }

  /** Entités et extensions d'un module chargé ; elles ne paraissent que dans les tenants où il est actif. */
  registerModule(module: string, definitions: EntityDefinition[], extensions: EntityExtension[]): void {
    this.register(...definitions.map((def) => ({ ...def, module })));
    this.extend(...extensions.map((ext) => ({ ...ext, module })));
    this.managed.add(module);
  }

  /** Module déchargé de ce nœud : ses entités et extensions disparaissent de tous les catalogues. */
  unregisterModule(module: string): void {
    for (const [name, def] of this.definitions) if (def.module === module) this.definitions.delete(name);
    this.extensions = this.extensions.filter((ext) => ext.module !== module);
    this.managed.delete(module);
    this.invalidate();
  }

  /** Entités du cœur (sans module), communes à tous les tenants. */
  global(): Map<string, EntityModel> {
    return this.models(NO_MODULES);
  }

  /** Modèles du code avec tous les modules chargés sur ce nœud, actifs ou non dans les tenants (passes de maintenance). */
  allLoaded(): Map<string, EntityModel> {
    return this.models(this.managed);
  }

  /** Modèles du code pour un ensemble de modules actifs. */
  models(active: ReadonlySet<string>): Map<string, EntityModel> {
    const key = [...active].sort().join(',');
    let models = this.codeModels.get(key);
    if (!models) {
      const applies = this.appliesWith(active);
      models = buildModels(this.codeSources(applies), this.extensionAdditions(applies));
      this.codeModels.set(key, models);
    }
    return models;
  }

  /** Catalogue d'un tenant : entités globales + entités et champs personnalisés de ce tenant. */
  catalog(db: Db, tenantId: string): Promise<Catalog> {
    let cached = this.tenantCache.get(tenantId);
    if (!cached) {
      cached = inTenant(db, { tenantId }, (trx) => this.loadCatalog(trx));
      cached.catch(() => this.tenantCache.delete(tenantId));
      this.tenantCache.set(tenantId, cached);
      const pending = cached;
      pending.then((catalog) => {
        if (this.tenantCache.get(tenantId) === pending) this.loadedCatalogs.set(tenantId, catalog);
      }, () => undefined);
    }
    return cached;
  }

  /** Catalogue du tenant s'il est déjà chargé sur ce nœud (aucune lecture : utilisable dans une autre transaction). */
  peek(tenantId: string): Catalog | undefined {
    return this.loadedCatalogs.get(tenantId);
  }

  /**
   * Construit le catalogue dans une transaction de tenant déjà ouverte (sans cache : métadonnées en cours d'écriture) ;
   * `include` : modules à y faire paraître même s'ils ne sont pas actifs (installation, désinstallation).
   */
  async loadCatalog(trx: Tx, include: Iterable<string> = []): Promise<Catalog> {
    const installs = await sql<{ name: string }>`SELECT name FROM module_install WHERE state = 'active'`.execute(trx);
    const modules: ReadonlySet<string> = new Set([...installs.rows.map((r) => r.name), ...include]);
    const entities = await sql<MetaEntityRow>`
      SELECT id, name, table_name, definition FROM meta_entity WHERE archived_at IS NULL ORDER BY created_at`.execute(trx);
    const fields = await sql<MetaFieldRow>`
      SELECT id, entity, name, column_name, definition FROM meta_field WHERE archived_at IS NULL ORDER BY entity, position`.execute(trx);
    if (entities.rows.length === 0 && fields.rows.length === 0) return toCatalog(this.models(modules), modules);
    const applies = this.appliesWith(modules);
    const customSources: EntitySource[] = entities.rows.map((row) => ({
      def: { name: row.name, table: row.table_name, label: row.definition.label, display: row.definition.display, fields: {} },
      custom: true,
      metaId: row.id,
    }));
    const customAdditions: FieldAddition[] = fields.rows.map((row) => ({
      entity: row.entity, name: row.name, def: row.definition, column: row.column_name, custom: true, metaId: row.id,
    }));
    const models = buildModels(
      [...this.codeSources(applies), ...customSources],
      [...this.extensionAdditions(applies), ...customAdditions],
    );
    return toCatalog(models, modules);
  }

  invalidate(tenantId?: string): void {
    if (tenantId) {
      this.tenantCache.delete(tenantId);
      this.loadedCatalogs.delete(tenantId);
      return;
    }
    this.codeModels.clear();
    this.tenantCache.clear();
    this.loadedCatalogs.clear();
  }

  /** Apport du code à prendre : du cœur (ou déclaré hors gestionnaire), ou d'un module géré actif. */
  private appliesWith(active: ReadonlySet<string>): (module: string | undefined) => boolean {
    return (module) => !module || !this.managed.has(module) || active.has(module);
  }

  private codeSources(applies: (module: string | undefined) => boolean): EntitySource[] {
    return [...this.definitions.values()].filter((def) => applies(def.module)).map((def) => ({ def, custom: false }));
  }

  private extensionAdditions(applies: (module: string | undefined) => boolean): FieldAddition[] {
    return this.extensions.filter((ext) => applies(ext.module)).flatMap((ext) =>
      Object.entries(ext.fields).map(([name, def]) => ({ entity: ext.entity, name, def: { ...def }, custom: false })),
    );
  }
}

function toCatalog(models: Map<string, EntityModel>, modules: ReadonlySet<string>): Catalog {
  const list = [...models.values()];
  return { get: (name) => models.get(name), all: () => list, modules };
}
