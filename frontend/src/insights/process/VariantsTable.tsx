// Variantes du processus : suites d'états distinctes, avec leur nombre d'enregistrements et leur part.
import { useTranslation } from 'react-i18next';
import { Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import type { ProcessResult } from './types';

export function VariantsTable({ map }: { map: ProcessResult }) {
  const { t } = useTranslation();
  const name = (state: string) => map.labels[state] ?? state;
  return (
    <Table accessibleName={t('graphProcess.process.variants')} data-insight="variants" noDataText={t('graphProcess.process.noCases')} headerRow={<TableHeaderRow>
      <TableHeaderCell>{t('graphProcess.process.variant')}</TableHeaderCell>
      <TableHeaderCell>{t('graphProcess.process.cases')}</TableHeaderCell>
      <TableHeaderCell>{t('graphProcess.process.share')}</TableHeaderCell>
    </TableHeaderRow>}>
      {map.variants.map((v) => (
        <TableRow key={v.path.join('>')} rowKey={v.path.join('>')} data-variant={v.path.join('>')}>
          <TableCell><Text>{v.path.map(name).join(' → ')}</Text></TableCell>
          <TableCell><Text>{v.count}</Text></TableCell>
          <TableCell><Text>{`${Math.round(v.share * 100)} %`}</Text></TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
