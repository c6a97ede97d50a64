// Ce que l'intelligence locale montre sur une fiche enregistrée : badges de l'en-tête et sections, tirés du registre.
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ObjectPageSection } from '@ui5/webcomponents-react';
import { RECORD_INSIGHTS, type RecordInsight, type RecordInsightProps } from './registry';

/** Rien sur un enregistrement supprimé : ses analyses ne sont plus lisibles (corbeille). */
const shown = (placement: RecordInsight['placement'], props: RecordInsightProps) => (props.record.deletedAt ? [] :
  RECORD_INSIGHTS.filter((insight) => insight.placement === placement && (insight.appliesTo?.(props.meta) ?? true)));

/** Badges de l'en-tête de la fiche. */
export function RecordInsightBadges(props: RecordInsightProps) {
  return <>{shown('header', props).map(({ id, Component }) => <Suspense key={id} fallback={null}><Component {...props} /></Suspense>)}</>;
}

/** Sections de la fiche (à placer dans les enfants de l'ObjectPage). */
export function useRecordInsightSections(props: RecordInsightProps | undefined): React.ReactElement[] {
  const { t } = useTranslation();
  if (!props) return [];
  return shown('section', props).map(({ id, titleKey, Component }) => (
    <ObjectPageSection key={`insight-${id}`} id={`insight-${id}`} titleText={titleKey ? t(titleKey) : id}>
      <Suspense fallback={null}><Component {...props} /></Suspense>
    </ObjectPageSection>
  ));
}
