// Lancement manuel d'un travail : type parmi ceux permis aux administrateurs, charge JSON facultative (syntaxe
// vérifiée ici, forme par le serveur dont les erreurs s'affichent sur les champs).
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Label, Option, Select } from '@ui5/webcomponents-react';
import { api } from '../../api/client';
import { CreateDialog } from '../../components/CreateDialog';
import { valueState } from '../../components/fieldErrors';
import { parsePayload, useJobTypes, type Job } from './model';
import { PayloadInput } from './PayloadInput';

interface Props {
  open: boolean;
  onClose: () => void;
  onStarted: (job: Job) => void;
}

export function StartJobDialog({ open, onClose, onStarted }: Props) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const types = useJobTypes();
  const [name, setName] = useState('');
  const [payload, setPayload] = useState('');
  const [syntax, setSyntax] = useState<string | undefined>();
  const chosen = name || types.manual[0]?.name || '';

  function close() {
    setSyntax(undefined);
    onClose();
  }

  async function start() {
    setSyntax(undefined);
    let body: unknown;
    try {
      body = parsePayload(payload);
    } catch (failure) {
      setSyntax(t('jobs.invalidJson', { detail: (failure as Error).message }));
      return;
    }
    const job = await api.request<Job>('POST', '/jobs', { name: chosen, ...(body === undefined ? {} : { payload: body }) });
    await queries.invalidateQueries({ queryKey: ['jobs'] });
    setPayload('');
    close();
    onStarted(job);
  }

  return (
    <CreateDialog open={open} title={t('jobs.start')} name="start-job" action="confirm-start" submitText={t('jobs.startAction')} disabled={!chosen}
      onSubmit={start} onClose={close}>
      {(error) => <>
        <Label for="start-job-type" required>{t('jobs.fields.type')}</Label>
        <Select id="start-job-type" accessibleName={t('jobs.fields.type')} valueState={valueState(error('name'))}
          onChange={(e) => setName(e.detail.selectedOption.getAttribute('value') ?? '')}>
          {types.manual.map((type) => <Option key={type.name} value={type.name} selected={chosen === type.name}>{types.label(type.name)}</Option>)}
          {error('name') && <div slot="valueStateMessage">{error('name')}</div>}
        </Select>
        <PayloadInput id="start-job-payload" value={payload} error={syntax ?? error('payload')} onChange={(text) => {
          // l'erreur de syntaxe portait sur l'ancien texte
          setSyntax(undefined);
          setPayload(text);
        }} />
      </>}
    </CreateDialog>
  );
}
