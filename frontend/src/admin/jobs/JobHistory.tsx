// Historique des travaux du tenant : filtres (état, type, planification) gardés dans l'adresse, pages par curseur,
// détail (charge, résultat, erreur), nouvelle exécution d'un échec, annulation d'un travail en attente.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Button, Dialog, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text,
} from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { useCursorList } from '../../api/cursorList';
import { CodeBlock } from '../../components/CodeBlock';
import { DialogFooter } from '../../components/DialogFooter';
import { LoadMore } from '../../components/LoadMore';
import { StateBadge } from '../../components/StateBadge';
import { formatDuration, useDateTime } from '../../components/useDateTime';
import classes from '../AdminPage.module.css';
import { JOB_STATES, JOB_TONES, useJobTypes, type Job } from './model';
import { StartJobDialog } from './StartJobDialog';

const COLUMNS = ['type', 'state', 'attempts', 'duration', 'created', 'finished', 'error'] as const;
const excerpt = (text: string | null) => (text && text.length > 80 ? `${text.slice(0, 80)}…` : (text ?? ''));

export function JobHistory() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const when = useDateTime();
  const types = useJobTypes();
  const [search, setSearch] = useSearchParams();
  const filters = { state: search.get('state') ?? undefined, name: search.get('type') ?? undefined, scheduleId: search.get('scheduleId') ?? undefined };
  const jobs = useCursorList<Job>('jobs', '/jobs', { params: filters, live: (job) => job.state === 'queued' || job.state === 'running' });
  const [detailId, setDetailId] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const detail = jobs.rows.find((job) => job.id === detailId);

  /** Filtre changé dans l'adresse (remplace l'entrée d'historique : pas de retour arrière par filtre). */
  const filter = (name: string, value: string | undefined) => setSearch((current) => {
    const next = new URLSearchParams(current);
    if (value) next.set(name, value);
    else next.delete(name);
    return next;
  }, { replace: true });

  async function act(job: Job, action: 'retry' | 'cancel') {
    try {
      await api.request('POST', `/jobs/${job.id}/${action}`, {});
      await queries.invalidateQueries({ queryKey: ['jobs'] });
    } catch (failure) {
      setMessage(problemText(failure));
    }
  }

  const actions = (job: Job) => (
    <div className={classes.actions}>
      {(job.state === 'failed' || job.state === 'cancelled') && <Button design="Transparent" data-action="retry" onClick={(e) => { e.stopPropagation(); void act(job, 'retry'); }}>{t('jobs.retry')}</Button>}
      {job.state === 'queued' && <Button design="Transparent" data-action="cancel" onClick={(e) => { e.stopPropagation(); void act(job, 'cancel'); }}>{t('jobs.cancel')}</Button>}
    </div>
  );

  return (
    <div className={classes.page} style={{ padding: 0 }}>
      {message && <MessageStrip design="Negative" onClose={() => setMessage(undefined)} role="alert">{message}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="jobs-state">{t('jobs.columns.state')}</Label>
          <Select id="jobs-state" accessibleName={t('jobs.columns.state')} onChange={(e) => filter('state', e.detail.selectedOption.getAttribute('value') || undefined)}>
            {['', ...JOB_STATES].map((state) => <Option key={state} value={state} selected={(filters.state ?? '') === state}>{state ? t(`jobs.states.${state}`) : t('filters.any')}</Option>)}
          </Select>
        </div>
        <div className={classes.form}>
          <Label for="jobs-type">{t('jobs.columns.type')}</Label>
          <Select id="jobs-type" accessibleName={t('jobs.columns.type')} onChange={(e) => filter('type', e.detail.selectedOption.getAttribute('value') || undefined)}>
            {['', ...types.all.map((type) => type.name)].map((name) => <Option key={name} value={name} selected={(filters.name ?? '') === name}>{name ? types.label(name) : t('filters.any')}</Option>)}
          </Select>
        </div>
        <Button icon="refresh" onClick={() => void jobs.refetch()}>{t('background.refresh')}</Button>
        <Button icon="play" design="Emphasized" data-action="start-job" onClick={() => setStarting(true)}>{t('jobs.start')}</Button>
      </div>
      {filters.scheduleId && (
        <MessageStrip design="Information" data-filter="schedule" onClose={() => filter('scheduleId', undefined)}>{t('jobs.scheduleFilter')}</MessageStrip>
      )}
      <Table accessibleName={t('jobs.history')} loading={jobs.isFetching && !jobs.data} noDataText={t('jobs.none')}
        onRowClick={(e) => setDetailId(String((e.detail.row as unknown as { rowKey: string }).rowKey))}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`jobs.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {jobs.rows.map((job) => (
          <TableRow key={job.id} rowKey={job.id} interactive data-job={job.name} data-job-state={job.state}>
            <TableCell><Text>{types.label(job.name)}</Text></TableCell>
            <TableCell><StateBadge state={job.state} tones={JOB_TONES} label={t(`jobs.states.${job.state}`)} /></TableCell>
            <TableCell><Text>{job.attempts}/{job.maxAttempts}</Text></TableCell>
            <TableCell><Text>{formatDuration(job.durationMs, i18n.language)}</Text></TableCell>
            <TableCell><Text>{when(job.createdAt)}</Text></TableCell>
            <TableCell><Text>{when(job.finishedAt)}</Text></TableCell>
            <TableCell><Text>{excerpt(job.error)}</Text></TableCell>
            <TableCell>{actions(job)}</TableCell>
          </TableRow>
        ))}
      </Table>
      <LoadMore {...jobs} />

      <StartJobDialog open={starting} onClose={() => setStarting(false)} onStarted={(job) => setDetailId(job.id)} />
      <Dialog open={detail !== undefined} headerText={detail ? types.label(detail.name) : ''} onClose={() => setDetailId(undefined)} data-dialog="job-detail"
        style={{ width: 'min(48rem, 95vw)' }}
        footer={<DialogFooter><Button onClick={() => setDetailId(undefined)}>{t('background.close')}</Button></DialogFooter>}>
        {detail && (
          <div className={classes.form}>
            <div className={classes.row}>
              <StateBadge state={detail.state} tones={JOB_TONES} label={t(`jobs.states.${detail.state}`)} />
              {actions(detail)}
            </div>
            <Text>{t('jobs.detailTimes', { created: when(detail.createdAt), started: when(detail.startedAt), finished: when(detail.finishedAt) })}</Text>
            <Text>{t('jobs.detailAttempts', { attempts: detail.attempts, max: detail.maxAttempts, duration: formatDuration(detail.durationMs, i18n.language) })}</Text>
            <CodeBlock label={t('jobs.fields.payload')} value={detail.payload} name="payload" />
            <CodeBlock label={t('jobs.result')} value={detail.result} name="result" />
            <CodeBlock label={t('jobs.error')} value={detail.error} name="error" />
          </div>
        )}
      </Dialog>
    </div>
  );
}
