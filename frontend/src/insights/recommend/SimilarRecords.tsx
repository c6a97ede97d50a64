// Section « Fiches semblables » d'une fiche : TF-IDF local sur les mots, attributs et achats (API /ai/similar).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RecordInsightProps } from '../registry';
import { RecommendationTable, type Proposed } from './RecommendationTable';

type Similar = Omit<Proposed, 'entity'>;

export default function SimilarRecords({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  const similar = useQuery({
    queryKey: ['ai-similar', meta.name, record.id],
    queryFn: () => api.request<{ data: Similar[] }>('GET', `/ai/similar?entity=${encodeURIComponent(meta.name)}&id=${record.id}`),
    staleTime: 60_000,
  });
  const rows = similar.data?.data.map((s) => ({ ...s, entity: meta.name }));
  return <RecommendationTable name="similar" rows={rows} loading={similar.isLoading} error={similar.error} noData={t('recommend.noSimilar')} />;
}
