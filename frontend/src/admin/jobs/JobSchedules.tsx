// Planifications cron du tenant : liste, création et modification, pause et reprise, suppression confirmée,
// exécution immédiate, lien vers les exécutions (historique filtré par planification).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RouterLink } from '../../components/RouterLink';
import { StateBadge } from '../../components/StateBadge';
import { useDateTime } from '../../components/useDateTime';
import classes from '../AdminPage.module.css';
import { useJobTypes, type Schedule } from './model';
import { ScheduleDialog } from './ScheduleDialog';

const COLUMNS = ['key', 'type', 'cron', 'timezone', 'active', 'nextRun', 'lastRun'] as const;
const ACTIVE_TONES = { true: 'Positive', false: 'Critical' } as const;

export function JobSchedules() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const when = useDateTime();
  const types = useJobTypes();
  const schedules = useQuery({ queryKey: ['job-schedules'], queryFn: () => api.request<{ data: Schedule[] }>('GET', '/job-schedules').then((r) => r.data) });
  const [editing, setEditing] = useState<Schedule | null | undefined>();
  const [deleting, setDeleting] = useState<Schedule | undefined>();
  const [message, setMessage] = useState<{ design: 'Negative' | 'Positive'; text: string } | undefined>();

  async function run(work: () => Promise<unknown>, done?: string) {
    setMessage(undefined);
    try {
      await work();
      await queries.invalidateQueries({ queryKey: ['job-schedules'] });
      await queries.invalidateQueries({ queryKey: ['jobs'] });
      if (done) setMessage({ design: 'Positive', text: done });
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
  }

  const remove = (schedule: Schedule) => {
    setDeleting(undefined);
    void run(() => api.request('DELETE', `/job-schedules/${schedule.id}`));
  };

  return (
    <div className={classes.page} style={{ padding: 0 }}>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role={message.design === 'Negative' ? 'alert' : 'status'}>{message.text}</MessageStrip>}
      <div><Button icon="add" design="Emphasized" data-action="new-schedule" onClick={() => setEditing(null)}>{t('jobs.newSchedule')}</Button></div>
      <Table accessibleName={t('jobs.schedules')} loading={schedules.isFetching && !schedules.data} noDataText={t('jobs.noSchedule')}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`jobs.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {(schedules.data ?? []).map((schedule) => (
          <TableRow key={schedule.id} rowKey={schedule.id} data-schedule={schedule.key}>
            <TableCell><Text>{schedule.key}</Text></TableCell>
            <TableCell><Text>{types.label(schedule.job)}</Text></TableCell>
            <TableCell><Text><code>{schedule.cron}</code></Text></TableCell>
            <TableCell><Text>{schedule.timezone}</Text></TableCell>
            <TableCell><StateBadge state={String(schedule.active)} tones={ACTIVE_TONES} label={schedule.active ? t('jobs.active') : t('jobs.paused')} /></TableCell>
            <TableCell><Text>{schedule.active ? when(schedule.nextRunAt) : '—'}</Text></TableCell>
            <TableCell><Text>{when(schedule.lastRunAt)}</Text></TableCell>
            <TableCell>
              <div className={classes.actions}>
                <Button design="Transparent" data-action="run-now" onClick={() => void run(() => api.request('POST', `/job-schedules/${schedule.id}/run`, {}), t('jobs.ranNow', { key: schedule.key }))}>{t('jobs.runNow')}</Button>
                <Button design="Transparent" data-action={schedule.active ? 'pause' : 'resume'}
                  onClick={() => void run(() => api.request('PATCH', `/job-schedules/${schedule.id}`, { active: !schedule.active }))}>{schedule.active ? t('jobs.pause') : t('jobs.resume')}</Button>
                {schedule.source === 'admin' && <Button design="Transparent" data-action="edit" onClick={() => setEditing(schedule)}>{t('actions.edit')}</Button>}
                <Button design="Transparent" data-action="delete" onClick={() => setDeleting(schedule)}>{t('actions.delete')}</Button>
                <RouterLink to={`/admin/jobs?tab=history&scheduleId=${schedule.id}`} name="runs">{t('jobs.runs')}</RouterLink>
              </div>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <ScheduleDialog schedule={editing} onClose={() => setEditing(undefined)} />
      <ConfirmDialog open={deleting !== undefined} text={t('jobs.confirmDelete', { key: deleting?.key ?? '' })}
        onConfirm={() => deleting && remove(deleting)} onCancel={() => setDeleting(undefined)} />
    </div>
  );
}
