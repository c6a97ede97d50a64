// Console : abonnements webhook (entité `webhook`, créés et modifiés sur la fiche générique) — adresse, événements,
// état, motif d'une désactivation automatique ; envoi d'essai et journal des envois de l'abonnement choisi.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { RouterLink } from '../components/RouterLink';
import { StateBadge } from '../components/StateBadge';
import classes from './AdminPage.module.css';
import { WebhookDeliveries } from './webhooks/WebhookDeliveries';

interface Subscription {
  id: string;
  name: string;
  url: string;
  events: string[] | null;
  active: boolean;
  failureCount: number | null;
  disabledReason: string | null;
}

const FIELDS = 'id,name,url,events,active,failureCount,disabledReason';
const COLUMNS = ['name', 'url', 'events', 'active', 'disabledReason'] as const;
const TONES = { active: 'Positive', inactive: 'None', disabled: 'Negative' } as const;

export default function WebhooksPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const [message, setMessage] = useState<{ design: 'Negative' | 'Positive'; text: string } | undefined>();
  const subscriptions = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => api.records.list<Subscription>('webhook', { limit: 200, sort: 'name', fields: FIELDS }).then((r) => r.data),
  });
  const selected = subscriptions.data?.find((s) => s.id === search.get('webhook'));

  const select = (subscription: Subscription) => setSearch({ webhook: subscription.id }, { replace: true });

  async function test(subscription: Subscription) {
    setMessage(undefined);
    try {
      await api.request('POST', `/webhooks/${subscription.id}/test`, {});
      select(subscription);
      await queries.invalidateQueries({ queryKey: ['webhook-deliveries'] });
      setMessage({ design: 'Positive', text: t('webhookLog.testSent', { name: subscription.name }) });
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
  }

  const state = (s: Subscription) => (s.disabledReason ? 'disabled' : s.active ? 'active' : 'inactive');

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('webhookLog.title')}</Title>
      <Text className={classes.muted}>{t('webhookLog.intro')}</Text>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role={message.design === 'Negative' ? 'alert' : 'status'}>{message.text}</MessageStrip>}
      <div><Button icon="add" design="Emphasized" data-action="new-webhook" onClick={() => navigate('/data/webhook/new')}>{t('webhookLog.new')}</Button></div>
      <Table accessibleName={t('webhookLog.title')} loading={subscriptions.isFetching && !subscriptions.data} noDataText={t('webhookLog.none')}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`webhookLog.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {(subscriptions.data ?? []).map((s) => (
          <TableRow key={s.id} rowKey={s.id} data-webhook={s.name} data-selected={selected?.id === s.id ? 'true' : 'false'}>
            <TableCell><RouterLink to={`/data/webhook/${s.id}`} name="record">{s.name}</RouterLink></TableCell>
            <TableCell><Text style={{ wordBreak: 'break-all' }}>{s.url}</Text></TableCell>
            <TableCell><Text>{(s.events ?? []).join(', ')}</Text></TableCell>
            <TableCell><StateBadge state={state(s)} tones={TONES} label={t(`webhookLog.states.${state(s)}`)} /></TableCell>
            <TableCell><Text maxLines={2}>{s.disabledReason ?? ''}</Text></TableCell>
            <TableCell>
              <div className={classes.actions}>
                <Button design="Transparent" data-action="deliveries" onClick={() => select(s)}>{t('webhookLog.deliveries')}</Button>
                <Button design="Transparent" data-action="test" onClick={() => void test(s)}>{t('webhookLog.test')}</Button>
              </div>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      {selected && <WebhookDeliveries key={selected.id} webhook={selected} />}
    </div>
  );
}
