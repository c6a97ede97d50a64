// Création ou modification d'une planification : clé (à la création), type de travail, expression cron, fuseau
// horaire, charge JSON ; les erreurs du serveur s'affichent sur leur champ.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CheckBox, Label, Option, Select } from '@ui5/webcomponents-react';
import { api } from '../../api/client';
import { CreateDialog } from '../../components/CreateDialog';
import { valueState } from '../../components/fieldErrors';
import { FormInput } from '../../components/FormInput';
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
  const [syntax, setSyntax] = useState<string | undefined>();
  const open = schedule !== undefined;
  const job = draft.job || types.manual[0]?.name || '';

  // chaque ouverture repart de la planification montrée (ou d'un brouillon vide)
  useEffect(() => {
    if (schedule === undefined) return;
    setSyntax(undefined);
    setDraft(schedule
      ? { key: schedule.key, job: schedule.job, cron: schedule.cron, timezone: schedule.timezone, active: schedule.active, payload: Object.keys(schedule.payload ?? {}).length ? JSON.stringify(schedule.payload, null, 2) : '' }
      : { key: '', job: '', cron: '', timezone: browserZone(), payload: '', active: true });
  }, [schedule]);

  async function save() {
    setSyntax(undefined);
    let payload: unknown;
    try {
      payload = parsePayload(draft.payload);
    } catch (failure) {
      setSyntax(t('jobs.invalidJson', { detail: (failure as Error).message }));
      return;
    }
    const body = { job, cron: draft.cron.trim(), timezone: draft.timezone.trim() || 'UTC', active: draft.active, payload: payload ?? {} };
    if (schedule) await api.request('PATCH', `/job-schedules/${schedule.id}`, body);
    else await api.request('POST', '/job-schedules', { key: draft.key.trim(), ...body });
    await queries.invalidateQueries({ queryKey: ['job-schedules'] });
    onClose();
  }

  const text = (field: 'key' | 'cron' | 'timezone', error: string | undefined, hint?: string) => (
    <FormInput id={`schedule-${field}`} label={t(`jobs.fields.${field}`)} required={field !== 'timezone'} value={draft[field]} placeholder={hint}
      readonly={field === 'key' && Boolean(schedule)} error={error} onChange={(value) => setDraft({ ...draft, [field]: value })} />
  );

  return (
    <CreateDialog open={open} title={schedule ? t('jobs.editSchedule', { key: schedule.key }) : t('jobs.newSchedule')} name="schedule" action="save-schedule"
      submitText={schedule ? t('actions.save') : t('actions.create')} onSubmit={save} onClose={onClose}>
      {(error) => <>
        {text('key', error('key'), 'audit.nightly')}
        <Label for="schedule-job" required>{t('jobs.fields.type')}</Label>
        <Select id="schedule-job" accessibleName={t('jobs.fields.type')} valueState={valueState(error('job'))}
          onChange={(e) => setDraft({ ...draft, job: e.detail.selectedOption.getAttribute('value') ?? '' })}>
          {types.manual.map((type) => <Option key={type.name} value={type.name} selected={job === type.name}>{types.label(type.name)}</Option>)}
          {error('job') && <div slot="valueStateMessage">{error('job')}</div>}
        </Select>
        {text('cron', error('cron'), '0 2 * * *')}
        {text('timezone', error('timezone'), 'Europe/Paris')}
        <PayloadInput id="schedule-payload" value={draft.payload} error={syntax ?? error('payload')} onChange={(payload) => {
          // l'erreur de syntaxe portait sur l'ancien texte
          setSyntax(undefined);
          setDraft({ ...draft, payload });
        }} />
        <CheckBox text={t('jobs.fields.active')} checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />
      </>}
    </CreateDialog>
  );
}
