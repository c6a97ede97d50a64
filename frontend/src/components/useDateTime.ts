// Date et heure dans la langue de l'utilisateur (format court) ; « — » quand la date manque.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export function useDateTime(): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return useCallback((iso) => (iso ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)) : '—'), [i18n.language]);
}

/** Durée lisible : millisecondes, secondes ou minutes. */
export function formatDuration(ms: number | null | undefined, language: string): string {
  if (ms === null || ms === undefined) return '—';
  const number = (value: number, unit: 'millisecond' | 'second' | 'minute', digits = 0) =>
    new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow', maximumFractionDigits: digits }).format(value);
  if (ms < 1000) return number(ms, 'millisecond');
  if (ms < 60_000) return number(ms / 1000, 'second', 1);
  return number(ms / 60_000, 'minute', 1);
}
