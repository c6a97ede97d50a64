// Erreurs de paramètres des services (400 validation_failed avec les champs en cause, en français ou en anglais).
import type { FieldError } from '@opsflux/sdk';
import { validationFailed } from './problem.js';
import { message, type Locale } from '../text/messages.js';

export class FieldProblems {
  readonly errors: FieldError[] = [];
  constructor(private readonly locale: Locale) {}

  add(field: string, code: string, params: Record<string, string | number> = {}): void {
    this.errors.push({ field, code, message: message(this.locale, code, params) });
  }

  /** Lève 400 s'il y a eu au moins une erreur. */
  check(): void {
    if (this.errors.length) throw validationFailed(this.errors);
  }
}

export const DECIMAL_TEXT = /^-?\d{1,24}(\.\d{1,12})?$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Date ISO réelle (2024-02-30 refusée). */
export function validDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
