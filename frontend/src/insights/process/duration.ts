// Durée lisible (minutes, heures, jours) d'un nombre de millisecondes.
import type { TFunction } from 'i18next';

export function duration(t: TFunction, ms: number | null): string {
  if (ms === null) return '–';
  const minutes = ms / 60_000;
  if (minutes < 90) return t('graphProcess.process.minutes', { value: Math.round(minutes) });
  const hours = minutes / 60;
  if (hours < 48) return t('graphProcess.process.hours', { value: Number(hours.toFixed(1)) });
  return t('graphProcess.process.days', { value: Number((hours / 24).toFixed(1)) });
}
