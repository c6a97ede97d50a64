// Section « Analyse du texte » d'une fiche : pour chaque champ analysé, langue, sentiment, mots-clés et entités
// nommées (tiers et enregistrements retrouvés en liens, montants, dates…).
import { useTranslation } from 'react-i18next';
import { FlexBox, Label, MessageStrip, Tag, Text, Title } from '@ui5/webcomponents-react';
import { RouterLink } from '../../components/RouterLink';
import { labelOf } from '../../i18n';
import type { RecordInsightProps } from '../registry';
import { useTextAnalysis, type TextEntity } from './useTextAnalysis';

function EntityChip({ entity }: { entity: TextEntity }) {
  const { t } = useTranslation();
  const kind = t(`nlpPrediction.entity.${entity.type}`);
  if (entity.match) {
    return (
      <span data-nlp-entity={entity.type}>
        {kind} : <RouterLink to={`/data/${entity.match.entity}/${entity.match.id}`} name="nlp-entity">{entity.match.label}</RouterLink>
      </span>
    );
  }
  return <span data-nlp-entity={entity.type}>{kind} : {entity.text}</span>;
}

export default function TextAnalysis({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  const analyses = useTextAnalysis(meta, record);
  if (analyses.isLoading) return null;
  const data = analyses.data?.data ?? [];
  if (!data.length) return <MessageStrip hideCloseButton design="Information">{t('nlpPrediction.notAnalysed')}</MessageStrip>;
  return (
    <FlexBox direction="Column" style={{ gap: '1rem' }} data-testid="nlp-analysis">
      {data.map((a) => (
        <FlexBox key={a.field} direction="Column" style={{ gap: '0.4rem' }}>
          <Title level="H5">{labelOf(meta.fields.find((f) => f.name === a.field)?.label, a.field)}</Title>
          <FlexBox style={{ gap: '0.5rem' }} alignItems="Center" wrap="Wrap">
            <Label>{t('nlpPrediction.language')}</Label>
            <Text>{t(`nlpPrediction.languages.${a.language}`)}</Text>
            <Label>{t('nlpPrediction.sentimentLabel')}</Label>
            <Tag design={a.sentiment.label === 'negative' ? 'Negative' : a.sentiment.label === 'positive' ? 'Positive' : 'Neutral'}>
              {t(`nlpPrediction.sentiment.${a.sentiment.label}`)} ({a.sentiment.score.toFixed(2)})
            </Tag>
          </FlexBox>
          {a.keywords.length > 0 && <Text>{t('nlpPrediction.keywords')} : {a.keywords.join(', ')}</Text>}
          {a.entities.length > 0 && (
            <FlexBox style={{ gap: '0.75rem' }} wrap="Wrap">
              {a.entities.map((e) => <EntityChip key={`${e.start}-${e.end}`} entity={e} />)}
            </FlexBox>
          )}
        </FlexBox>
      ))}
    </FlexBox>
  );
}
