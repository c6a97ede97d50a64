// Journal des appels à l'IA, les plus récents d'abord, pages par curseur ; détail d'un appel avec le prompt et la
// réponse quand le tenant les garde (réglage ai.requestLog), sinon l'explication de ce réglage.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import { useCursorList } from '../../api/cursorList';
import { CodeBlock } from '../../components/CodeBlock';
import { DialogFooter } from '../../components/DialogFooter';
import { LoadMore } from '../../components/LoadMore';
import { RouterLink } from '../../components/RouterLink';
import { StateBadge } from '../../components/StateBadge';
import { formatDuration, useDateTime } from '../../components/useDateTime';
import classes from '../AdminPage.module.css';
import { REQUEST_TONES, useFeatureLabel, useNumbers, useUserLabels, type AiRequest } from './model';

const COLUMNS = ['at', 'feature', 'user', 'provider', 'status', 'tokens', 'cost', 'duration', 'error'] as const;
const excerpt = (text: string | null) => (text && text.length > 80 ? `${text.slice(0, 80)}…` : (text ?? ''));

export function AiRequests() {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const numbers = useNumbers();
  const feature = useFeatureLabel();
  const requests = useCursorList<AiRequest>('ai-requests', '/ai/requests');
  const userLabel = useUserLabels(requests.rows.map((row) => row.userId));
  const [detailId, setDetailId] = useState<string | undefined>();
  const detail = requests.rows.find((row) => row.id === detailId);

  const status = (row: AiRequest) => <StateBadge state={row.status} tones={REQUEST_TONES} label={t(`ai.requests.statuses.${row.status}`, { defaultValue: row.status })} />;
  const provider = (row: AiRequest) => [row.provider, row.model].filter(Boolean).join(' · ') || '—';
  const tokens = (row: AiRequest) => t('ai.requests.tokensInOut', { input: numbers.integer(row.inputTokens), output: numbers.integer(row.outputTokens) });
  const kept = detail && (detail.prompt !== null || detail.response !== null);

  return (
    <div className={classes.page} style={{ padding: 0 }}>
      <div className={classes.row}>
        <Button icon="refresh" onClick={() => void requests.refetch()}>{t('background.refresh')}</Button>
      </div>
      <Table accessibleName={t('ai.requests.title')} loading={requests.isFetching && !requests.data} noDataText={t('ai.requests.none')}
        onRowClick={(e) => setDetailId(String((e.detail.row as unknown as { rowKey: string }).rowKey))}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`ai.requests.columns.${c}`)}</TableHeaderCell>)}
        </TableHeaderRow>}>
        {requests.rows.map((row) => (
          <TableRow key={row.id} rowKey={row.id} interactive data-request={row.id} data-feature={row.feature} data-request-status={row.status}>
            <TableCell><Text>{when(row.at)}</Text></TableCell>
            <TableCell><Text>{feature(row.feature)}</Text></TableCell>
            <TableCell><Text>{row.userId ? userLabel(row.userId) : t('ai.usage.noUser')}</Text></TableCell>
            <TableCell><Text>{provider(row)}</Text></TableCell>
            <TableCell>{status(row)}</TableCell>
            <TableCell><Text>{tokens(row)}</Text></TableCell>
            <TableCell><Text>{numbers.cost(row.cost)}</Text></TableCell>
            <TableCell><Text>{formatDuration(row.durationMs, i18n.language)}</Text></TableCell>
            <TableCell><Text>{excerpt(row.error)}</Text></TableCell>
          </TableRow>
        ))}
      </Table>
      <LoadMore {...requests} />

      <Dialog open={detail !== undefined} headerText={detail ? t('ai.requests.detailTitle', { feature: feature(detail.feature), at: when(detail.at) }) : ''}
        onClose={() => setDetailId(undefined)} data-dialog="ai-request" style={{ width: 'min(48rem, 95vw)' }}
        footer={<DialogFooter><Button onClick={() => setDetailId(undefined)}>{t('background.close')}</Button></DialogFooter>}>
        {detail && (
          <div className={classes.form}>
            <div className={classes.row}>{status(detail)}</div>
            <Text>{t('ai.requests.detailCall', { provider: provider(detail), tokens: tokens(detail), cost: numbers.cost(detail.cost), duration: formatDuration(detail.durationMs, i18n.language) })}</Text>
            <Text>{t('ai.requests.detailWho', { user: detail.userId ? userLabel(detail.userId) : t('ai.usage.noUser'), request: detail.requestId ?? '—' })}</Text>
            <CodeBlock label={t('ai.requests.error')} value={detail.error} name="error" />
            <CodeBlock label={t('ai.requests.prompt')} value={detail.prompt} name="prompt" />
            <CodeBlock label={t('ai.requests.response')} value={detail.response} name="response" />
            {!kept && (
              <div className={classes.row} data-role="not-kept">
                <Text className={classes.muted}>{t('ai.requests.notKept')}</Text>
                <RouterLink to="/admin/ai" name="settings">{t('ai.requests.openSettings')}</RouterLink>
              </div>
            )}
          </div>
        )}
      </Dialog>
    </div>
  );
}
