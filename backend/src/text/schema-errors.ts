// Erreurs d'un schéma JSON (Ajv) traduites en erreurs de champ de l'API (code stable, message fr/en).
import type { ErrorObject } from 'ajv';
import type { FieldError } from '@opsflux/sdk';
import { message, type Locale } from './messages.js';

function path(prefix: string, pointer: string): string {
  const tail = pointer.split('/').filter(Boolean).join('.');
  return [prefix, tail].filter(Boolean).join('.');
}

export function schemaFieldErrors(errors: ErrorObject[] | null | undefined, prefix: string, locale: Locale): FieldError[] {
  return (errors ?? []).map((e): FieldError => {
    const at = path(prefix, e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        return { field: path(at, String(p.missingProperty)), code: 'required', message: message(locale, 'required') };
      case 'additionalProperties':
        return { field: path(at, String(p.additionalProperty)), code: 'unknown_field', message: message(locale, 'unknown_field', { field: String(p.additionalProperty) }) };
      case 'type':
        return { field: at, code: 'invalid_type', message: message(locale, 'invalid_type', { expected: String(p.type) }) };
      case 'enum':
        return { field: at, code: 'invalid_enum', message: message(locale, 'invalid_enum', { values: (p.allowedValues as unknown[]).join(', ') }) };
      case 'pattern':
        return { field: at, code: 'pattern', message: message(locale, 'pattern') };
      case 'maxLength':
        return { field: at, code: 'too_long', message: message(locale, 'too_long', { max: Number(p.limit) }) };
      default:
        return { field: at, code: 'invalid_value', message: `${message(locale, 'invalid_value')} ${e.message ?? ''}`.trim() };
    }
  });
}
