// IA côté console : formes rendues par l'API (consommation, journal des appels, suggestions des règles), couleurs
// des états, nombres dans la langue courante, libellés des utilisateurs et des enregistrements cités.
import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RecordData } from '@opsflux/sdk';
import { api } from '../../api/client';
import { useEntityMeta } from '../../api/queries';
import type { Tone } from '../../components/StateBadge';
import type { EntityMeta } from '../../metadata/types';
import { recordTitle } from '../../metadata/values';

export const USAGE_GROUPS = ['feature', 'user', 'provider', 'model', 'day'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

export interface UsageRow {
  key: string;
  calls: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export interface AiRequest {
  id: string;
  userId: string | null;
  feature: string;
  provider: string | null;
  model: string | null;
  status: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  durationMs: number;
  requestId: string | null;
  error: string | null;
  prompt: unknown;
  response: string | null;
  at: string;
}

export const SUGGESTION_STATUSES = ['pending', 'applied', 'rejected', 'failed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

export interface Suggestion {
  id: string;
  ruleId: string | null;
  ruleName: string | null;
  task: string;
  entity: string;
  recordId: string;
  values: Record<string, unknown>;
  confidence: number | null;
  provider: string | null;
  model: string | null;
  status: SuggestionStatus;
  error: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export const REQUEST_TONES: Record<string, Tone> = { ok: 'Positive', failed: 'Negative', refused: 'Critical' };
export const SUGGESTION_TONES: Record<SuggestionStatus, Tone> = { pending: 'Information', applied: 'Positive', rejected: 'Critical', failed: 'Negative' };

/** Formats de nombres de la langue courante : entiers, coûts (unité déclarée par fournisseur), pourcentages. */
export function useNumbers() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const integer = new Intl.NumberFormat(i18n.language);
    const cost = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
    const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
    return {
      integer: (value: number) => integer.format(value),
      cost: (value: number) => cost.format(value),
      percent: (value: number | null) => (value === null ? '—' : percent.format(value)),
    };
  }, [i18n.language]);
}

/** Libellé d'une fonction (assistant, automatisation…) ; une fonction inconnue garde son nom. */
export function useFeatureLabel() {
  const { t } = useTranslation();
  return useCallback((feature: string) => t(`ai.features.${feature}`, { defaultValue: feature }), [t]);
}

/** Noms des utilisateurs cités (une requête pour tous) ; l'identifiant tant qu'il n'est pas connu. */
export function useUserLabels(ids: Array<string | null>) {
  const unique = useMemo(() => [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().slice(0, 200), [ids]);
  const meta = useEntityMeta(unique.length ? 'user' : undefined);
  const users = useQuery({
    queryKey: ['ai-user-labels', unique],
    enabled: unique.length > 0,
    staleTime: 60_000,
    queryFn: () => api.records.list<RecordData>('user', { filter: { id: { in: unique } }, limit: 200 }).then((page) => page.data),
  });
  return useCallback((id: string) => {
    const user = users.data?.find((row) => row.id === id);
    return user ? recordTitle(meta.data, user) : id;
  }, [users.data, meta.data]);
}

/** Titres des enregistrements visés par des suggestions : une requête par entité, quel que soit le nombre de lignes. */
export function useRecordTitles(items: Array<{ entity: string; recordId: string }>, metas: EntityMeta[] | undefined) {
  const key = useMemo(() => {
    const byEntity = new Map<string, Set<string>>();
    for (const { entity, recordId } of items) byEntity.set(entity, (byEntity.get(entity) ?? new Set()).add(recordId));
    return [...byEntity].map(([entity, ids]) => [entity, [...ids].sort().slice(0, 200)] as const).sort(([a], [b]) => a.localeCompare(b));
  }, [items]);
  const titles = useQuery({
    queryKey: ['ai-record-titles', key],
    enabled: key.length > 0 && metas !== undefined,
    staleTime: 60_000,
    queryFn: async () => {
      const found = new Map<string, string>();
      await Promise.all(key.map(async ([entity, ids]) => {
        const page = await api.records.list<RecordData>(entity, { filter: { id: { in: ids } }, limit: 200 });
        const meta = metas?.find((m) => m.name === entity);
        for (const record of page.data) found.set(`${entity}/${record.id}`, recordTitle(meta, record));
      }));
      return found;
    },
  });
  return useCallback((entity: string, id: string) => titles.data?.get(`${entity}/${id}`), [titles.data]);
}
