// Création ou modification d'une planification : clé (à la création), type de travail, expression cron, fuseau
// horaire, charge JSON ; les erreurs du serveur s'affichent sur leur champ.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, CheckBox, Dialog, Input, Label, MessageStrip, Option, Select } from '@ui5/webcomponents-react';
import type { Problem } from '@opsflux/sdk';
import { api } from '../../api/client';
import { DialogFooter } from '../../components/DialogFooter';
import { fieldError, problemOf, valueState } from '../../components/fieldErrors';
import classes from '../AdminPage.module.css';
import { parsePayload, useJobTypes, type Schedule } from './model';
import { PayloadInput } from './PayloadInput';

interface Props {
  /** undefined : fermé ; null : nouvelle planification */
  schedule: Schedule | null | undefined;
  onClose: () => void;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function ScheduleDialog({ schedule, onClose }: Props) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const types = useJobTypes();
  const [draft, setDraft] = useState({ key: '', job: '', cron: '', timezone: '', payload: '', active: true });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [syntax, setSyntax] = useState<string | undefined>();
  const open = schedule !== undefined;
  const job = draft.job || types.manual[0]?.name || '';

  // chaque ouverture repart de la planification montrée (ou d'un brouillon vide)
  useEffect(() => {
    if (schedule === undefined) return;
    setProblem(undefined);
    setSyntax(undefined);
    setDraft(schedule
      ? { key: schedule.key, job: schedule.job, cron: schedule.cron, timezone: schedule.timezone, active: schedule.active, payload: Object.keys(schedule.payload ?? {}).length ? JSON.stringify(schedule.payload, null, 2) : '' }
      : { key: '', job: '', cron: '', timezone: browserZone(), payload: '', active: true });
  }, [schedule]);

  async function save() {
    setProblem(undefined);
    setSyntax(undefined);
    let payload: unknown;
    try {
      payload = parsePayload(draft.payload);
    } catch (failure) {
      setSyntax(t('jobs.invalidJson', { detail: (failure as Error).message }));
      return;
    }
    const body = { job, cron: draft.cron.trim(), timezone: draft.timezone.trim() || 'UTC', active: draft.active, payload: payload ?? {} };
    try {
      if (schedule) await api.request('PATCH', `/job-schedules/${schedule.id}`, body);
      else await api.request('POST', '/job-schedules', { key: draft.key.trim(), ...body });
      await queries.invalidateQueries({ queryKey: ['job-schedules'] });
      onClose();
    } catch (failure) {
      setProblem(problemOf(failure, t('errors.unexpected')));
    }
  }

  const text = (field: 'key' | 'cron' | 'timezone', hint?: string) => (
    <>
      <Label for={`schedule-${field}`} required={field !== 'timezone'}>{t(`jobs.fields.${field}`)}</Label>
      <Input id={`schedule-${field}`} value={draft[field]} placeholder={hint} accessibleName={t(`jobs.fields.${field}`)} readonly={field === 'key' && Boolean(schedule)}
        valueState={valueState(fieldError(problem, field))} onInput={(e) => setDraft({ ...draft, [field]: e.target.value })}>
        {fieldError(problem, field) && <div slot="valueStateMessage">{fieldError(problem, field)}</div>}
      </Input>
    </>
  );

  return (
    <Dialog open={open} headerText={schedule ? t('jobs.editSchedule', { key: schedule.key }) : t('jobs.newSchedule')} onClose={() => open && onClose()} data-dialog="schedule"
      footer={<DialogFooter>
        <Button design="Emphasized" data-action="save-schedule" onClick={() => void save()}>{schedule ? t('actions.save') : t('actions.create')}</Button>
        <Button onClick={onClose}>{t('actions.cancel')}</Button>
      </DialogFooter>}>
      <div className={classes.form}>
        {problem && <MessageStrip design="Negative" hideCloseButton role="alert">{problem.detail ?? problem.title}</MessageStrip>}
        {text('key', 'audit.nightly')}
        <Label for="schedule-job" required>{t('jobs.fields.type')}</Label>
        <Select id="schedule-job" accessibleName={t('jobs.fields.type')} valueState={valueState(fieldError(problem, 'job'))}
          onChange={(e) => setDraft({ ...draft, job: e.detail.selectedOption.getAttribute('value') ?? '' })}>
          {types.manual.map((type) => <Option key={type.name} value={type.name} selected={job === type.name}>{types.label(type.name)}</Option>)}
          {fieldError(problem, 'job') && <div slot="valueStateMessage">{fieldError(problem, 'job')}</div>}
        </Select>
        {text('cron', '0 2 * * *')}
        {text('timezone', 'Europe/Paris')}
        <PayloadInput id="schedule-payload" value={draft.payload} error={syntax ?? fieldError(problem, 'payload')} onChange={(payload) => {
          // l'erreur de syntaxe portait sur l'ancien texte
          setSyntax(undefined);
          setDraft({ ...draft, payload });
        }} />
        <CheckBox text={t('jobs.fields.active')} checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />
      </div>
    </Dialog>
  );
}
