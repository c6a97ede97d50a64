// File de revue des actions `ai` des règles : suggestions par état (en attente par défaut, état gardé dans
// l'adresse), avec leur provenance et un lien vers l'enregistrement ; approbation (écrite avec les droits du
// relecteur) ou rejet d'une suggestion en attente, la ligne mise à jour sur place et le résultat dans un bandeau.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Button, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text,
} from '@ui5/webcomponents-react';
import { api, isApiError, problemText } from '../../api/client';
import { useEntities } from '../../api/queries';
import { RouterLink } from '../../components/RouterLink';
import { StateBadge } from '../../components/StateBadge';
import { useDateTime } from '../../components/useDateTime';
import { labelOf } from '../../i18n';
import { formatValue } from '../../metadata/values';
import classes from '../AdminPage.module.css';
import { SUGGESTION_STATUSES, SUGGESTION_TONES, useNumbers, useRecordTitles, type Suggestion, type SuggestionStatus } from './model';

const COLUMNS = ['rule', 'task', 'record', 'values', 'confidence', 'provider', 'created', 'status'] as const;

export function AiReview() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const when = useDateTime();
  const numbers = useNumbers();
  const entities = useEntities();
  const [search, setSearch] = useSearchParams();
  const status: SuggestionStatus = (SUGGESTION_STATUSES as readonly string[]).includes(search.get('status') ?? '') ? search.get('status') as SuggestionStatus : 'pending';
  const key = ['ai-suggestions', status];
  const suggestions = useQuery({
    queryKey: key,
    queryFn: () => api.request<{ data: Suggestion[] }>('GET', `/ai/suggestions?${new URLSearchParams({ status })}`).then((r) => r.data),
  });
  const rows = suggestions.data ?? [];
  const titleOf = useRecordTitles(rows, entities.data);
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<{ design: 'Negative' | 'Positive'; text: string } | undefined>();

  const metaOf = (entity: string) => entities.data?.find((m) => m.name === entity);
  const recordText = (s: Suggestion) => titleOf(s.entity, s.recordId) ?? s.recordId;
  const values = (s: Suggestion) => Object.entries(s.values).map(([name, value]) => {
    const field = metaOf(s.entity)?.fields.find((f) => f.name === name);
    const text = field ? formatValue(field, value, i18n.language) : typeof value === 'string' ? value : JSON.stringify(value);
    return t('ai.review.valueLine', { field: field ? labelOf(field.label, name) : name, value: text || '—' });
  });

  async function decide(s: Suggestion, decision: 'approve' | 'reject') {
    setMessage(undefined);
    setBusy(s.id);
    try {
      const updated = await api.request<Suggestion>('POST', `/ai/suggestions/${s.id}/${decision}`, {});
      // la ligne montre aussitôt son nouvel état ; elle quitte la file au prochain rafraîchissement
      queries.setQueryData<Suggestion[]>(key, (current) => current?.map((row) => (row.id === updated.id ? updated : row)));
      setMessage({ design: 'Positive', text: t(decision === 'approve' ? 'ai.review.approvedNotice' : 'ai.review.rejectedNotice', { record: recordText(s) }) });
      if (decision === 'approve') await queries.invalidateQueries({ queryKey: ['record', s.entity, s.recordId] });
    } catch (failure) {
      setMessage({ design: 'Negative', text: t(decision === 'approve' ? 'ai.review.approveFailed' : 'ai.review.rejectFailed', { detail: problemText(failure) }) });
      // décidée entre-temps par quelqu'un d'autre, ou disparue : la file est relue
      if (isApiError(failure, 409) || isApiError(failure, 404)) void suggestions.refetch();
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className={classes.page} style={{ padding: 0 }}>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role={message.design === 'Negative' ? 'alert' : 'status'} data-message={message.design}>{message.text}</MessageStrip>}
      {suggestions.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(suggestions.error)}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="ai-review-status">{t('ai.review.status')}</Label>
          <Select id="ai-review-status" accessibleName={t('ai.review.status')} onChange={(e) => {
            const chosen = e.detail.selectedOption.getAttribute('value') ?? 'pending';
            setMessage(undefined);
            setSearch((current) => {
              const next = new URLSearchParams(current);
              if (chosen === 'pending') next.delete('status');
              else next.set('status', chosen);
              return next;
            }, { replace: true });
          }}>
            {SUGGESTION_STATUSES.map((s) => <Option key={s} value={s} selected={status === s}>{t(`ai.review.statuses.${s}`)}</Option>)}
          </Select>
        </div>
        <Button icon="refresh" onClick={() => void suggestions.refetch()}>{t('background.refresh')}</Button>
      </div>
      <Table accessibleName={t('ai.review.title')} loading={suggestions.isFetching && !suggestions.data} noDataText={t(`ai.review.none.${status}`)}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`ai.review.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {rows.map((s) => (
          <TableRow key={s.id} rowKey={s.id} data-suggestion={s.id} data-suggestion-status={s.status}>
            <TableCell><Text>{s.ruleName ?? '—'}</Text></TableCell>
            <TableCell><Text>{t(`ai.tasks.${s.task}`, { defaultValue: s.task })}</Text></TableCell>
            <TableCell>
              <div className={classes.form}>
                <Text className={classes.muted}>{labelOf(metaOf(s.entity)?.label, s.entity)}</Text>
                <RouterLink to={`/data/${s.entity}/${s.recordId}`} name="record">{recordText(s)}</RouterLink>
              </div>
            </TableCell>
            <TableCell><div className={classes.form} data-role="values">{values(s).map((line) => <Text key={line}>{line}</Text>)}</div></TableCell>
            <TableCell><Text>{numbers.percent(s.confidence)}</Text></TableCell>
            <TableCell><Text>{[s.provider, s.model].filter(Boolean).join(' · ') || '—'}</Text></TableCell>
            <TableCell><Text>{when(s.createdAt)}</Text></TableCell>
            <TableCell>
              <div className={classes.form}>
                <StateBadge state={s.status} tones={SUGGESTION_TONES} label={t(`ai.review.statuses.${s.status}`)} />
                {s.error && <Text className={classes.muted}>{s.error}</Text>}
              </div>
            </TableCell>
            <TableCell>
              {s.status === 'pending' && (
                <div className={classes.actions}>
                  <Button design="Emphasized" data-action="approve" disabled={busy === s.id} onClick={() => void decide(s, 'approve')}>{t('ai.review.approve')}</Button>
                  <Button design="Transparent" data-action="reject" disabled={busy === s.id} onClick={() => void decide(s, 'reject')}>{t('ai.review.reject')}</Button>
                </div>
              )}
            </TableCell>
          </TableRow>
        ))}
      </Table>
    </div>
  );
}
