// Champs communs aux jetons d'accès personnels et aux clés d'API : portées `entité:action` et date d'expiration.
// Chaque lecture ajoute ses erreurs de champ à la liste reçue, pour qu'une requête les signale toutes à la fois.
import type { FieldError } from '@opsflux/sdk';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCOPE = /^(\*|[a-z][a-z0-9_]{0,62})(:(\*|read|create|update|delete|export|import|admin))?$/;

/** Portées : absentes ou null → aucune restriction (null) ; sinon liste dédoublonnée de portées valides. */
export function readScopes(value: unknown, errors: FieldError[], field = 'scopes'): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > 100 || !value.every((s) => typeof s === 'string' && SCOPE.test(s))) {
    errors.push({ field, code: 'invalid_value', message: `${field} must be a list such as ["invoice:read", "*:read"]` });
    return null;
  }
  return [...new Set(value as string[])];
}

/** Expiration : absente ou null → jamais ; sinon date-heure ISO 8601 future. */
export function readExpiry(value: unknown, errors: FieldError[], field = 'expiresAt'): Date | null {
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now()) {
    errors.push({ field, code: 'invalid_value', message: `${field} must be a future ISO 8601 date-time` });
    return null;
  }
  return date;
}
