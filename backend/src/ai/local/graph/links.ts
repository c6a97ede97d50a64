// Liens du catalogue vu par l'utilisateur : références sortantes d'une entité (ref, refs) et références entrantes
// (champs des autres entités qui la visent, elle ou un de ses parents). Un champ `children` est l'envers de la
// référence `via` de l'entité enfant : il est couvert par les références entrantes. Les champs de rattachement
// (société, site) relient tout à tout : ils ne font pas partie du graphe.
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';

const SCOPE_FIELDS = new Set(['companyId', 'siteId']);

export interface IncomingLink {
  source: EntityModel;
  field: FieldModel;
}

const isLink = (field: FieldModel) =>
  (field.type === 'ref' || field.type === 'refs') && typeof field.def.options?.to === 'string' && !SCOPE_FIELDS.has(field.name)
  && !field.def.internal && !field.def.writeOnly;

/** Références sortantes d'une entité (les champs masqués à l'utilisateur sont déjà absents de son catalogue). */
export function outgoingFields(model: EntityModel): FieldModel[] {
  return model.fields.filter(isLink);
}

/** L'entité et ses parents (une référence à `party` vise aussi un client). */
export function lineage(catalog: Catalog, model: EntityModel): Set<string> {
  const names = new Set<string>();
  for (let current: EntityModel | undefined = model; current; current = current.parent ? catalog.get(current.parent) : undefined) names.add(current.name);
  return names;
}

/** Références entrantes : entités concrètes lisibles dont un champ vise l'entité ou un de ses parents. */
export function incomingLinks(catalog: Catalog, model: EntityModel, readable: (model: EntityModel) => boolean): IncomingLink[] {
  const targets = lineage(catalog, model);
  const links: IncomingLink[] = [];
  for (const source of [...catalog.all()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (source.abstract || !readable(source)) continue;
    for (const field of outgoingFields(source)) if (targets.has(field.def.options!.to!)) links.push({ source, field });
  }
  return links;
}

/** Entités où chercher un enregistrement visé par une référence : la cible, ou ses descendantes concrètes si abstraite. */
export function concreteTargets(catalog: Catalog, name: string, readable: (model: EntityModel) => boolean): EntityModel[] {
  const target = catalog.get(name);
  if (!target) return [];
  if (!target.abstract) return readable(target) ? [target] : [];
  return catalog.all()
    .filter((m) => !m.abstract && m.name !== name && readable(m) && lineage(catalog, m).has(name))
    .sort((a, b) => b.chain.length - a.chain.length || a.name.localeCompare(b.name));
}

/** Entités lisibles dont les enregistrements sont joints à un enregistrement quelconque (`attachedTo`). */
export function attachedLinks(catalog: Catalog, readable: (model: EntityModel) => boolean): EntityModel[] {
  return catalog.all().filter((m) => m.attachedTo && !m.abstract && readable(m)).sort((a, b) => a.name.localeCompare(b.name));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Enregistrement auquel une ligne d'une entité `attachedTo` est jointe (entité, identifiant), s'il est bien formé. */
export function attachedTarget(model: EntityModel, row: Record<string, unknown>): { target: string; to: string } | undefined {
  if (!model.attachedTo) return undefined;
  const target = row[model.attachedTo.entity];
  const to = String(row[model.attachedTo.recordId] ?? '').toLowerCase();
  return typeof target === 'string' && UUID.test(to) ? { target, to } : undefined;
}

/** Identifiants portés par un champ de lien dans une ligne. */
export function linkedIds(field: FieldModel, row: Record<string, unknown>): string[] {
  const value = row[field.name];
  if (typeof value === 'string') return [value.toLowerCase()];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  return [];
}
