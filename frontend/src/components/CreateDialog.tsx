// Boîte de dialogue d'un formulaire court (création, ou modification d'une planification) : titre, champs, action
// principale et annulation. Le bouton principal est désactivé pendant l'envoi ; l'échec de onSubmit s'affiche en tête
// (message général) et sur les champs (erreurs problem+json, lues par `error(champ)`), effacé à l'envoi suivant et à
// la fermeture.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, MessageStrip } from '@ui5/webcomponents-react';
import type { Problem } from '@opsflux/sdk';
import { DialogFooter } from './DialogFooter';
import { fieldError, problemOf } from './fieldErrors';
import classes from './CreateDialog.module.css';

interface Props {
  open: boolean;
  title: string;
  /** `data-action` du bouton principal */
  action: string;
  /** texte du bouton principal, « Créer » par défaut */
  submitText?: string;
  /** bouton principal indisponible (saisie incomplète) */
  disabled?: boolean;
  /** `data-dialog` de la boîte */
  name?: string;
  /** envoi : la boîte reste ouverte et montre le problème si la promesse échoue ; à l'appelant de la fermer sinon */
  onSubmit: () => Promise<void>;
  onClose: () => void;
  /** champs du formulaire, avec le message d'erreur du serveur pour un champ */
  children: (error: (field: string) => string | undefined) => ReactNode;
}

export function CreateDialog({ open, title, action, submitText, disabled, name, onSubmit, onClose, children }: Props) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    setProblem(undefined);
    setBusy(true);
    try {
      await onSubmit();
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setProblem(undefined);
    onClose();
  }

  return (
    <Dialog open={open} headerText={title} onClose={() => open && close()} data-dialog={name}
      footer={<DialogFooter>
        <Button design="Emphasized" data-action={action} disabled={disabled || busy} onClick={() => void submit()}>{submitText ?? t('actions.create')}</Button>
        <Button onClick={close}>{t('actions.cancel')}</Button>
      </DialogFooter>}>
      <div className={classes.form}>
        {problem && <MessageStrip design="Negative" hideCloseButton role="alert">{problem.detail ?? problem.title}</MessageStrip>}
        {children((field) => fieldError(problem, field))}
      </div>
    </Dialog>
  );
}
