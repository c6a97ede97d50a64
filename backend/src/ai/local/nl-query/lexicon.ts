// Lexique d'un catalogue : les entités lisibles par l'utilisateur et leurs champs, chacun avec ses formes dans la
// question (nom, libellés français et anglais, synonymes), en mots normalisés sans mots vides.
import type { Label } from '@opsflux/sdk';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import { words } from './text.js';
import { ENTITY_SYNONYMS, STOP_WORDS, VALUE_SYNONYMS } from './vocabulary.js';

export type FieldKind = 'string' | 'number' | 'money' | 'date' | 'datetime' | 'boolean' | 'enum' | 'ref' | 'tags';

export interface FieldInfo {
  /** chemin du filtre (`paymentTermDays`, `category.name`, `creditLimit` = montant) */
  path: string;
  /** nom du champ dans l'entité */
  name: string;
  label: Label;
  kind: FieldKind;
  phrases: string[][];
  enumValues?: { value: string; phrases: string[][] }[];
  /** entité cible d'une référence */
  target?: string;
}

/** Champ d'une entité qui référence l'entité visée (ou l'un de ses parents) : « clients à Lyon » → address.city. */
export interface RelatedField extends FieldInfo {
  entity: string;
  /** champ ref de `entity` vers l'entité visée */
  via: string;
}

export interface EntityInfo {
  name: string;
  label: Label;
  phrases: string[][];
  model: EntityModel;
}

const KINDS: Partial<Record<FieldModel['type'], FieldKind>> = {
  string: 'string', email: 'string', phone: 'string', url: 'string', text: 'string', integer: 'number', decimal: 'number', money: 'money',
  date: 'date', datetime: 'datetime', boolean: 'boolean', enum: 'enum', ref: 'ref', tags: 'tags',
};

/** Mots significatifs d'un texte (sans mots vides). */
export const phrase = (text: string): string[] => words(text).filter((w) => !STOP_WORDS.has(w));

function labelPhrases(name: string, label: Label | undefined, extra: string[] = []): string[][] {
  const labels = [label?.en, label?.fr].filter((t): t is string => Boolean(t));
  // « Délai de paiement (jours) » se dit aussi « délai de paiement »
  const bare = labels.filter((t) => /\(.*\)/.test(t)).map((t) => t.replace(/\s*\(.*?\)\s*/g, ' ').trim());
  const texts = [name, ...labels, ...bare, ...extra];
  const seen = new Set<string>();
  return texts.map(phrase).filter((p) => p.length > 0 && !seen.has(p.join(' ')) && seen.add(p.join(' ')));
}

const SYSTEM_FIELDS: FieldInfo[] = [
  { path: 'createdAt', name: 'createdAt', label: { en: 'Created', fr: 'Créé le' }, kind: 'datetime', phrases: [['creation'], ['created'], ['date', 'creation'], ['creation', 'date']] },
  { path: 'updatedAt', name: 'updatedAt', label: { en: 'Updated', fr: 'Modifié le' }, kind: 'datetime', phrases: [['modification'], ['updated'], ['last', 'update'], ['derniere', 'modification']] },
];

export class Lexicon {
  private readonly cache = new Map<string, FieldInfo[]>();
  readonly entities: EntityInfo[];

  constructor(private readonly catalog: Catalog, readable: (name: string) => boolean) {
    this.entities = catalog.all().filter((m) => readable(m.name)).map((model) => ({
      name: model.name, label: model.label, model,
      phrases: labelPhrases(model.name, model.label, ENTITY_SYNONYMS[model.name] ?? []),
    }));
  }

  entity(name: string): EntityInfo | undefined {
    return this.entities.find((e) => e.name === name);
  }

  /** Champs de l'entité utilisables dans une question (références : par le champ affiché de la cible). */
  fields(entity: string): FieldInfo[] {
    const cached = this.cache.get(entity);
    if (cached) return cached;
    const model = this.catalog.get(entity);
    const fields: FieldInfo[] = [];
    for (const field of model?.fields ?? []) {
      const info = this.field(field);
      if (info) fields.push(info);
    }
    fields.push(...SYSTEM_FIELDS.map((f) => ({ ...f, phrases: [...f.phrases] })));
    // « encours » pour « Encours autorisé » : le premier mot d'un libellé, s'il est long et propre à ce champ
    const owners = new Map<string, number>();
    for (const f of fields) for (const w of new Set(f.phrases.flat())) owners.set(w, (owners.get(w) ?? 0) + 1);
    for (const f of fields) {
      const heads = f.phrases.filter((p) => p.length > 1 && p[0]!.length >= 6 && owners.get(p[0]!) === 1).map((p) => [p[0]!]);
      f.phrases.push(...heads.filter((h, i) => heads.findIndex((o) => o[0] === h[0]) === i));
    }
    this.cache.set(entity, fields);
    return fields;
  }

  /** Champs des entités qui référencent celle-ci (lisibles) : des conditions sur des enregistrements liés. */
  related(entity: string): RelatedField[] {
    const model = this.catalog.get(entity);
    if (!model) return [];
    const ancestors = new Set(model.chain.map((link) => link.entity));
    const out: RelatedField[] = [];
    for (const other of this.entities) {
      if (ancestors.has(other.name)) continue;
      const via = other.model.fields.find((f) => f.type === 'ref' && ancestors.has(f.def.options?.to ?? '') && f.def.required);
      if (!via) continue;
      for (const info of this.fields(other.name)) {
        if (info.name === via.name || info.kind === 'datetime' || info.path === 'createdAt') continue;
        out.push({ ...info, entity: other.name, via: via.name });
      }
    }
    return out;
  }

  private field(field: FieldModel): FieldInfo | undefined {
    const kind = KINDS[field.type];
    if (!kind || field.def.internal || field.def.writeOnly) return undefined;
    const base = { name: field.name, label: field.def.label ?? { en: field.name }, kind, phrases: labelPhrases(field.name, field.def.label) };
    if (kind === 'ref') {
      const target = this.catalog.get(field.def.options?.to ?? '');
      if (!target?.display) return undefined;
      return { ...base, path: `${field.name}.${target.display}`, target: target.name };
    }
    if (kind === 'enum') {
      const enumValues = (field.def.options?.values ?? []).map((value) => ({
        value, phrases: labelPhrases(value, undefined, VALUE_SYNONYMS[value] ?? []),
      }));
      return { ...base, path: field.name, enumValues };
    }
    return { ...base, path: field.name };
  }
}
