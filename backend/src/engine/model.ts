// Modèle résolu d'une entité : tables de la chaîne d'héritage, champs (hérités, étendus, personnalisés), colonnes.
import type { EntityDefinition, EntityScope, FieldDefinition, FieldType, Label } from '@opsflux/sdk';
import { toSnake } from './naming.js';

export interface FieldModel {
  name: string;
  /** colonne physique ; money : préfixe de `<col>_amount` / `<col>_currency` */
  column: string;
  type: FieldType;
  def: FieldDefinition;
  /** alias de la table qui porte la colonne dans les requêtes de l'entité (`t0` = table feuille) */
  alias: string;
  /** entité dont la table porte la colonne */
  owner: string;
  custom: boolean;
  /** identifiant stable (métadonnées personnalisées) */
  metaId?: string;
}

export interface TableLink {
  entity: string;
  table: string;
  alias: string;
}

export interface EntityModel {
  name: string;
  module: string;
  label: Label;
  scope: EntityScope;
  abstract: boolean;
  custom: boolean;
  metaId?: string;
  /** table feuille puis tables parentes (class-table inheritance) */
  chain: TableLink[];
  table: string;
  parent?: string;
  fields: FieldModel[];
  byName: Map<string, FieldModel>;
  display?: string;
  /** arbre : `parent` et `path` tenus par la base (migration 010) */
  tree: boolean;
  /** enregistrements personnels (voir EntityDefinition.owner) */
  owner?: { field: string; shared?: string; sharedWith?: string };
  /** lien vers un enregistrement de n'importe quelle entité (voir EntityDefinition.attachedTo) */
  attachedTo?: { entity: string; recordId: string };
  /** index déclarés sur plusieurs champs de cette entité */
  indexes: { fields: string[]; unique?: boolean }[];
  searchFields: FieldModel[];
  /** vue restreinte d'un appelant (champs masqués retirés) : le modèle complet dont elle dérive */
  full?: EntityModel;
}

/** Champs ajoutés à une entité par une extension de module ou par un administrateur. */
export interface FieldAddition {
  entity: string;
  name: string;
  def: FieldDefinition;
  column?: string;
  custom: boolean;
  metaId?: string;
}

export interface EntitySource {
  def: EntityDefinition;
  custom: boolean;
  metaId?: string;
}

const SEARCHABLE: ReadonlySet<FieldType> = new Set(['string', 'email', 'phone', 'url']);

/** Construit les modèles de toutes les entités (parents avant enfants) ; lève une erreur sur cycle ou parent absent. */
export function buildModels(sources: EntitySource[], additions: FieldAddition[]): Map<string, EntityModel> {
  const byName = new Map(sources.map((s) => [s.def.name, s]));
  const models = new Map<string, EntityModel>();
  const building = new Set<string>();

  const ownFields = (source: EntitySource, alias: string): FieldModel[] => {
    const declared = Object.entries(withScopeFields(withTreeFields(source.def), source.def)).map(([name, def]) => ({
      name, column: toSnake(name), type: def.type, def, alias, owner: source.def.name, custom: source.custom,
      metaId: undefined as string | undefined,
    }));
    const added = additions
      .filter((a) => a.entity === source.def.name)
      .map((a) => ({
        name: a.name, column: a.column ?? toSnake(a.name), type: a.def.type, def: a.def, alias,
        owner: source.def.name, custom: a.custom, metaId: a.metaId,
      }));
    return [...declared, ...added];
  };

  const build = (name: string): EntityModel => {
    const done = models.get(name);
    if (done) return done;
    const source = byName.get(name);
    if (!source) throw new Error(`unknown entity ${name}`);
    if (building.has(name)) throw new Error(`inheritance cycle through ${name}`);
    building.add(name);
    const parent = source.def.extends ? build(source.def.extends) : undefined;
    const table = source.def.table ?? name;
    // la feuille est t0 ; les alias des parents sont décalés d'un cran
    const chain: TableLink[] = [
      { entity: name, table, alias: 't0' },
      ...(parent?.chain ?? []).map((link, i) => ({ ...link, alias: `t${i + 1}` })),
    ];
    const inherited = (parent?.fields ?? []).map((f) => ({
      ...f,
      alias: chain.find((l) => l.entity === f.owner)!.alias,
    }));
    const fields = [...inherited, ...ownFields(source, 't0')];
    const fieldMap = new Map(fields.map((f) => [f.name, f]));
    const explicit = fields.filter((f) => f.def.search);
    const display = source.def.display ?? parent?.display ?? fields.find((f) => f.type === 'string' && !f.def.internal)?.name;
    const displayField = display ? fieldMap.get(display) : undefined;
    const searchFields = explicit.length > 0
      ? explicit
      : displayField && SEARCHABLE.has(displayField.type) ? [displayField] : [];
    const attachedTo = source.def.attachedTo ?? parent?.attachedTo;
    for (const field of attachedTo ? [attachedTo.entity, attachedTo.recordId] : []) {
      if (fieldMap.get(field)?.type !== 'string') throw new Error(`${name}.attachedTo: ${field} is not a string field of the entity`);
    }
    const model: EntityModel = {
      name,
      module: source.def.module ?? (source.custom ? 'custom' : 'core'),
      label: source.def.label ?? { en: name, fr: name },
      scope: source.def.scope ?? parent?.scope ?? 'tenant',
      abstract: source.def.abstract ?? false,
      custom: source.custom,
      metaId: source.metaId,
      chain,
      table,
      parent: parent?.name,
      fields,
      byName: fieldMap,
      display,
      tree: source.def.tree ?? false,
      indexes: source.def.indexes ?? [],
      owner: source.def.owner ?? parent?.owner,
      attachedTo,
      searchFields,
    };
    building.delete(name);
    models.set(name, model);
    return model;
  };

  for (const source of sources) build(source.def.name);
  return models;
}

/** Champs d'une entité arborescente : `parent` (sauf s'il est déclaré) et `path`, ajoutés à ceux déclarés. */
function withTreeFields(def: EntityDefinition): Record<string, FieldDefinition> {
  if (!def.tree) return def.fields;
  return {
    parent: { type: 'ref', options: { to: def.name }, label: { en: 'Parent', fr: 'Parent' } },
    ...def.fields,
    path: { type: 'string', readOnly: true, index: true, label: { en: 'Path in the tree', fr: "Chemin dans l'arbre" } },
  };
}

/**
 * Entité rattachée à une société (ou à un site) : `companyId` (et `siteId`) sont des références portées par la table
 * racine de la chaîne d'héritage ; la société est par défaut la société courante de l'utilisateur.
 */
function withScopeFields(fields: Record<string, FieldDefinition>, def: EntityDefinition): Record<string, FieldDefinition> {
  if (def.extends || (def.scope !== 'company' && def.scope !== 'site')) return fields;
  return {
    companyId: { type: 'ref', options: { to: 'company' }, label: { en: 'Company', fr: 'Société' } },
    ...(def.scope === 'site' ? { siteId: { type: 'ref', options: { to: 'site' }, label: { en: 'Site', fr: 'Site' } } } : {}),
    ...fields,
  };
}

/** Champs visibles par l'API (les champs internes, comme une empreinte de mot de passe, n'en sortent jamais). */
/** Champs renvoyés par l'API (ni internes, ni en écriture seule, ni `children`). */
export function exposedFields(model: EntityModel): FieldModel[] {
  return model.fields.filter((f) => !f.def.internal && !f.def.writeOnly && f.type !== 'children');
}
