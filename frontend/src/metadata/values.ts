// Valeurs des champs : affichage selon la langue, conversion des saisies du formulaire vers l'API,
// messages d'erreur problem+json rattachés à leurs champs.
import type { Problem } from '@opsflux/sdk';
import { formatDateTime } from '../components/useDateTime';
import type { EntityMeta, FieldMeta } from './types';

export interface Money {
  amount: string;
  currency: string;
}

const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value;

/** Texte d'une valeur pour une cellule ou un champ en lecture seule (références : libellé connu sinon identifiant). */
export function formatValue(field: FieldMeta, value: unknown, locale: string, refLabel?: (id: string) => string | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'money':
      if (!isMoney(value)) return String(value);
      return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency, currencyDisplay: 'code' }).format(Number(value.amount));
    case 'decimal':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: field.options?.scale ?? 6 }).format(Number(value));
    case 'integer':
      return new Intl.NumberFormat(locale).format(Number(value));
    case 'boolean':
      return value ? (locale.startsWith('fr') ? 'Oui' : 'Yes') : locale.startsWith('fr') ? 'Non' : 'No';
    case 'date':
      return formatDateTime(String(value), locale, 'calendarDay');
    case 'datetime':
      return formatDateTime(String(value), locale, 'value');
    case 'ref':
      return refLabel?.(String(value)) ?? String(value);
    case 'refs':
    case 'tags':
      return Array.isArray(value) ? value.map((v) => (field.type === 'refs' ? (refLabel?.(String(v)) ?? String(v)) : String(v))).join(', ') : String(value);
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** Valeurs du formulaire : chaînes pour les champs saisis, valeurs typées pour les autres. */
export type FormValues = Record<string, unknown>;

/** Valeurs initiales du formulaire : l'enregistrement, ou les valeurs par défaut déclarées pour une création. */
export function initialValues(meta: EntityMeta, record?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of meta.fields) {
    const value = record ? record[field.name] : field.default;
    values[field.name] = value ?? null;
  }
  return values;
}

/** Corps de l'écriture : seulement les champs modifiés (édition) ou renseignés (création), convertis au type de l'API. */
export function toPayload(meta: EntityMeta, values: FormValues, original?: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of meta.fields) {
    if (field.readOnly || field.type === 'computed' || field.type === 'children') continue;
    if (!(field.name in values)) continue;
    const value = normalise(field, values[field.name]);
    if (original) {
      if (JSON.stringify(value) !== JSON.stringify(original[field.name] ?? null)) payload[field.name] = value;
    } else if (value !== null) {
      payload[field.name] = value;
    }
  }
  return payload;
}

function normalise(field: FieldMeta, value: unknown): unknown {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return null;
    if (field.type === 'integer') return /^-?\d+$/.test(text) ? Number(text) : text;
    if (field.type === 'decimal') return text.replace(/\s/g, '').replace(',', '.');
    return field.type === 'string' || field.type === 'text' ? value : text;
  }
  if (isMoney(value)) {
    const amount = String(value.amount ?? '').trim().replace(/\s/g, '').replace(',', '.');
    return amount ? { amount, currency: value.currency } : null;
  }
  return value;
}

/** Messages par champ d'un problème de validation (les erreurs sans champ connu restent générales). */
export function fieldMessages(meta: EntityMeta, problem: Problem | undefined): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  const names = new Set(meta.fields.map((f) => f.name));
  for (const error of problem?.errors ?? []) {
    const root = error.field.split(/[.[]/)[0] ?? '';
    if (names.has(root) && !byField[root]) byField[root] = error.message;
    else if (!names.has(root)) general.push(error.field ? `${error.field}: ${error.message}` : error.message);
  }
  if (problem && !problem.errors?.length) general.push(problem.detail ?? problem.title);
  return { byField, general };
}

/** Libellé d'un enregistrement référencé : son champ d'affichage, sinon un champ « name », sinon son eid. */
export function recordTitle(meta: EntityMeta | undefined, record: Record<string, unknown>): string {
  const field = meta?.display ?? 'name';
  const value = record[field] ?? record.name ?? record.code ?? record.eid ?? record.id;
  return String(value ?? '');
}
