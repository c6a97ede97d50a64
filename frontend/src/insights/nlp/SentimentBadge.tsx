// Badge de l'en-tête d'une fiche : le sentiment de ses textes analysés (le plus négatif l'emporte) ; rien sans analyse.
import { useTranslation } from 'react-i18next';
import { Tag } from '@ui5/webcomponents-react';
import type { RecordInsightProps } from '../registry';
import { useTextAnalysis } from './useTextAnalysis';

const DESIGN = { negative: 'Negative', positive: 'Positive', neutral: 'Neutral' } as const;

export default function SentimentBadge({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  const analyses = useTextAnalysis(meta, record).data?.data ?? [];
  if (!analyses.length) return null;
  const worst = analyses.reduce((a, b) => (b.sentiment.score < a.sentiment.score ? b : a));
  const label = worst.sentiment.label;
  return (
    <Tag design={DESIGN[label]} data-sentiment={label} title={t('nlpPrediction.sentimentTooltip', { score: worst.sentiment.score.toFixed(2), field: worst.field })}>
      {t(`nlpPrediction.sentiment.${label}`)}
    </Tag>
  );
}
