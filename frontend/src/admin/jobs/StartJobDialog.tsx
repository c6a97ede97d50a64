// Lancement manuel d'un travail : type parmi ceux permis aux administrateurs, charge JSON facultative (syntaxe
// vérifiée ici, forme par le serveur dont les erreurs s'affichent sur les champs).
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, Label, MessageStrip, Option, Select } from '@ui5/webcomponents-react';
import type { Problem } from '@opsflux/sdk';
import { api } from '../../api/client';
import { DialogFooter } from '../../components/DialogFooter';
import { fieldError, problemOf, valueState } from '../../components/fieldErrors';
import classes from '../AdminPage.module.css';
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
  const [problem, setProblem] = useState<Problem | undefined>();
  const [syntax, setSyntax] = useState<string | undefined>();
  const chosen = name || types.manual[0]?.name || '';

  function close() {
    setProblem(undefined);
    setSyntax(undefined);
    onClose();
  }

  async function start() {
    setProblem(undefined);
    setSyntax(undefined);
    let body: unknown;
    try {
      body = parsePayload(payload);
    } catch (failure) {
      setSyntax(t('jobs.invalidJson', { detail: (failure as Error).message }));
      return;
    }
    try {
      const job = await api.request<Job>('POST', '/jobs', { name: chosen, ...(body === undefined ? {} : { payload: body }) });
      await queries.invalidateQueries({ queryKey: ['jobs'] });
      setPayload('');
      close();
      onStarted(job);
    } catch (failure) {
      setProblem(problemOf(failure, t('errors.unexpected')));
    }
  }

  return (
    <Dialog open={open} headerText={t('jobs.start')} onClose={() => open && close()} data-dialog="start-job"
      footer={<DialogFooter>
        <Button design="Emphasized" data-action="confirm-start" disabled={!chosen} onClick={() => void start()}>{t('jobs.startAction')}</Button>
        <Button onClick={close}>{t('actions.cancel')}</Button>
      </DialogFooter>}>
      <div className={classes.form}>
        {problem && <MessageStrip design="Negative" hideCloseButton role="alert">{problem.detail ?? problem.title}</MessageStrip>}
        <Label for="start-job-type" required>{t('jobs.fields.type')}</Label>
        <Select id="start-job-type" accessibleName={t('jobs.fields.type')} valueState={valueState(fieldError(problem, 'name'))}
          onChange={(e) => setName(e.detail.selectedOption.getAttribute('value') ?? '')}>
          {types.manual.map((type) => <Option key={type.name} value={type.name} selected={chosen === type.name}>{types.label(type.name)}</Option>)}
          {fieldError(problem, 'name') && <div slot="valueStateMessage">{fieldError(problem, 'name')}</div>}
        </Select>
        <PayloadInput id="start-job-payload" value={payload} error={syntax ?? fieldError(problem, 'payload')} onChange={(text) => {
          // l'erreur de syntaxe portait sur l'ancien texte
          setSyntax(undefined);
          setPayload(text);
        }} />
      </div>
    </Dialog>
  );
}
