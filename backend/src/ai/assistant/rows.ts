// Ce que le modèle lit des enregistrements et des entités, au plus court : lignes sans valeurs vides ni colonnes
// techniques, colonnes d'une recherche réduites à l'essentiel (le modèle en demande d'autres), description d'une
// entité à la demande. Tout part du catalogue VU par l'utilisateur : un champ qu'on lui masque n'y existe pas.
import type { FieldType, Label } from '@opsflux/sdk';
import type { Locale } from '../../text/messages.js';
import type { Row } from '../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../engine/model.js';

export const SEARCH_LIMITS = { defaultRows: 10, maxRows: 50, maxText: 300, maxFields: 30 } as const;

/** Colonnes techniques que le modèle ne lit pas (il garde `id`, `eid`, `createdAt`, `updatedAt` d'une fiche). */
const TECHNICAL = new Set(['version', 'createdBy', 'updatedBy', 'deletedAt', 'deletedBy']);

/** Enregistrement tel que le modèle le lit : sans valeurs vides ni colonnes techniques, textes longs coupés. */
export function compactRow(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined || value === '' || TECHNICAL.has(key) || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = typeof value === 'string' && value.length > SEARCH_LIMITS.maxText ? `${value.slice(0, SEARCH_LIMITS.maxText)}…` : value;
  }
  return out;
}

/** Colonnes système qu'une recherche peut filtrer ou trier (et donc montrer) ; `id` est toujours là. */
const SYSTEM_READ = new Set(['eid', 'createdAt', 'updatedAt']);

/** Types courts qu'une ligne de recherche montre d'office (ni textes longs, ni JSON, ni listes, ni fichiers). */
const SHORT: ReadonlySet<FieldType> = new Set(['string', 'email', 'phone', 'url', 'enum', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'ref']);

const readableField = (f: FieldModel | undefined): f is FieldModel =>
  f !== undefined && !f.def.internal && !f.def.writeOnly && f.type !== 'children';

/** Champs nommés au premier niveau d'un filtre JSON (`and`/`or`/`not` parcourus ; chemins pointés ignorés). */
function filterFields(filter: unknown, into: Set<string>): void {
  if (Array.isArray(filter)) {
    for (const item of filter) filterFields(item, into);
    return;
  }
  if (!filter || typeof filter !== 'object') return;
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or' || key === 'not') filterFields(value, into);
    else if (!key.includes('.')) into.add(key);
  }
}

export interface SearchColumns {
  filter?: unknown;
  sort?: string;
  q?: string;
  fields?: string[];
}

/**
 * Colonnes d'une ligne de recherche : `undefined` pour toutes (`fields: ["*"]`), sinon l'identifiant, le champ
 * affiché, les champs clés (obligatoires ou uniques, de type court), ceux filtrés, triés ou cherchés, et ceux demandés
 * (un champ demandé inconnu ou masqué est refusé par la liste, comme dans l'API).
 */
export function searchColumns(model: EntityModel, request: SearchColumns): string[] | undefined {
  if (request.fields?.includes('*')) return undefined;
  const wanted = new Set<string>(['id']);
  const add = (name: string | undefined) => {
    if (name && (SYSTEM_READ.has(name) || readableField(model.byName.get(name)))) wanted.add(name);
  };
  add(model.display);
  for (const f of model.fields) if ((f.def.required || f.def.unique) && SHORT.has(f.type)) add(f.name);
  const named = new Set<string>();
  filterFields(request.filter, named);
  for (const key of (request.sort ?? '').split(',')) named.add(key.trim().replace(/^[-+]/, ''));
  for (const name of named) add(name);
  if (request.q) for (const f of model.searchFields) add(f.name);
  // demandés : passés tels quels, la liste refuse un champ qui n'existe pas pour l'utilisateur
  for (const name of request.fields ?? []) wanted.add(name);
  return [...wanted];
}

const labelOf = (label: Label | undefined, locale: Locale) => (label ? (label[locale] ?? label.en) : undefined);
const squash = (text: string) => text.toLowerCase().replace(/[\s_-]/g, '');

/** Une ligne par champ : type, cible d'une référence, valeurs d'une énumération, contraintes utiles, libellé. */
function fieldSummary(field: FieldModel, locale: Locale): string {
  const { def } = field;
  let text: string = field.type;
  if (def.options?.to) text += `→${def.options.to}${def.options.via ? ` via ${def.options.via}` : ''}`;
  if (field.type === 'computed' && def.options?.returns) text += `:${def.options.returns}`;
  if (field.type === 'money') text += ' {amount, currency}';
  if (field.type === 'enum' && def.options?.values?.length) text += ` (${def.options.values.join('|')})`;
  const flags = [def.required && 'required', def.unique && 'unique', (def.readOnly || field.type === 'computed') && 'read-only'].filter(Boolean);
  if (flags.length) text += `, ${flags.join(', ')}`;
  const label = labelOf(def.label, locale);
  if (label && squash(label) !== squash(field.name)) text += ` · ${label}`;
  if (def.description) text += ` · ${def.description.slice(0, 160)}`;
  return text;
}

/**
 * Description d'une entité pour le modèle : ses champs VISIBLES (le modèle reçu est la vue de l'utilisateur), lignes
 * enfants comprises (`children→<entité> via <champ>` : à chercher dans l'entité enfant).
 */
export function describeEntity(model: EntityModel, locale: Locale, can: string[]) {
  const fields: Record<string, string> = {};
  for (const field of model.fields) if (!field.def.internal && !field.def.writeOnly) fields[field.name] = fieldSummary(field, locale);
  return {
    entity: model.name,
    label: labelOf(model.label, locale),
    ...(model.abstract ? { abstract: true } : {}),
    ...(model.tree ? { tree: true } : {}),
    ...(model.display ? { display: model.display } : {}),
    search: model.searchFields.map((f) => f.name),
    can,
    fields,
  };
}
