// Champ d'une fiche configuré pour les suggestions d'IA (option aiSuggest) : à côté de sa saisie, un bouton qui envoie
// les valeurs courantes du formulaire (POST /api/v1/ai/field-suggestions) et remplit le champ avec la valeur proposée
// — l'utilisateur la garde, la change ou l'enregistre ; la confiance du modèle s'affiche dessous, un refus (aucun
// fournisseur, budget épuisé) en clair. Sans l'option, hors édition ou sans fournisseur routé : la saisie seule.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { labelOf } from '../i18n';
import type { EntityMeta, FieldMeta } from '../metadata/types';
import { toPayload, type FormValues } from '../metadata/values';
import { useAiCapabilities } from './useAiCapabilities';
import classes from './FieldSuggestion.module.css';

interface Suggestion {
  field: string;
  value: unknown;
  confidence: number;
}

interface Props {
  meta: EntityMeta;
  field: FieldMeta;
  /** enregistrement modifié ; absent à la création */
  recordId?: string;
  values: FormValues;
  editing: boolean;
  onSuggested: (value: unknown) => void;
  /** la saisie du champ */
  children: ReactNode;
}

export function FieldSuggestion(props: Props) {
  const { field, editing, children } = props;
  return field.aiSuggest && !field.readOnly && editing ? <Suggestible {...props} /> : children;
}

/** Champ avec l'option, en édition : le bouton dès que le tenant route un fournisseur pour les suggestions. */
function Suggestible({ meta, field, recordId, values, onSuggested, children }: Props) {
  const { t } = useTranslation();
  const offered = useAiCapabilities()?.suggestions === true;
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; failed: boolean }>();
  if (!offered) return children;
  const action = t('fieldSuggestions.suggest', { field: labelOf(field.label, field.name) });

  async function suggest() {
    setBusy(true);
    setNote(undefined);
    try {
      const suggestion = await api.request<Suggestion>('POST', '/ai/field-suggestions', {
        entity: meta.name, field: field.name, ...(recordId ? { recordId } : {}), values: toPayload(meta, values),
      });
      onSuggested(suggestion.value);
      setNote({ text: t('fieldSuggestions.suggested', { percent: Math.round(suggestion.confidence * 100) }), failed: false });
    } catch (failure) {
      setNote({ text: problemText(failure), failed: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={classes.field}>
      <div className={classes.row}>
        <div className={classes.input}>{children}</div>
        <Button design="Transparent" icon="ai" data-suggest={field.name} loading={busy} disabled={busy} tooltip={note && !note.failed ? `${action} — ${note.text}` : action}
          accessibleName={action} onClick={() => void suggest()} />
      </div>
      {busy && <Text className={classes.note} role="status">{t('fieldSuggestions.suggesting')}</Text>}
      {note && <Text className={note.failed ? classes.failed : classes.note} role={note.failed ? 'alert' : 'status'} data-suggestion-note={field.name}>{note.text}</Text>}
    </div>
  );
}
