// Console : journal des erreurs — groupes ouverts ou résolus, occurrences, dernière apparition, route, pile ;
// résoudre ou rouvrir un groupe.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, ObjectStatus, Panel, SegmentedButton, SegmentedButtonItem, Text, Title } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { useDateTime } from '../components/useDateTime';
import classes from './AdminPage.module.css';

interface ErrorGroup {
  id: string;
  source: string;
  kind: string;
  message: string;
  stack: string | null;
  method: string | null;
  route: string | null;
  count: number;
  firstSeen: string;
  lastSeen: string;
  lastRequestId: string | null;
  resolvedAt: string | null;
  platform: boolean;
}

type Status = 'open' | 'resolved' | 'all';

export default function ErrorsPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const [message, setMessage] = useState<string | undefined>();
  const groups = useQuery({ queryKey: ['errors', status], queryFn: () => api.request<{ data: ErrorGroup[] }>('GET', `/errors?status=${status}&limit=200`).then((r) => r.data) });
  const when = useDateTime();

  async function transition(group: ErrorGroup, action: 'resolve' | 'reopen') {
    try {
      await api.request('POST', `/errors/${group.id}/${action}`, {});
      await queries.invalidateQueries({ queryKey: ['errors'] });
    } catch (failure) {
      setMessage(problemText(failure));
    }
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('errorLog.title')}</Title>
      {message && <MessageStrip design="Negative" onClose={() => setMessage(undefined)}>{message}</MessageStrip>}
      <SegmentedButton accessibleName={t('errorLog.status')} onSelectionChange={(e) => setStatus((e.detail.selectedItems[0]?.dataset.status ?? 'open') as Status)}>
        {(['open', 'resolved', 'all'] as const).map((s) => <SegmentedButtonItem key={s} data-status={s} selected={status === s}>{t(`errorLog.statuses.${s}`)}</SegmentedButtonItem>)}
      </SegmentedButton>
      {groups.data?.length === 0 && <Text data-empty>{t('errorLog.none')}</Text>}
      {(groups.data ?? []).map((group) => (
        <Panel key={group.id} data-error-group={group.id} collapsed fixed={false}
          header={
            <div className={classes.row} style={{ width: '100%', justifyContent: 'space-between', alignItems: 'center' }}>
              <Text><b>{group.kind}</b> · {group.message}</Text>
              <div className={classes.row} style={{ alignItems: 'center' }}>
                <ObjectStatus state={group.resolvedAt ? 'Positive' : 'Negative'}>{t('errorLog.count', { count: group.count })}</ObjectStatus>
                <Button design="Transparent" data-action={group.resolvedAt ? 'reopen' : 'resolve'} onClick={(e) => {
                  e.stopPropagation();
                  void transition(group, group.resolvedAt ? 'reopen' : 'resolve');
                }}>{group.resolvedAt ? t('errorLog.reopen') : t('errorLog.resolve')}</Button>
              </div>
            </div>
          }>
          <div className={classes.form}>
            <Text>{t('errorLog.where', { source: group.source, route: `${group.method ?? ''} ${group.route ?? ''}`.trim() || '—' })}</Text>
            <Text>{t('errorLog.seen', { first: when(group.firstSeen), last: when(group.lastSeen) })}</Text>
            {group.lastRequestId && <Text>{t('errorLog.request', { id: group.lastRequestId })}</Text>}
            {group.stack && <pre style={{ whiteSpace: 'pre-wrap', fontSize: '0.75rem', margin: 0 }}>{group.stack}</pre>}
          </div>
        </Panel>
      ))}
    </div>
  );
}
