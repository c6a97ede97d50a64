// Validation et normalisation des valeurs saisies, champ par champ, avec tous les messages d'erreur à la fois.
import type { FieldError } from '@opsflux/sdk';
import { message, type Locale } from '../text/messages.js';
import type { EntityModel, FieldModel } from './model.js';
import { SYSTEM_FIELDS } from './naming.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;
const PHONE = /^\+?[0-9 ().-]{3,32}$/;
const CURRENCY = /^[A-Z]{3}$/;
const LOCALE_KEY = /^[a-z]{2}(-[A-Z]{2})?$/;
const EID = /^[^\s\p{Cc}][^\p{Cc}]{0,254}$/u;
// plus grand entier d'une colonne PostgreSQL `integer` (2^31 − 1) : imposé par le type
const INT4 = 2147483647;

/** Résultat d'un contrôle de valeur : valeur normalisée ou code d'erreur et paramètres du message. */
type Check = { ok: true; value: unknown } | { ok: false; code: string; params?: Record<string, string | number> };
const ok = (value: unknown): Check => ({ ok: true, value });
const fail = (code: string, params?: Record<string, string | number>): Check => ({ ok: false, code, params });

function isValidDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function checkBounds(field: FieldModel, n: number): Check | null {
  if (field.def.min !== undefined && n < field.def.min) return fail('too_small', { min: field.def.min });
  if (field.def.max !== undefined && n > field.def.max) return fail('too_large', { max: field.def.max });
  return null;
}

function checkText(field: FieldModel, value: unknown, defaultMax: number): Check {
  if (typeof value !== 'string') return fail('invalid_type', { expected: 'string' });
  const max = field.def.maxLength ?? defaultMax;
  if (value.length > max) return fail('too_long', { max });
  if (field.def.pattern && !new RegExp(field.def.pattern, 'u').test(value)) return fail('pattern');
  return ok(value);
}

function checkDecimal(field: FieldModel, value: unknown): Check {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) return fail('invalid_type', { expected: 'decimal' });
  return checkBounds(field, Number(text)) ?? ok(text);
}

const CHECKS: Record<string, (field: FieldModel, value: unknown) => Check> = {
  string: (f, v) => checkText(f, v, 255),
  text: (f, v) => checkText(f, v, 100_000),
  email: (f, v) => {
    const c = checkText(f, v, 320);
    return c.ok && !EMAIL.test(c.value as string) ? fail('invalid_email') : c;
  },
  phone: (f, v) => {
    const c = checkText(f, v, 32);
    return c.ok && !PHONE.test(c.value as string) ? fail('invalid_phone') : c;
  },
  url: (f, v) => {
    const c = checkText(f, v, 2048);
    if (!c.ok) return c;
    try {
      const url = new URL(c.value as string);
      return url.protocol === 'http:' || url.protocol === 'https:' ? c : fail('invalid_url');
    } catch {
      return fail('invalid_url');
    }
  },
  integer: (f, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > INT4) return fail('invalid_type', { expected: 'integer' });
    return checkBounds(f, v) ?? ok(v);
  },
  decimal: checkDecimal,
  money: (f, v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('invalid_type', { expected: '{ amount, currency }' });
    const { amount, currency, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof currency !== 'string' || !CURRENCY.test(currency)) {
      return fail('invalid_type', { expected: '{ amount, currency }' });
    }
    const a = checkDecimal(f, amount);
    return a.ok ? ok({ amount: a.value, currency }) : a;
  },
  boolean: (_f, v) => (typeof v === 'boolean' ? ok(v) : fail('invalid_type', { expected: 'boolean' })),
  date: (_f, v) => (typeof v === 'string' && DATE.test(v) && isValidDate(v) ? ok(v) : fail('invalid_type', { expected: 'YYYY-MM-DD' })),
  datetime: (_f, v) =>
    typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v)) && isValidDate(v.slice(0, 10))
      ? ok(new Date(v).toISOString())
      : fail('invalid_type', { expected: 'ISO 8601 date-time' }),
  enum: (f, v) => {
    const values = f.def.options?.values ?? [];
    return typeof v === 'string' && values.includes(v) ? ok(v) : fail('invalid_enum', { values: values.join(', ') });
  },
  json: (_f, v) => ok(JSON.stringify(v)),
  ref: (_f, v) => (typeof v === 'string' && UUID.test(v) ? ok(v.toLowerCase()) : fail('invalid_type', { expected: 'uuid' })),
  file: (_f, v) => (typeof v === 'string' && UUID.test(v) ? ok(v.toLowerCase()) : fail('invalid_type', { expected: 'uuid' })),
  refs: (_f, v) => {
    if (!Array.isArray(v) || v.length > 1000 || !v.every((id) => typeof id === 'string' && UUID.test(id))) {
      return fail('invalid_type', { expected: 'array of uuids' });
    }
    return ok([...new Set((v as string[]).map((id) => id.toLowerCase()))]);
  },
  tags: (_f, v) => {
    if (!Array.isArray(v) || v.length > 100 || !v.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 100)) {
      return fail('invalid_type', { expected: 'array of tags' });
    }
    return ok([...new Set(v as string[])]);
  },
  translatable: (_f, v) => {
    if (typeof v === 'string') return v.length <= 100_000 ? ok(JSON.stringify({ en: v })) : fail('too_long', { max: 100_000 });
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('invalid_type', { expected: '{ "fr": "…", "en": "…" }' });
    const entries = Object.entries(v as Record<string, unknown>);
    const valid = entries.every(([k, t]) => LOCALE_KEY.test(k) && typeof t === 'string' && t.length <= 100_000);
    return valid ? ok(JSON.stringify(v)) : fail('invalid_type', { expected: '{ "fr": "…", "en": "…" }' });
  },
};

export interface ValidatedInput {
  /** valeurs normalisées par champ (null = effacer) */
  values: Map<FieldModel, unknown>;
  eid?: string;
  id?: string;
}

export type WriteMode = 'create' | 'update';

/** Refus d'écrire un champ : code du message et ses paramètres. */
export interface WriteRefusal {
  code: string;
  params?: Record<string, string>;
}

/** Champ écrivable par l'appelant : vrai, ou faux (`read_only`), ou la raison du refus. */
export type WriteCheck = (field: FieldModel) => boolean | WriteRefusal;

/** Champs système acceptés dans un corps mais ignorés (un client renvoie souvent l'enregistrement lu). */
const IGNORED_SYSTEM = new Set<string>(SYSTEM_FIELDS.filter((f) => f !== 'eid' && f !== 'id'));

export function validateInput(
  model: EntityModel,
  input: unknown,
  mode: WriteMode,
  locale: Locale,
  /** champ écrivable par l'appelant (par défaut : tout sauf les champs en lecture seule) */
  isWritable: WriteCheck = (field) => !field.def.readOnly,
): { result: ValidatedInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const result: ValidatedInput = { values: new Map() };
  const push = (field: string, code: string, params?: Record<string, string | number>) =>
    errors.push({ field, code, message: message(locale, code, { field, ...params }) });

  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    push('', 'invalid_type', { expected: 'JSON object' });
    return { result, errors };
  }
  for (const [key, value] of Object.entries(input)) {
    // absent (un objet construit par du code peut porter des clés à undefined ; JSON n'en a jamais)
    if (value === undefined) continue;
    if (key === 'eid') {
      if (typeof value !== 'string' || !EID.test(value)) push('eid', 'invalid_type', { expected: 'external id (1–255 characters)' });
      else result.eid = value;
      continue;
    }
    if (key === 'id') {
      if (mode !== 'create') continue;
      if (typeof value !== 'string' || !UUID.test(value)) push('id', 'invalid_type', { expected: 'uuid' });
      else result.id = value.toLowerCase();
      continue;
    }
    if (IGNORED_SYSTEM.has(key) && !model.byName.has(key)) continue;
    const field = model.byName.get(key);
    if (!field || field.def.internal || field.type === 'children') {
      push(key, 'unknown_field');
      continue;
    }
    const writable = field.type === 'computed' ? false : isWritable(field);
    if (writable !== true) {
      push(key, writable === false ? 'read_only' : writable.code, writable === false ? undefined : writable.params);
      continue;
    }
    if (value === null) {
      if (field.def.required) push(key, 'required');
      else result.values.set(field, null);
      continue;
    }
    const check = CHECKS[field.type]?.(field, value) ?? fail('invalid_value');
    if (check.ok) result.values.set(field, check.value);
    else push(key, check.code, check.params);
  }
  if (mode === 'create') {
    for (const field of model.fields) {
      if (result.values.has(field) || field.def.internal || field.type === 'computed') continue;
      if (field.def.default !== undefined) {
        const check = CHECKS[field.type]?.(field, field.def.default);
        if (check?.ok) result.values.set(field, check.value);
      } else if (field.def.required && !errors.some((e) => e.field === field.name)) {
        push(field.name, 'required');
      }
    }
  }
  return { result, errors };
}

/**
 * Données rendues par les crochets « avant » (code de confiance, règles d'automatisation) : chaque valeur est contrôlée
 * comme une saisie — type, format, valeurs permises, longueur, bornes, obligatoire — sous la forme qu'elle a pour sa
 * colonne (json : texte JSON, comme la validation le rend ; un instant peut être une Date). Les champs en lecture seule
 * et internes restent écrivables par ce code ; un champ en écriture seule porte la valeur que son crochet a
 * transformée (chiffrée, hachée), à laquelle ses bornes de saisie ne s'appliquent pas. Les clés qui ne sont pas des
 * champs sont ignorées ; un champ obligatoire retiré d'une création est refusé.
 */
export function validateHookOutput(
  model: EntityModel, input: Map<FieldModel, unknown>, data: Record<string, unknown>, mode: WriteMode, locale: Locale,
): { values: Map<FieldModel, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values = new Map<FieldModel, unknown>();
  const push = (field: string, code: string, params?: Record<string, string | number>) =>
    errors.push({ field, code, message: message(locale, code, { field, ...params }) });
  for (const [name, value] of Object.entries(data)) {
    const field = model.byName.get(name);
    if (!field || value === undefined || field.type === 'children') continue;
    if (field.type === 'computed') push(name, 'read_only');
    else if (value === null) {
      if (field.def.required) push(name, 'required');
      else values.set(field, null);
    } else {
      const check = checkStored(field, value);
      if (check.ok) values.set(field, check.value);
      else push(name, check.code, check.params);
    }
  }
  if (mode === 'create') {
    for (const field of input.keys()) if (field.def.required && data[field.name] === undefined) push(field.name, 'required');
  }
  return { values, errors };
}

function checkStored(field: FieldModel, value: unknown): Check {
  if (field.type === 'json' && typeof value === 'string') {
    return parseJson(value) === undefined ? fail('invalid_type', { expected: 'JSON text' }) : ok(value);
  }
  if (field.type === 'translatable' && typeof value === 'string') {
    // texte JSON d'un objet de traductions (forme validée), sinon texte simple (anglais)
    const parsed = parseJson(value);
    if (typeof parsed === 'object' && parsed !== null) return CHECKS.translatable!(field, parsed);
  }
  if (field.type === 'datetime' && value instanceof Date) {
    return Number.isNaN(value.getTime()) ? fail('invalid_type', { expected: 'ISO 8601 date-time' }) : ok(value.toISOString());
  }
  const checked = field.def.writeOnly ? { ...field, def: { ...field.def, maxLength: undefined, pattern: undefined } } : field;
  return CHECKS[field.type]?.(checked, value) ?? fail('invalid_value');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
