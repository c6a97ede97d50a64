// Tableau de fiches proposées (semblables, achetées ensemble, recommandées) : lien vers chaque fiche, ce qui les
// rapproche, score.
import { useTranslation } from 'react-i18next';
import { MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import { problemText } from '../../api/client';
import { RouterLink } from '../../components/RouterLink';

export interface Proposed {
  id: string;
  entity: string;
  display: string;
  score: number;
  /** ce qui rapproche : noms de champs, `purchases`, mots ; ou `together` / `popular` */
  reasons: string[];
}

interface Props {
  name: string;
  rows: Proposed[] | undefined;
  loading: boolean;
  error: unknown;
  noData: string;
}

export function RecommendationTable({ name, rows, loading, error, noData }: Props) {
  const { t } = useTranslation();
  if (error) return <MessageStrip design="Information" hideCloseButton>{problemText(error)}</MessageStrip>;
  const reason = (r: string) => t(`recommend.reasons.${r}`, { defaultValue: r });
  return (
    <Table accessibleName={name} data-insight={name} loading={loading} noDataText={noData} headerRow={<TableHeaderRow>
      <TableHeaderCell>{t('recommend.record')}</TableHeaderCell>
      <TableHeaderCell>{t('recommend.inCommon')}</TableHeaderCell>
      <TableHeaderCell>{t('recommend.score')}</TableHeaderCell>
    </TableHeaderRow>}>
      {(rows ?? []).map((r) => (
        <TableRow key={r.id} rowKey={r.id} data-proposed={r.id}>
          <TableCell><RouterLink to={`/data/${r.entity}/${r.id}`} name="record">{r.display}</RouterLink></TableCell>
          <TableCell><Text>{r.reasons.map(reason).join(', ')}</Text></TableCell>
          <TableCell><Text>{r.score.toFixed(2)}</Text></TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
