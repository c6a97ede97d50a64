// Dates et heures affichées dans la langue de l'utilisateur, selon un style nommé ; « — » quand la date manque.
// Seul endroit qui formate une date pour l'affichage (le hook pour les composants, formatDateTime ailleurs).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

const STYLES = {
  /** date courte, heure à la seconde : journaux, travaux, envois */
  dateTime: { dateStyle: 'short', timeStyle: 'medium' },
  /** date courte, heure à la minute : notifications, dernier usage d'une clé */
  minutes: { dateStyle: 'short', timeStyle: 'short' },
  /** date moyenne, heure à la seconde : historique d'un enregistrement */
  history: { dateStyle: 'medium', timeStyle: 'medium' },
  /** date moyenne, heure à la minute : valeur d'un champ date-heure */
  value: { dateStyle: 'medium', timeStyle: 'short' },
  /** jour (date moyenne) d'un instant, dans le fuseau du navigateur */
  date: { dateStyle: 'medium' },
  /** jour calendaire sans fuseau (« 2026-03-01 ») : montré tel quel, quel que soit le fuseau du navigateur */
  calendarDay: { dateStyle: 'medium', timeZone: 'UTC' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateTimeStyle = keyof typeof STYLES;

/** Texte d'une date ISO (ou d'un jour calendaire pour `calendarDay`) dans la langue donnée. */
export function formatDateTime(iso: string | null | undefined, language: string, style: DateTimeStyle = 'dateTime'): string {
  if (!iso) return '—';
  const instant = style === 'calendarDay' ? new Date(`${iso.slice(0, 10)}T00:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(language, STYLES[style]).format(instant);
}

/** Formateur de dates dans la langue courante ; style par défaut : date courte, heure à la seconde. */
export function useDateTime(style: DateTimeStyle = 'dateTime'): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return useCallback((iso) => formatDateTime(iso, i18n.language, style), [i18n.language, style]);
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
