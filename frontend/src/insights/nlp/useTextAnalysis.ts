// Analyses stockées des champs de texte d'une fiche (GET /api/v1/ai/nlp/records/{entité}/{id}), partagées par le
// badge et la section : une seule requête, relue quand la fiche change.
import { useQuery } from '@tanstack/react-query';
import type { RecordData } from '@opsflux/sdk';
import { api } from '../../api/client';
import type { EntityMeta } from '../../metadata/types';

export interface TextEntity {
  type: 'person' | 'organisation' | 'amount' | 'date' | 'record' | 'email' | 'phone';
  text: string;
  start: number;
  end: number;
  value?: unknown;
  match?: { entity: string; id: string; label: string };
}

export interface FieldAnalysis {
  field: string;
  language: 'fr' | 'en' | 'und';
  sentiment: { score: number; label: 'positive' | 'negative' | 'neutral' };
  keywords: string[];
  entities: TextEntity[];
  analysedAt: string;
}

/** L'entité a-t-elle un champ de texte long (seules celles-là peuvent être analysées). */
export const hasTextField = (meta: EntityMeta) => !meta.abstract && meta.fields.some((f) => f.type === 'text');

export function useTextAnalysis(meta: EntityMeta, record: RecordData) {
  return useQuery({
    queryKey: ['ai-nlp-record', meta.name, record.id, record.updatedAt],
    queryFn: () => api.request<{ data: FieldAnalysis[] }>('GET', `/ai/nlp/records/${encodeURIComponent(meta.name)}/${String(record.id)}`),
    staleTime: 30_000,
  });
}
