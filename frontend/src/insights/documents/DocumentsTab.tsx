// Onglet « Documents » de la page Analyses : les dernières lectures de documents (brouillons à relire d'abord),
// et la relecture de celle choisie.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import classes from '../../admin/AdminPage.module.css';
import { DocumentReview } from './DocumentReview';
import type { Extraction } from './types';

type Row = Pick<Extraction, 'id' | 'status' | 'fileName'> & { createdAt: string };

export default function DocumentsTab() {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<string>();
  const list = useQuery({
    queryKey: ['ai-documents'],
    queryFn: () => api.request<{ data: Row[] }>('GET', '/data/document_extraction?sort=-createdAt&limit=50&fields=id,status,fileName,createdAt'),
  });
  if (list.error) return <MessageStrip design="Information" hideCloseButton>{problemText(list.error)}</MessageStrip>;
  return (
    <div className={classes.form}>
      <Text className={classes.muted}>{t('documents.intro')}</Text>
      <Table accessibleName="documents" data-insight="documents-list" loading={list.isLoading} noDataText={t('documents.none')} headerRow={<TableHeaderRow>
        <TableHeaderCell>{t('documents.file')}</TableHeaderCell>
        <TableHeaderCell>{t('documents.statusLabel')}</TableHeaderCell>
        <TableHeaderCell>{t('documents.date')}</TableHeaderCell>
        <TableHeaderCell />
      </TableHeaderRow>}>
        {(list.data?.data ?? []).map((row) => (
          <TableRow key={row.id} rowKey={row.id} data-extraction={row.id}>
            <TableCell><Text>{row.fileName}</Text></TableCell>
            <TableCell><Text>{t(`documents.status.${row.status}`)}</Text></TableCell>
            <TableCell><Text>{new Date(row.createdAt).toLocaleString()}</Text></TableCell>
            <TableCell><Button design="Transparent" data-action="review-document" onClick={() => setSelected(row.id)}>{t('documents.review')}</Button></TableCell>
          </TableRow>
        ))}
      </Table>
      {selected && <DocumentReview id={selected} />}
    </div>
  );
}
