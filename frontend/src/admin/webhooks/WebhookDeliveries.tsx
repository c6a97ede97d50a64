// Journal des envois d'un abonnement webhook : état, tentatives, statut de la réponse, durée, erreur, corps de la
// réponse ; rejeu d'un envoi (même événement, nouvel envoi). Relu tant qu'un envoi est en cours.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { useCursorList } from '../../api/cursorList';
import { CodeBlock } from '../../components/CodeBlock';
import { LoadMore } from '../../components/LoadMore';
import { StateBadge, type Tone } from '../../components/StateBadge';
import { formatDuration, useDateTime } from '../../components/useDateTime';
import classes from '../AdminPage.module.css';

const STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'skipped'] as const;
type Status = (typeof STATUSES)[number];
const TONES: Record<Status, Tone> = { pending: 'Information', retrying: 'Critical', succeeded: 'Positive', failed: 'Negative', skipped: 'None' };
const COLUMNS = ['topic', 'status', 'attempts', 'response', 'duration', 'created', 'error'] as const;

interface Delivery {
  id: string;
  topic: string;
  status: Status;
  manual: boolean;
  replayOf: string | null;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: string;
}

export function WebhookDeliveries({ webhook }: { webhook: { id: string; name: string } }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const when = useDateTime();
  const [status, setStatus] = useState('');
  const [expanded, setExpanded] = useState<string | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const deliveries = useCursorList<Delivery>('webhook-deliveries', `/webhooks/${webhook.id}/deliveries`, {
    params: { status }, live: (d) => d.status === 'pending' || d.status === 'retrying',
  });
  const open = deliveries.rows.find((d) => d.id === expanded);

  async function replay(delivery: Delivery) {
    try {
      await api.request('POST', `/webhooks/deliveries/${delivery.id}/replay`, {});
      await queries.invalidateQueries({ queryKey: ['webhook-deliveries'] });
    } catch (failure) {
      setMessage(problemText(failure));
    }
  }

  return (
    <section className={classes.form} style={{ maxWidth: 'none' }} data-deliveries={webhook.id} aria-labelledby="deliveries-title">
      <Title level="H2" size="H4" id="deliveries-title">{t('webhookLog.deliveriesOf', { name: webhook.name })}</Title>
      {message && <MessageStrip design="Negative" onClose={() => setMessage(undefined)} role="alert">{message}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="deliveries-status">{t('webhookLog.columns.status')}</Label>
          <Select id="deliveries-status" accessibleName={t('webhookLog.columns.status')} onChange={(e) => setStatus(e.detail.selectedOption.getAttribute('value') ?? '')}>
            {['', ...STATUSES].map((s) => <Option key={s} value={s} selected={status === s}>{s ? t(`webhookLog.statuses.${s}`) : t('filters.any')}</Option>)}
          </Select>
        </div>
        <Button icon="refresh" onClick={() => void deliveries.refetch()}>{t('background.refresh')}</Button>
      </div>
      <Table accessibleName={t('webhookLog.deliveriesOf', { name: webhook.name })} loading={deliveries.isFetching && !deliveries.data} noDataText={t('webhookLog.noDelivery')}
        onRowClick={(e) => {
          const id = String((e.detail.row as unknown as { rowKey: string }).rowKey);
          setExpanded((current) => (current === id ? undefined : id));
        }}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`webhookLog.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {deliveries.rows.map((d) => (
          <TableRow key={d.id} rowKey={d.id} interactive data-delivery={d.topic} data-delivery-status={d.status} data-replay={d.replayOf ? 'true' : 'false'}>
            <TableCell><Text>{d.topic}{d.replayOf ? ` · ${t('webhookLog.replayed')}` : ''}</Text></TableCell>
            <TableCell><StateBadge state={d.status} tones={TONES} label={t(`webhookLog.statuses.${d.status}`)} /></TableCell>
            <TableCell><Text>{d.attempts}</Text></TableCell>
            <TableCell><Text>{d.responseStatus ?? '—'}</Text></TableCell>
            <TableCell><Text>{formatDuration(d.durationMs, i18n.language)}</Text></TableCell>
            <TableCell><Text>{when(d.createdAt)}</Text></TableCell>
            <TableCell><Text maxLines={2}>{d.error ?? ''}</Text></TableCell>
            <TableCell>
              <Button design="Transparent" data-action="replay" disabled={d.status === 'pending' || d.status === 'retrying'}
                onClick={(e) => { e.stopPropagation(); void replay(d); }}>{t('webhookLog.replay')}</Button>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <LoadMore {...deliveries} />
      {open && (
        <div className={classes.form} style={{ maxWidth: 'none' }} data-delivery-detail={open.id}>
          <CodeBlock label={t('webhookLog.error')} value={open.error} name="error" />
          <CodeBlock label={t('webhookLog.responseBody')} value={open.responseBody} name="response" />
        </div>
      )}
    </section>
  );
}
