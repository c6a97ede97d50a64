// Relecture d'un document lu : progression tant que la lecture tourne, puis les champs extraits, chacun avec sa
// confiance en couleur, modifiables ; l'utilisateur confirme (ou rejette) le brouillon.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, Button, CheckBox, Input, Label, MessageStrip, ObjectStatus, Text } from '@ui5/webcomponents-react';
import { problemText } from '../../api/client';
import classes from '../../admin/AdminPage.module.css';
import { ConfidenceStatus } from './ConfidenceStatus';
import { running, TEXT_FIELDS, type ExtractedFields, type TextField } from './types';
import { useExtraction, useReview } from './useExtraction';

export function DocumentReview({ id }: { id: string }) {
  const { t } = useTranslation();
  const extraction = useExtraction(id);
  const review = useReview(extraction.data);
  const [values, setValues] = useState<Partial<Record<TextField, string>>>({});
  const [linkSupplier, setLinkSupplier] = useState(true);
  const data = extraction.data;
  useEffect(() => setValues({}), [id]);

  if (extraction.error) return <MessageStrip design="Negative" hideCloseButton>{problemText(extraction.error)}</MessageStrip>;
  if (!data || running(data.status)) {
    return (
      <div data-document-progress={data?.status ?? 'pending'} className={classes.row}>
        <BusyIndicator active size="S" />
        <Text>{t(`documents.status.${data?.status ?? 'pending'}`)}</Text>
      </div>
    );
  }
  if (data.status === 'failed') return <MessageStrip design="Negative" hideCloseButton data-document-error>{data.error}</MessageStrip>;
  const fields = data.fields!;
  const value = (name: TextField) => values[name] ?? fields[name].value ?? '';
  const editable = data.status === 'draft';
  const confirm = () => {
    const edited = { ...fields } as ExtractedFields;
    for (const name of TEXT_FIELDS) {
      // une valeur corrigée par l'utilisateur devient sûre
      if (values[name] !== undefined && values[name] !== (fields[name].value ?? '')) edited[name] = { value: values[name] || null, confidence: 1 };
    }
    review.mutate({ status: 'confirmed', fields: edited, ...(linkSupplier && data.supplierMatch ? { supplier: data.supplierMatch.id } : {}) });
  };

  return (
    <div className={classes.form} data-document-review={data.id} data-status={data.status}>
      <Text className={classes.muted}>
        {t('documents.summary', { pages: data.pages ?? 0, seconds: ((data.durationMs ?? 0) / 1000).toFixed(1), engine: data.engine ?? '' })}
      </Text>
      {TEXT_FIELDS.map((name) => (
        <div key={name} className={classes.row} data-extracted={name}>
          <Label for={`doc-${name}`}>{t(`documents.fields.${name}`)}</Label>
          <Input id={`doc-${name}`} value={value(name)} readonly={!editable} accessibleName={t(`documents.fields.${name}`)}
            onInput={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} />
          <ConfidenceStatus confidence={fields[name].confidence} present={fields[name].value !== null} />
        </div>
      ))}
      <div className={classes.row} data-extracted="vatLines">
        <Label>{t('documents.fields.vatLines')}</Label>
        <Text>{(fields.vatLines.value ?? []).map((l) => t('documents.vatLine', { rate: l.rate, base: l.base ?? '?', amount: l.amount })).join(' · ') || '—'}</Text>
        <ConfidenceStatus confidence={fields.vatLines.confidence} present={fields.vatLines.value !== null} />
      </div>
      {data.supplierMatch && editable && (
        <CheckBox data-supplier-match={data.supplierMatch.id} checked={linkSupplier} onChange={(e) => setLinkSupplier(e.target.checked)}
          text={t('documents.linkSupplier', { name: data.supplierMatch.name, by: t(`documents.matchBy.${data.supplierMatch.by}`) })} />
      )}
      {review.error && <MessageStrip design="Negative" hideCloseButton>{problemText(review.error)}</MessageStrip>}
      {editable ? (
        <div className={classes.row}>
          <Button design="Emphasized" data-action="confirm-document" disabled={review.isPending} onClick={confirm}>{t('documents.confirm')}</Button>
          <Button design="Transparent" data-action="reject-document" disabled={review.isPending} onClick={() => review.mutate({ status: 'rejected' })}>{t('documents.reject')}</Button>
        </div>
      ) : (
        <ObjectStatus state={data.status === 'confirmed' ? 'Positive' : 'None'} data-final-status={data.status}>{t(`documents.status.${data.status}`)}</ObjectStatus>
      )}
    </div>
  );
}
