// Sections « Achetés ensemble » (fiche d'un article) et « Articles recommandés » (fiche d'un client) : co-occurrences
// apprises localement sur les lignes de commande (API /ai/recommendations).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RecordInsightProps } from '../registry';
import { RecommendationTable } from './RecommendationTable';

interface Recommendation {
  id: string;
  entity: string;
  display: string;
  score: number;
  lift: number;
  reason: 'together' | 'popular';
}

function Recommended({ path, name, noData }: { path: string; name: string; noData: string }) {
  const found = useQuery({ queryKey: ['ai-recommend', path], queryFn: () => api.request<{ data: Recommendation[] }>('GET', path), staleTime: 60_000 });
  const rows = found.data?.data.map((r) => ({ ...r, reasons: [r.reason] }));
  return <RecommendationTable name={name} rows={rows} loading={found.isLoading} error={found.error} noData={noData} />;
}

export function BoughtTogether({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  return <Recommended name="bought-together" path={`/ai/recommendations?entity=${encodeURIComponent(meta.name)}&id=${record.id}`} noData={t('recommend.noTogether')} />;
}

export function NextProducts({ record }: RecordInsightProps) {
  const { t } = useTranslation();
  return <Recommended name="next-products" path={`/ai/recommendations/next?customer=${record.id}`} noData={t('recommend.noTogether')} />;
}
