// Correspondance métadonnées → interface : widget d'un champ, colonnes de liste, contrôles de filtre.
import type { EntityMeta, FieldMeta, Me } from './types';

export type Widget =
  | 'text' | 'textarea' | 'integer' | 'decimal' | 'money' | 'boolean' | 'date' | 'datetime' | 'enum'
  | 'ref' | 'refs' | 'tags' | 'json' | 'email' | 'phone' | 'url' | 'readonly';

/** Types qui n'ont pas (encore) de widget de formulaire : enfants, fichiers, textes traduits. */
const NOT_EDITABLE = new Set(['children', 'file', 'translatable']);

/** Widget de saisie d'un champ, ou null quand le champ ne se saisit pas dans le formulaire. */
export function widgetFor(field: FieldMeta): Widget | null {
  if (NOT_EDITABLE.has(field.type)) return null;
  if (field.readOnly || field.type === 'computed') return 'readonly';
  if (field.type === 'string') return 'text';
  if (field.type === 'text') return 'textarea';
  return field.type as Widget;
}

/** Champs affichables dans une colonne de liste (les valeurs longues ou composées restent dans la fiche). */
const LISTABLE = new Set(['string', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'enum', 'ref', 'email', 'phone', 'url', 'tags', 'computed']);

export function listableFields(meta: EntityMeta): FieldMeta[] {
  return meta.fields.filter((f) => LISTABLE.has(f.type));
}

/** Colonnes visibles par défaut : le champ d'affichage puis les champs obligatoires, uniques, puis les autres. */
export function defaultColumns(meta: EntityMeta, count = 6): string[] {
  const fields = listableFields(meta);
  const rank = (f: FieldMeta) => (f.name === meta.display ? 0 : f.required ? 1 : f.unique ? 2 : f.type === 'enum' || f.type === 'money' ? 3 : 4);
  return [...fields].sort((a, b) => rank(a) - rank(b)).slice(0, count).map((f) => f.name);
}

/** Champs triables côté serveur : les scalaires (pas les listes ni le JSON). */
export function sortable(field: FieldMeta): boolean {
  return !['tags', 'refs', 'json', 'children', 'text'].includes(field.type);
}

export type FilterKind = 'text' | 'number' | 'date' | 'enum' | 'boolean' | 'ref';

/** Contrôle de la barre de filtres selon le type du champ. */
export function filterKindFor(field: FieldMeta): FilterKind | null {
  switch (field.type) {
    case 'string': case 'email': case 'phone': case 'url': case 'text': return 'text';
    case 'integer': case 'decimal': case 'money': return 'number';
    case 'date': case 'datetime': return 'date';
    case 'enum': return 'enum';
    case 'boolean': return 'boolean';
    case 'ref': return 'ref';
    default: return null;
  }
}

/** Valeur saisie dans un contrôle de filtre : texte, intervalle, liste de valeurs ou référence. */
export type FilterValue =
  | { kind: 'text'; text: string }
  | { kind: 'number' | 'date'; from?: string; to?: string }
  | { kind: 'enum'; values: string[] }
  | { kind: 'boolean'; value: boolean | null }
  | { kind: 'ref'; id: string | null };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Filtre JSON de l'API pour les valeurs de la barre de filtres (les conditions se cumulent). */
export function buildFilter(meta: EntityMeta, values: Record<string, FilterValue | undefined>): Record<string, unknown> | undefined {
  const filter: Record<string, unknown> = {};
  for (const field of meta.fields) {
    const value = values[field.name];
    if (!value) continue;
    const path = field.type === 'money' ? `${field.name}.amount` : field.name;
    switch (value.kind) {
      case 'text':
        if (value.text.trim()) filter[path] = { ilike: `%${escapeLike(value.text.trim())}%` };
        break;
      case 'number':
      case 'date': {
        const range: Record<string, string | number> = {};
        const convert = (v: string) => (field.type === 'integer' ? Number(v) : v);
        if (value.from) range.gte = convert(value.from);
        if (value.to) range[field.type === 'datetime' ? 'lt' : 'lte'] = field.type === 'datetime' ? nextDay(value.to) : convert(value.to);
        if (Object.keys(range).length) filter[path] = range;
        break;
      }
      case 'enum':
        if (value.values.length) filter[path] = { in: value.values };
        break;
      case 'boolean':
        if (value.value !== null) filter[path] = { eq: value.value };
        break;
      case 'ref':
        if (value.id) filter[path] = { eq: value.id };
        break;
    }
  }
  return Object.keys(filter).length ? filter : undefined;
}

/** Jour suivant d'une date ISO (borne haute exclusive d'un filtre sur des horodatages). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Paramètre `sort` de l'API ; l'identifiant départage toujours côté serveur. */
export function sortParam(sort: { field: string; descending: boolean } | undefined): string | undefined {
  return sort ? `${sort.descending ? '-' : ''}${sort.field}` : undefined;
}

/** Taille des pages de liste : préférence de l'utilisateur (50 par défaut). */
export const pageSizeOf = (me: Me | null | undefined): number => Number(me?.preferences.pageSize ?? 50);

