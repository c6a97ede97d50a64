// Lecture et contrôle du corps des requêtes de clés d'API : toutes les erreurs de champ sont signalées à la fois.
import type { FieldError } from '@opsflux/sdk';
import { validationFailed } from '../../errors/problem.js';
import { readExpiry, readScopes, UUID } from '../token-input.js';
import { normalizeIpEntry } from './ip-allow-list.js';

// plafond de la limite propre d'une clé : le maximum déclaré de api.rateLimit.perMinute, mêmes bornes
export const MAX_RATE_LIMIT = 1_000_000;
// adresses ou réseaux permis par clé : borne la vérification de chaque requête ; un réseau CIDR couvre le reste
const MAX_IPS = 100;
const FIELDS = ['name', 'description', 'roleId', 'scopes', 'allowedIps', 'rateLimit', 'expiresAt'] as const;

/** Valeurs d'une clé telles que la base les garde (null : pas de restriction, ou valeur par défaut). */
export interface ApiKeyValues {
  name: string;
  description: string | null;
  roleId: string;
  scopes: string[] | null;
  allowedIps: string[] | null;
  rateLimit: number | null;
  expiresAt: Date | null;
}

type Reader<K extends keyof ApiKeyValues> = (value: unknown, errors: FieldError[]) => ApiKeyValues[K];

const READERS: { [K in keyof ApiKeyValues]: Reader<K> } = {
  name(value, errors) {
    const name = typeof value === 'string' ? value.trim() : '';
    if (!name || name.length > 100) errors.push({ field: 'name', code: 'required', message: 'name is required (1–100 characters)' });
    return name;
  },
  description(value, errors) {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || value.length > 1000) errors.push({ field: 'description', code: 'invalid_value', message: 'description is a text of at most 1000 characters' });
    return typeof value === 'string' ? value : null;
  },
  roleId(value, errors) {
    if (typeof value !== 'string' || !UUID.test(value)) errors.push({ field: 'roleId', code: 'required', message: 'roleId is the id of a role of the tenant' });
    return typeof value === 'string' ? value : '';
  },
  scopes: (value, errors) => readScopes(value, errors),
  allowedIps(value, errors) {
    if (value === undefined || value === null) return null;
    const entries = Array.isArray(value) && value.length <= MAX_IPS && value.every((v) => typeof v === 'string') ? value.map((v: string) => normalizeIpEntry(v)) : [null];
    if (entries.some((e) => e === null)) {
      errors.push({ field: 'allowedIps', code: 'invalid_value', message: `allowedIps is a list of at most ${MAX_IPS} IPv4/IPv6 addresses or CIDR networks such as ["192.0.2.0/24", "2001:db8::/32"]` });
      return null;
    }
    return entries.length ? [...new Set(entries as string[])] : null;
  },
  rateLimit(value, errors) {
    if (value === undefined || value === null) return null;
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_RATE_LIMIT) {
      errors.push({ field: 'rateLimit', code: 'out_of_range', message: `rateLimit is a number of requests per minute, 1–${MAX_RATE_LIMIT} (null: the tenant setting api.rateLimit.perMinute)` });
      return null;
    }
    return value as number;
  },
  expiresAt: (value, errors) => readExpiry(value, errors),
};

function unknownFields(body: Record<string, unknown>, errors: FieldError[]): void {
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) errors.push({ field: key, code: 'unknown_field', message: `Unknown field "${key}"` });
  }
}

function asObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw validationFailed([{ field: '', code: 'invalid_type', message: 'The body must be a JSON object' }]);
  return input as Record<string, unknown>;
}

/** Corps d'une création : nom et rôle exigés, le reste facultatif. */
export function readCreate(input: unknown): ApiKeyValues {
  const body = asObject(input);
  const errors: FieldError[] = [];
  unknownFields(body, errors);
  const values = Object.fromEntries(FIELDS.map((f) => [f, READERS[f](body[f], errors)])) as unknown as ApiKeyValues;
  if (errors.length) throw validationFailed(errors);
  return values;
}

/** Corps d'une modification : seuls les champs présents, chacun contrôlé comme à la création. */
export function readUpdate(input: unknown): Partial<ApiKeyValues> {
  const body = asObject(input);
  const errors: FieldError[] = [];
  unknownFields(body, errors);
  const present = FIELDS.filter((f) => f in body);
  if (present.length === 0 && errors.length === 0) errors.push({ field: '', code: 'empty_patch', message: `Give at least one of ${FIELDS.join(', ')}` });
  const values = Object.fromEntries(present.map((f) => [f, READERS[f](body[f], errors)])) as Partial<ApiKeyValues>;
  if (errors.length) throw validationFailed(errors);
  return values;
}
