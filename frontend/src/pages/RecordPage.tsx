// Fiche générique (ObjectPage) : en-tête et actions, sections tirées des métadonnées, création et modification,
// erreurs de validation rattachées aux champs, conflit de version (412) avec choix, historique, suppression et restauration,
// suggestions d'IA sur les champs configurés pour elles.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Bar, Breadcrumbs, BreadcrumbsItem, Button, Form, FormItem, Label, MessageStrip, ObjectPage, ObjectPageSection, ObjectPageTitle,
  ObjectStatus, Title, Toolbar, ToolbarButton,
} from '@ui5/webcomponents-react';
import type { Problem, RecordData } from '@opsflux/sdk';
import { api, isApiError } from '../api/client';
import { area } from '../area';
import { askAssistant } from '../assistant/askAssistant';
import { FieldSuggestion } from '../assistant/FieldSuggestion';
import { can } from '../api/permissions';
import { useEntityMeta, useMe, useRefLabels } from '../api/queries';
import { labelOf } from '../i18n';
import { formSections } from '../metadata/sections';
import type { EntityMeta } from '../metadata/types';
import { fieldMessages, initialValues, recordTitle, toPayload, type FormValues } from '../metadata/values';
import { ConflictDialog } from '../components/ConflictDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FieldInput } from '../components/FieldInput';
import { problemOf } from '../components/fieldErrors';
import { HistoryTimeline } from '../components/HistoryTimeline';
import { RecordInsightBadges, useRecordInsightSections } from '../insights/RecordInsights';
import NotFoundPage from './NotFoundPage';

export default function RecordPage() {
  const { entity = '', id } = useParams();
  const meta = useEntityMeta(entity);
  const record = useQuery({
    queryKey: ['record', entity, id],
    enabled: Boolean(id),
    queryFn: () => api.request<RecordData>('GET', `/data/${encodeURIComponent(entity)}/${encodeURIComponent(id!)}?trashed=with`),
  });
  if (meta.isError || record.isError) return <NotFoundPage />;
  if (!meta.data || (id && !record.data)) return null;
  return <RecordView key={`${entity}/${id ?? 'new'}/${record.data?.version ?? 0}`} meta={meta.data} record={record.data} />;
}

function RecordView({ meta, record }: { meta: EntityMeta; record?: RecordData }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const me = useMe().data;
  const creating = !record;
  const [editing, setEditing] = useState(creating);
  const [values, setValues] = useState<FormValues>(() => initialValues(meta, record));
  const [problem, setProblem] = useState<Problem | undefined>();
  const [conflict, setConflict] = useState<Record<string, unknown> | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const sections = useMemo(() => formSections(meta), [meta]);
  const refLabel = useRefLabels(meta, useMemo(() => [values], [values]));
  const messages = fieldMessages(meta, problem);
  const entityLabel = labelOf(meta.label, meta.name);
  const deleted = Boolean(record?.deletedAt);
  const path = `/data/${encodeURIComponent(meta.name)}`;
  const change = (name: string, value: unknown) => setValues((current) => ({ ...current, [name]: value }));

  async function refresh(id: string) {
    await Promise.all([
      queries.invalidateQueries({ queryKey: ['list', meta.name] }),
      queries.invalidateQueries({ queryKey: ['record', meta.name, id] }),
      queries.invalidateQueries({ queryKey: ['history', meta.name, id] }),
    ]);
  }

  async function save(version = record?.version) {
    const payload = toPayload(meta, values, record);
    setBusy(true);
    setProblem(undefined);
    try {
      if (creating) {
        const created = await api.records.create<RecordData>(meta.name, payload);
        await queries.invalidateQueries({ queryKey: ['list', meta.name] });
        navigate(`/data/${meta.name}/${created.id}`, { replace: true });
      } else if (Object.keys(payload).length === 0) {
        setEditing(false);
      } else {
        await api.records.update(meta.name, record.id, payload, version);
        await refresh(record.id);
      }
    } catch (failure) {
      if (isApiError(failure, 412)) setConflict(payload);
      else setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  /** Conflit : « écraser » réapplique mes changements sur la version actuelle ; « recharger » les abandonne. */
  async function resolveConflict(choice: 'overwrite' | 'reload') {
    setConflict(undefined);
    if (!record) return;
    if (choice === 'reload') {
      await refresh(record.id);
      return;
    }
    const latest = await api.records.get<RecordData>(meta.name, record.id);
    await save(latest.version);
  }

  async function remove() {
    setConfirmDelete(false);
    if (!record) return;
    try {
      await api.records.remove(meta.name, record.id);
      await refresh(record.id);
    } catch (failure) {
      if (isApiError(failure)) setProblem(failure.problem);
    }
  }

  async function restore() {
    if (!record) return;
    await api.records.restore(meta.name, record.id).catch((failure) => isApiError(failure) && setProblem(failure.problem));
    await refresh(record.id);
  }

  // l'action principale reste dans la barre, jamais dans le menu de débordement (mesuré après le rendu de la page)
  const actions = (
    <Toolbar accessibleName={t('record.actions')}>
      {!editing && !deleted && can(me, meta.name, 'update') && <ToolbarButton design="Emphasized" icon="edit" text={t('actions.edit')} overflowPriority="NeverOverflow" onClick={() => setEditing(true)} />}
      {!editing && !deleted && can(me, meta.name, 'delete') && <ToolbarButton icon="delete" text={t('actions.delete')} onClick={() => setConfirmDelete(true)} />}
      {record && !editing && area !== 'server' && (
        <ToolbarButton icon="ai" text={t('assistant.explain')} data-action="explain" onClick={() => askAssistant(t('assistant.explainRecord', { entity: entityLabel, name: meta.name, id: record.id }))} />
      )}
      {deleted && can(me, meta.name, 'delete') && <ToolbarButton icon="undo" text={t('actions.restore')} overflowPriority="NeverOverflow" onClick={() => void restore()} />}
    </Toolbar>
  );

  const footer = editing ? (
    <Bar design="FloatingFooter" endContent={<>
      <Button design="Emphasized" disabled={busy} onClick={() => void save()}>{creating ? t('actions.create') : t('actions.save')}</Button>
      <Button design="Transparent" onClick={() => {
        if (creating) navigate(path);
        else {
          setValues(initialValues(meta, record));
          setProblem(undefined);
          setEditing(false);
        }
      }}>{t('actions.cancel')}</Button>
    </>} />
  ) : undefined;

  const title = creating ? t('record.new', { entity: entityLabel }) : recordTitle(meta, record);
  const insightSections = useRecordInsightSections(record ? { meta, record } : undefined);

  return (
    <>
      <ObjectPage
        style={{ height: '100%' }}
        mode="IconTabBar"
        titleArea={
          <ObjectPageTitle
            header={<Title level="H1" size="H3">{title}</Title>}
            subHeader={record ? `${entityLabel} · ${record.eid}` : entityLabel}
            breadcrumbs={<Breadcrumbs onItemClick={(e) => {
              e.preventDefault();
              navigate((e.detail.item as HTMLElement).dataset.path!);
            }}>
              <BreadcrumbsItem data-path="/">{t('shell.home')}</BreadcrumbsItem>
              <BreadcrumbsItem data-path={path}>{entityLabel}</BreadcrumbsItem>
              <BreadcrumbsItem>{title}</BreadcrumbsItem>
            </Breadcrumbs>}
            actionsBar={actions}
          >
            {deleted && <ObjectStatus state="Negative" showDefaultIcon>{t('record.deleted')}</ObjectStatus>}
            {record && <RecordInsightBadges meta={meta} record={record} />}
          </ObjectPageTitle>
        }
        footerArea={footer}
      >
        {[
          <ObjectPageSection key="fields" id="fields" titleText={t('record.details')}>
            {messages.general.length > 0 && (
              <MessageStrip design="Negative" hideCloseButton role="alert" style={{ marginBottom: '0.5rem' }}>{messages.general.join(' · ')}</MessageStrip>
            )}
            {Object.keys(messages.byField).length > 0 && (
              <MessageStrip design="Negative" hideCloseButton role="alert" style={{ marginBottom: '0.5rem' }} data-problem={problem?.code}>{problem?.detail ?? problem?.title}</MessageStrip>
            )}
            {sections.map((section) => (
              <Form key={section.id} headerText={section.owner === 'custom' ? t('record.custom') : section.owner === meta.name ? entityLabel : t('record.general')}
                layout="S1 M2 L2 XL3" labelSpan="S12 M12 L12 XL12" accessibleMode={editing ? 'Edit' : 'Display'} style={{ marginBottom: '1rem' }}>
                {section.fields.map((field) => (
                  <FormItem key={field.name} labelContent={<Label for={`field-${field.name}`} required={editing && field.required} showColon>{labelOf(field.label, field.name)}</Label>}
                    columnSpan={field.type === 'text' || field.type === 'json' ? 2 : undefined}>
                    <FieldSuggestion meta={meta} field={field} recordId={record?.id} values={values} editing={editing} onSuggested={(value) => change(field.name, value)}>
                      <FieldInput field={field} value={values[field.name]} error={messages.byField[field.name]} editing={editing} refLabel={refLabel}
                        onChange={(value) => change(field.name, value)} entity={meta.name} form={values} />
                    </FieldSuggestion>
                  </FormItem>
                ))}
              </Form>
            ))}
          </ObjectPageSection>,
          ...insightSections,
          ...(record ? [
            <ObjectPageSection key="history" id="history" titleText={t('record.history')}>
              <HistoryTimeline meta={meta} id={record.id} />
            </ObjectPageSection>,
          ] : []),
        ]}
      </ObjectPage>
      <ConflictDialog open={Boolean(conflict)} onChoose={(choice) => void resolveConflict(choice)} />
      <ConfirmDialog open={confirmDelete} text={t('record.confirmDelete', { title })} onConfirm={() => void remove()} onCancel={() => setConfirmDelete(false)} />
    </>
  );
}
