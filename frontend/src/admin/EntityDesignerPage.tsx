// Console : concepteur d'entités — créer une entité personnalisée, lui ajouter des champs (ou en ajouter à une entité
// existante), archiver un champ personnalisé, y offrir les suggestions d'IA. Une vraie table, aussitôt dans l'API, les
// listes et les fiches.
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  Button, CheckBox, ComboBox, ComboBoxItem, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title,
} from '@ui5/webcomponents-react';
import { FIELD_TYPES, type Problem } from '@opsflux/sdk';
import { api, isApiError } from '../api/client';
import { useEntities, useEntityMeta } from '../api/queries';
import { CreateDialog } from '../components/CreateDialog';
import { FormInput } from '../components/FormInput';
import { labelOf } from '../i18n';
import type { FieldMeta } from '../metadata/types';
import { aiFillable, AiSuggestDialog, AiSuggestInputs, aiSuggestBody, noAiSuggest, type AiSuggestDraft } from './ai/AiSuggestOption';
import classes from './AdminPage.module.css';

/** Types proposés pour un champ ajouté depuis la console (les enfants et champs calculés se déclarent en code). */
const DESIGNER_TYPES = FIELD_TYPES.filter((type) => !['children', 'computed', 'file', 'translatable'].includes(type));

interface FieldDraft {
  name: string;
  type: string;
  en: string;
  fr: string;
  required: boolean;
  values: string;
  to: string;
  ai: AiSuggestDraft;
}

const emptyField: FieldDraft = { name: '', type: 'string', en: '', fr: '', required: false, values: '', to: '', ai: noAiSuggest };

/** Corps de l'API pour un champ saisi dans le concepteur. */
export function fieldBody(draft: FieldDraft): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (draft.type === 'enum') options.values = draft.values.split(',').map((v) => v.trim()).filter(Boolean);
  if (draft.type === 'ref' || draft.type === 'refs') options.to = draft.to;
  return {
    name: draft.name.trim(), type: draft.type, required: draft.required,
    label: { en: draft.en.trim() || draft.name.trim(), ...(draft.fr.trim() ? { fr: draft.fr.trim() } : {}) },
    ...(Object.keys(options).length ? { options } : {}),
    ...(draft.ai.enabled && aiFillable(draft.type) ? { aiSuggest: aiSuggestBody(draft.ai) } : {}),
  };
}

export default function EntityDesignerPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const entities = useEntities();
  const [selected, setSelected] = useState('');
  const meta = useEntityMeta(selected || undefined);
  const [field, setField] = useState<FieldDraft>(emptyField);
  const [entityDialog, setEntityDialog] = useState(false);
  const [entityDraft, setEntityDraft] = useState({ name: '', en: '', fr: '' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [aiField, setAiField] = useState<FieldMeta | undefined>();
  const errorOf = (name: string) => problem?.errors?.find((e) => e.field === name || e.field.startsWith(`${name}.`))?.message;
  const sorted = useMemo(() => [...(entities.data ?? [])].filter((e) => !e.abstract).sort((a, b) => labelOf(a.label).localeCompare(labelOf(b.label))), [entities.data]);

  async function refresh() {
    await Promise.all(['meta', 'menus', 'list'].map((key) => queries.invalidateQueries({ queryKey: [key] })));
  }

  async function addField() {
    setProblem(undefined);
    try {
      await api.request('POST', `/meta/entities/${encodeURIComponent(selected)}/fields`, fieldBody(field));
      setNotice(t('designer.fieldAdded', { name: field.name }));
      setField(emptyField);
      await refresh();
    } catch (failure) {
      if (isApiError(failure)) setProblem(failure.problem);
    }
  }

  async function archiveField(name: string) {
    try {
      await api.request('DELETE', `/meta/entities/${encodeURIComponent(selected)}/fields/${encodeURIComponent(name)}`);
      setNotice(t('designer.fieldArchived', { name }));
      await refresh();
    } catch (failure) {
      if (isApiError(failure)) setProblem(failure.problem);
    }
  }

  async function createEntity() {
    const body = { name: entityDraft.name.trim(), label: { en: entityDraft.en.trim() || entityDraft.name.trim(), ...(entityDraft.fr.trim() ? { fr: entityDraft.fr.trim() } : {}) }, fields: {} };
    await api.request('POST', '/meta/entities', body);
    setEntityDialog(false);
    await refresh();
    setSelected(body.name);
    setNotice(t('designer.entityCreated', { name: body.name }));
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('designer.title')}</Title>
      {notice && <MessageStrip design="Positive" onClose={() => setNotice(undefined)} role="status">{notice}</MessageStrip>}
      {problem && <MessageStrip design="Negative" onClose={() => setProblem(undefined)} role="alert">{problem.detail ?? problem.title}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="designer-entity">{t('designer.entity')}</Label>
          <ComboBox id="designer-entity" accessibleName={t('designer.entity')} value={selected ? labelOf(entities.data?.find((e) => e.name === selected)?.label, selected) : ''}
            onSelectionChange={(e) => setSelected((e.detail.item as HTMLElement | null)?.dataset.name ?? '')}>
            {sorted.map((entity) => <ComboBoxItem key={entity.name} text={labelOf(entity.label, entity.name)} additionalText={entity.name} data-name={entity.name} />)}
          </ComboBox>
        </div>
        <Button icon="add" data-action="new-entity" onClick={() => {
          setProblem(undefined);
          setEntityDialog(true);
        }}>{t('designer.newEntity')}</Button>
      </div>

      {meta.data && (
        <>
          <Table accessibleName={t('designer.fields')} headerRow={
            <TableHeaderRow>
              {['name', 'label', 'type', 'required', 'origin'].map((column) => <TableHeaderCell key={column}>{t(`designer.columns.${column}`)}</TableHeaderCell>)}
              <TableHeaderCell>{t('fieldSuggestions.designer.column')}</TableHeaderCell>
              <TableHeaderCell />
            </TableHeaderRow>
          }>
            {meta.data.fields.map((f) => (
              <TableRow key={f.name} rowKey={f.name} data-field-row={f.name}>
                <TableCell><Text>{f.name}</Text></TableCell>
                <TableCell><Text>{labelOf(f.label, f.name)}</Text></TableCell>
                <TableCell><Text>{f.type}{f.options?.to ? ` → ${f.options.to}` : ''}</Text></TableCell>
                <TableCell><Text>{f.required ? t('values.yes') : t('values.no')}</Text></TableCell>
                <TableCell><Text>{f.custom ? t('designer.custom') : (f.inheritedFrom ?? meta.data.module)}</Text></TableCell>
                <TableCell><Text title={f.aiSuggest?.prompt}>{f.aiSuggest ? t('values.yes') : ''}</Text></TableCell>
                <TableCell>{f.custom && aiFillable(f.type) && !f.readOnly && (
                  <Button design="Transparent" icon="ai" data-action="edit-ai-suggest" tooltip={t('fieldSuggestions.designer.edit', { name: f.name })}
                    accessibleName={t('fieldSuggestions.designer.edit', { name: f.name })} onClick={() => setAiField(f)} />
                )}{f.custom && <Button design="Transparent" icon="delete" tooltip={t('designer.archive')} accessibleName={t('designer.archive')} onClick={() => void archiveField(f.name)} />}</TableCell>
              </TableRow>
            ))}
          </Table>

          <Title level="H2" size="H5">{t('designer.addField')}</Title>
          <div className={classes.form}>
            <FormInput id="new-field-name" label={t('designer.columns.name')} required value={field.name} error={errorOf('name')} onChange={(name) => setField({ ...field, name })} />
            <Label for="new-field-type" required>{t('designer.columns.type')}</Label>
            <Select id="new-field-type" accessibleName={t('designer.columns.type')} onChange={(e) => setField({ ...field, type: e.detail.selectedOption.getAttribute('value') ?? 'string' })}>
              {DESIGNER_TYPES.map((type) => <Option key={type} value={type} selected={field.type === type}>{t(`designer.types.${type}`, { defaultValue: type })}</Option>)}
            </Select>
            <FormInput id="new-field-en" label={t('designer.labelEn')} value={field.en} onChange={(en) => setField({ ...field, en })} />
            <FormInput id="new-field-fr" label={t('designer.labelFr')} value={field.fr} onChange={(fr) => setField({ ...field, fr })} />
            {field.type === 'enum' && (
              <FormInput id="new-field-values" label={t('designer.values')} required value={field.values} placeholder="bronze, silver, gold" error={errorOf('options')}
                onChange={(values) => setField({ ...field, values })} />
            )}
            {(field.type === 'ref' || field.type === 'refs') && (
              <>
                <Label for="new-field-to" required>{t('designer.target')}</Label>
                <Select id="new-field-to" accessibleName={t('designer.target')} onChange={(e) => setField({ ...field, to: e.detail.selectedOption.getAttribute('value') ?? '' })}>
                  <Option value="" selected={!field.to}>—</Option>
                  {sorted.map((entity) => <Option key={entity.name} value={entity.name} selected={field.to === entity.name}>{labelOf(entity.label, entity.name)}</Option>)}
                </Select>
              </>
            )}
            <CheckBox text={t('designer.columns.required')} checked={field.required} onChange={(e) => setField({ ...field, required: e.target.checked })} />
            {aiFillable(field.type) && <AiSuggestInputs id="new-field-ai" draft={field.ai} error={errorOf('aiSuggest')} onChange={(ai) => setField({ ...field, ai })} />}
            <div><Button design="Emphasized" data-action="add-field" disabled={!field.name} onClick={() => void addField()}>{t('designer.addField')}</Button></div>
          </div>
        </>
      )}

      <AiSuggestDialog entity={selected} field={aiField} onClose={() => setAiField(undefined)} onSaved={async (name) => {
        setAiField(undefined);
        setNotice(t('fieldSuggestions.designer.saved', { name }));
        await refresh();
      }} />

      <CreateDialog open={entityDialog} title={t('designer.newEntity')} action="create-entity" onSubmit={createEntity} onClose={() => setEntityDialog(false)}>
        {(error) => <>
          <FormInput id="new-entity-name" label={t('designer.columns.name')} required value={entityDraft.name} error={error('name')} onChange={(name) => setEntityDraft({ ...entityDraft, name })} />
          <FormInput id="new-entity-en" label={t('designer.labelEn')} value={entityDraft.en} onChange={(en) => setEntityDraft({ ...entityDraft, en })} />
          <FormInput id="new-entity-fr" label={t('designer.labelFr')} value={entityDraft.fr} onChange={(fr) => setEntityDraft({ ...entityDraft, fr })} />
        </>}
      </CreateDialog>
    </div>
  );
}
