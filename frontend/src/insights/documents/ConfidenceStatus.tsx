// Confiance d'un champ lu, en couleur : sûre (≥ 0,9), à vérifier (≥ 0,6), douteuse, absente.
import { ObjectStatus } from '@ui5/webcomponents-react';
import { useTranslation } from 'react-i18next';

export function ConfidenceStatus({ confidence, present }: { confidence: number; present: boolean }) {
  const { t } = useTranslation();
  const state = !present ? 'None' : confidence >= 0.9 ? 'Positive' : confidence >= 0.6 ? 'Critical' : 'Negative';
  const label = present ? t('documents.confidence', { value: Math.round(confidence * 100) }) : t('documents.notFound');
  return <ObjectStatus state={state} data-state={state} data-confidence={present ? confidence : 'none'}>{label}</ObjectStatus>;
}
