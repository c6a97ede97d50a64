// Travaux de fond côté console : formes rendues par l'API, types lançables, couleurs des états, charge JSON saisie.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Tone } from '../../components/StateBadge';
import { labelOf } from '../../i18n';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_TONES: Record<JobState, Tone> = { queued: 'Information', running: 'Information', succeeded: 'Positive', failed: 'Negative', cancelled: 'Critical' };

export interface Job {
  id: string;
  name: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  scheduleId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  result: unknown;
  error: string | null;
  createdAt: string;
}

export interface Schedule {
  id: string;
  key: string;
  job: string;
  cron: string;
  timezone: string;
  payload: Record<string, unknown>;
  source: string;
  active: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastJobId: string | null;
}

export interface JobType {
  name: string;
  label: Record<string, string> | null;
  manual: boolean;
}

/** Types de travaux déclarés (tous, pour les libellés ; `manual` : ceux qu'un administrateur lance ou planifie). */
export function useJobTypes() {
  const query = useQuery({ queryKey: ['jobs', 'types'], queryFn: () => api.request<{ data: JobType[] }>('GET', '/jobs/types').then((r) => r.data), staleTime: 300_000 });
  const all = query.data ?? [];
  return {
    all,
    manual: all.filter((type) => type.manual),
    label: (name: string) => labelOf(all.find((type) => type.name === name)?.label ?? undefined, name),
  };
}

/** Charge saisie : vide → aucune ; sinon du JSON (la forme est vérifiée par le serveur). Lève une SyntaxError. */
export function parsePayload(text: string): unknown {
  return text.trim() ? JSON.parse(text) : undefined;
}
