// Points d'extension de l'intelligence locale dans l'application : chaque capacité (prévisions, anomalies, graphe,
// documents…) y inscrit ce qu'elle montre sur une fiche (badge dans l'en-tête, section) ou comme onglet de la page
// « Analyses ». Les composants sont chargés à la demande : la fiche ne paie que ce qu'elle affiche.
import type { ComponentType, LazyExoticComponent } from 'react';
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
export const RECORD_INSIGHTS: RecordInsight[] = [];

/** Onglets de la page « Analyses » (/insights), dans l'ordre de la liste. */
export const INSIGHT_TABS: InsightTab[] = [];
