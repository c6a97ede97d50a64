// Concepteur d'entités : l'option « suggestions d'IA » d'un champ personnalisé (case à cocher et consigne facultative),
// à sa création et ensuite, par une boîte de dialogue (PATCH /api/v1/meta/entities/{entité}/fields/{champ}).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckBox, Label, TextArea } from '@ui5/webcomponents-react';
import { AI_FILLABLE_TYPES, AI_SUGGEST_MAX_PROMPT } from '@opsflux/sdk';
import { api } from '../../api/client';
import { CreateDialog } from '../../components/CreateDialog';
import type { FieldMeta } from '../../metadata/types';

export interface AiSuggestDraft {
  enabled: boolean;
  prompt: string;
}

export const noAiSuggest: AiSuggestDraft = { enabled: false, prompt: '' };

/** Un modèle sait-il remplir un champ de ce type ? */
export const aiFillable = (type: string) => (AI_FILLABLE_TYPES as readonly string[]).includes(type);

/** Valeur de l'API : `true`, `{ prompt }` ou `false`. */
export const aiSuggestBody = (draft: AiSuggestDraft) => (draft.enabled ? (draft.prompt.trim() ? { prompt: draft.prompt.trim() } : true) : false);

interface InputsProps {
  id: string;
  draft: AiSuggestDraft;
  error?: string;
  onChange: (draft: AiSuggestDraft) => void;
}

/** Case à cocher, puis la consigne quand elle est cochée. */
export function AiSuggestInputs({ id, draft, error, onChange }: InputsProps) {
  const { t } = useTranslation();
  return (
    <>
      <CheckBox id={`${id}-enabled`} text={t('fieldSuggestions.designer.enable')} checked={draft.enabled} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} />
      {draft.enabled && (
        <>
          <Label for={`${id}-prompt`}>{t('fieldSuggestions.designer.prompt')}</Label>
          <TextArea id={`${id}-prompt`} accessibleName={t('fieldSuggestions.designer.prompt')} value={draft.prompt} rows={2} maxlength={AI_SUGGEST_MAX_PROMPT}
            placeholder={t('fieldSuggestions.designer.promptPlaceholder')} valueState={error ? 'Negative' : 'None'} onInput={(e) => onChange({ ...draft, prompt: e.target.value })}>
            {error && <div slot="valueStateMessage">{error}</div>}
          </TextArea>
        </>
      )}
    </>
  );
}

interface DialogProps {
  entity: string;
  /** champ dont l'option se change ; aucun : boîte fermée */
  field?: FieldMeta;
  onClose: () => void;
  onSaved: (name: string) => Promise<void>;
}

/** Boîte de dialogue qui change l'option d'un champ personnalisé existant (remise à son état à chaque champ ouvert). */
export function AiSuggestDialog(props: DialogProps) {
  return props.field ? <OpenDialog key={props.field.name} {...props} field={props.field} /> : null;
}

function OpenDialog({ entity, field, onClose, onSaved }: DialogProps & { field: FieldMeta }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AiSuggestDraft>({ enabled: Boolean(field.aiSuggest), prompt: field.aiSuggest?.prompt ?? '' });
  return (
    <CreateDialog open title={t('fieldSuggestions.designer.edit', { name: field.name })} action="save-ai-suggest" submitText={t('actions.save')} name="ai-suggest"
      onClose={onClose} onSubmit={async () => {
        await api.request('PATCH', `/meta/entities/${encodeURIComponent(entity)}/fields/${encodeURIComponent(field.name)}`, { aiSuggest: aiSuggestBody(draft) });
        await onSaved(field.name);
      }}>
      {(error) => <AiSuggestInputs id="edit-field-ai" draft={draft} error={error('aiSuggest.prompt')} onChange={setDraft} />}
    </CreateDialog>
  );
}
