// Section « Relations » d'une fiche : les enregistrements liés par des références dans les deux sens (graphe des
// enregistrements, /ai/graph/neighbours), à un ou deux liens, avec les droits de l'utilisateur.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, MessageStrip, SegmentedButton, SegmentedButtonItem, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import type { RecordInsightProps } from '../registry';
import { RelationsGraph } from './RelationsGraph';
import type { Neighbourhood } from './types';

const DEPTHS = [1, 2] as const;

export default function RelationsSection({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  const [depth, setDepth] = useState<number>(1);
  const graph = useQuery({
    queryKey: ['ai-graph', meta.name, record.id, depth],
    queryFn: () => api.request<Neighbourhood>('GET', `/ai/graph/neighbours?entity=${encodeURIComponent(meta.name)}&id=${String(record.id)}&depth=${depth}`),
    staleTime: 60_000,
  });

  return (
    <div data-insight="relations" style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem' }}>
      <SegmentedButton accessibleName={t('graphProcess.relations.depth')} onSelectionChange={(e) => setDepth(Number(e.detail.selectedItems[0]?.dataset.depth ?? 1))}>
        {DEPTHS.map((d) => <SegmentedButtonItem key={d} data-depth={d} selected={d === depth}>{t('graphProcess.relations.links', { count: d })}</SegmentedButtonItem>)}
      </SegmentedButton>
      {graph.isLoading && <BusyIndicator active delay={300} />}
      {graph.error && <MessageStrip design="Information" hideCloseButton>{problemText(graph.error)}</MessageStrip>}
      {graph.data && graph.data.nodes.length <= 1 && <Text>{t('graphProcess.relations.none')}</Text>}
      {graph.data && graph.data.nodes.length > 1 && <RelationsGraph graph={graph.data} />}
      {graph.data?.truncated && <Text>{t('graphProcess.relations.truncated', { count: graph.data.nodes.length })}</Text>}
    </div>
  );
}
