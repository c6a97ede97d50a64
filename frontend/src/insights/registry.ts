// Points d'extension de l'intelligence locale dans l'application : chaque capacité (prévisions, anomalies, graphe,
// documents…) y inscrit ce qu'elle montre sur une fiche (badge dans l'en-tête, section) ou comme onglet de la page
// « Analyses ». Les composants sont chargés à la demande : la fiche ne paie que ce qu'elle affiche.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { RecordData } from '@opsflux/sdk';
import type { EntityMeta } from '../metadata/types';

export interface RecordInsightProps {
  meta: EntityMeta;
  record: RecordData;
}

type Lazy<P> = LazyExoticComponent<ComponentType<P>> | ComponentType<P>;

export interface RecordInsight {
  id: string;
  /** `header` : à côté du titre (badge, statut) ; `section` : une section de la fiche, après les détails */
  placement: 'header' | 'section';
  /** clé i18n du titre de la section */
  titleKey?: string;
  /** la fiche de cette entité la montre-t-elle (par défaut toutes) */
  appliesTo?: (meta: EntityMeta) => boolean;
  Component: Lazy<RecordInsightProps>;
}

export interface InsightTab {
  id: string;
  /** clé i18n du titre de l'onglet */
  titleKey: string;
  Component: Lazy<object>;
}

/** Ce que les capacités montrent sur les fiches, dans l'ordre de la liste. */
export const RECORD_INSIGHTS: RecordInsight[] = [
  // valeurs inhabituelles des champs surveillés (réglage ai.local.anomaly.watch)
  { id: 'anomalies', placement: 'header', appliesTo: (meta) => !meta.abstract, Component: lazy(() => import('./anomalies/AnomalyBadge')) },
  { id: 'similar', placement: 'section', titleKey: 'recommend.similar', appliesTo: (meta) => !meta.abstract && meta.display !== null, Component: lazy(() => import('./recommend/SimilarRecords')) },
  // articles et clients des paniers par défaut (réglage ai.local.recommend.baskets : lignes de commande des ventes)
  { id: 'bought-together', placement: 'section', titleKey: 'recommend.boughtTogether', appliesTo: (meta) => meta.name === 'inv_product', Component: lazy(() => import('./recommend/Recommended').then((m) => ({ default: m.BoughtTogether }))) },
  { id: 'next-products', placement: 'section', titleKey: 'recommend.nextProducts', appliesTo: (meta) => meta.name === 'customer', Component: lazy(() => import('./recommend/Recommended').then((m) => ({ default: m.NextProducts }))) },
  // analyse des textes (réglage ai.local.nlp.fields) : sentiment en badge, langue, mots-clés et entités en section
  { id: 'text-sentiment', placement: 'header', appliesTo: (meta) => !meta.abstract && meta.fields.some((f) => f.type === 'text'), Component: lazy(() => import('./nlp/SentimentBadge')) },
  { id: 'text-analysis', placement: 'section', titleKey: 'nlpPrediction.analysisTitle', appliesTo: (meta) => !meta.abstract && meta.fields.some((f) => f.type === 'text'), Component: lazy(() => import('./nlp/TextAnalysis')) },
  // enregistrements liés par des références dans les deux sens (graphe des enregistrements)
  { id: 'relations', placement: 'section', titleKey: 'graphProcess.relations.title', appliesTo: (meta) => !meta.abstract, Component: lazy(() => import('./graph/RelationsSection')) },
  // pièces jointes image ou PDF d'une fiche : lecture locale (OCR) et extraction de facture à relire
  { id: 'documents', placement: 'section', titleKey: 'documents.title', appliesTo: (meta) => !meta.abstract && meta.name !== 'document_extraction' && meta.name !== 'attachment', Component: lazy(() => import('./documents/DocumentsSection')) },
];

/** Onglets de la page « Analyses » (/insights), dans l'ordre de la liste. */
export const INSIGHT_TABS: InsightTab[] = [
  { id: 'forecasts', titleKey: 'forecastsAnomalies.forecast.tab', Component: lazy(() => import('./forecasts/ForecastTab')) },
  { id: 'optimisation', titleKey: 'recommend.optimisation', Component: lazy(() => import('./recommend/ReplenishmentPlan')) },
  { id: 'documents', titleKey: 'documents.tab', Component: lazy(() => import('./documents/DocumentsTab')) },
  { id: 'process', titleKey: 'graphProcess.process.tab', Component: lazy(() => import('./process/ProcessTab')) },
];
