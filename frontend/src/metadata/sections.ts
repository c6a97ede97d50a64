// Sections de la fiche : les champs regroupés par entité d'origine (héritage), puis les champs personnalisés.
import type { EntityMeta, FieldMeta } from './types';
import { widgetFor } from './fields';

export interface Section {
  id: string;
  /** entité d'origine des champs, ou 'custom' */
  owner: string;
  fields: FieldMeta[];
}

export function formSections(meta: EntityMeta): Section[] {
  const sections = new Map<string, Section>();
  for (const field of meta.fields) {
    if (widgetFor(field) === null) continue;
    const owner = field.custom ? 'custom' : (field.inheritedFrom ?? meta.name);
    const section = sections.get(owner) ?? { id: `section-${owner}`, owner, fields: [] };
    section.fields.push(field);
    sections.set(owner, section);
  }
  // l'entité elle-même d'abord quand elle hérite (un client avant la partie « tiers »), le personnalisé à la fin
  return [...sections.values()].sort((a, b) => rank(meta, a.owner) - rank(meta, b.owner));
}

function rank(meta: EntityMeta, owner: string): number {
  if (owner === 'custom') return 2;
  return owner === meta.name ? (meta.extends ? 1 : 0) : 0;
}
