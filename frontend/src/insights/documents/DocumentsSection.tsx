// Section « Documents » d'une fiche : ses pièces jointes image ou PDF, chacune avec « Extraire » (lecture locale :
// couche texte du PDF, OCR sinon), puis la relecture du brouillon.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import classes from '../../admin/AdminPage.module.css';
import type { RecordInsightProps } from '../registry';
import { DocumentReview } from './DocumentReview';
import { useStartExtraction } from './useExtraction';

interface Attachment { id: string; name: string; mime: string }

const READABLE = /^(image\/(png|jpeg|webp|tiff|gif|bmp)|application\/pdf)$/;

export default function DocumentsSection({ meta, record }: RecordInsightProps) {
  const { t } = useTranslation();
  const [extraction, setExtraction] = useState<string>();
  const files = useQuery({
    queryKey: ['files', meta.name, record.id],
    queryFn: () => api.request<{ data: Attachment[] }>('GET', `/files?entity=${encodeURIComponent(meta.name)}&recordId=${String(record.id)}`),
    staleTime: 10_000,
  });
  const start = useStartExtraction(setExtraction);
  const readable = (files.data?.data ?? []).filter((f) => READABLE.test(f.mime));
  if (files.error) return <MessageStrip design="Information" hideCloseButton>{problemText(files.error)}</MessageStrip>;
  return (
    <div className={classes.form} data-insight="documents">
      {readable.length === 0 && <Text className={classes.muted}>{t('documents.noFiles')}</Text>}
      {readable.map((file) => (
        <div key={file.id} className={classes.row} data-document-file={file.name}>
          <Text>{file.name}</Text>
          <Button data-action="extract-document" disabled={start.isPending} onClick={() => start.mutate(file.id)}>{t('documents.extract')}</Button>
        </div>
      ))}
      {start.error && <MessageStrip design="Negative" hideCloseButton data-document-error>{problemText(start.error)}</MessageStrip>}
      {extraction && <DocumentReview id={extraction} />}
    </div>
  );
}
