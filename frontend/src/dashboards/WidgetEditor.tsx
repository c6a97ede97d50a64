// Panneau d'un widget : entité, mesure, regroupement (période d'un champ date), type de graphique et titre, choisis
// dans des listes tirées des métadonnées — aucune saisie de JSON. La requête construite est celle de l'API d'analyse.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsBucket, AnalyticsFunction, AnalyticsQuery } from '@opsflux/sdk';
import { Button, Dialog, Input, Label, Option, Select } from '@ui5/webcomponents-react';
import { useEntities } from '../api/queries';
import { labelOf } from '../i18n';
import type { EntityMeta, FieldMeta } from '../metadata/types';
import classes from './Dashboards.module.css';
import { WIDGET_TYPES, type Widget, type WidgetType } from './types';

const NUMERIC = new Set(['integer', 'decimal', 'money']);
const TEMPORAL = new Set(['date', 'datetime']);
const GROUPABLE = new Set(['string', 'enum', 'boolean', 'integer', 'date', 'datetime', 'ref', 'email']);
const FUNCTIONS: AnalyticsFunction[] = ['count', 'sum', 'avg', 'min', 'max', 'countDistinct'];
const BUCKETS: AnalyticsBucket[] = ['day', 'week', 'month', 'quarter', 'year', 'fiscalYear'];
/** périodes qu'une prévision sait prolonger, et horizons proposés */
const FORECASTABLE = new Set<AnalyticsBucket>(['day', 'week', 'month', 'quarter']);
const HORIZONS = [0, 3, 6, 12];

interface Draft {
  type: WidgetType;
  entity: string;
  fn: AnalyticsFunction;
  field: string;
  dimension: string;
  bucket: AnalyticsBucket;
  forecast: number;
  title: string;
}

/** Chemin de regroupement d'un champ : une référence se regroupe par le libellé de sa cible (`customer.name`). */
function groupPath(field: FieldMeta, entities: EntityMeta[]): string {
  if (field.type !== 'ref') return field.name;
  const target = entities.find((m) => m.name === field.options?.to);
  return target?.display ? `${field.name}.${target.display}` : field.name;
}

function draftOf(widget: Widget, fallbackEntity: string): Draft {
  const q = widget.query;
  const dim = q?.dimensions?.[0];
  return {
    type: widget.type,
    entity: q?.entity ?? fallbackEntity,
    fn: q?.measures[0]?.fn ?? 'count',
    field: q?.measures[0]?.field ?? '',
    dimension: dim?.field ?? '',
    bucket: dim?.bucket ?? 'month',
    forecast: widget.forecast ?? 0,
    title: widget.title?.en ?? widget.title?.fr ?? '',
  };
}

export function WidgetEditor({ widget, onApply, onClose }: { widget: Widget; onApply: (widget: Widget) => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const entities = useEntities();
  const usable = useMemo(() => (entities.data ?? []).filter((m) => !m.abstract).sort((a, b) => labelOf(a.label, a.name).localeCompare(labelOf(b.label, b.name))), [entities.data]);
  const [draft, setDraft] = useState<Draft>(() => draftOf(widget, usable[0]?.name ?? ''));
  const meta = usable.find((m) => m.name === draft.entity);
  const numeric = meta?.fields.filter((f) => NUMERIC.has(f.type)) ?? [];
  const groupable = meta?.fields.filter((f) => GROUPABLE.has(f.type)) ?? [];
  const dimensionField = groupable.find((f) => groupPath(f, usable) === draft.dimension);
  const temporal = dimensionField ? TEMPORAL.has(dimensionField.type) : false;
  const needsField = draft.fn !== 'count';
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const canForecast = temporal && FORECASTABLE.has(draft.bucket) && (draft.type === 'line' || draft.type === 'area');
  const valid = Boolean(meta) && (!needsField || Boolean(draft.field)) && (draft.type === 'kpi' || Boolean(draft.dimension));

  const apply = () => {
    const query: AnalyticsQuery = {
      entity: draft.entity,
      measures: [needsField ? { fn: draft.fn, field: draft.field } : { fn: 'count' }],
      ...(draft.type !== 'kpi' && draft.dimension ? { dimensions: [{ field: draft.dimension, ...(temporal ? { bucket: draft.bucket } : {}) }] } : {}),
      ...(draft.type !== 'kpi' && !temporal ? { top: 12, others: true } : {}),
    };
    const dateField = meta?.fields.find((f) => TEMPORAL.has(f.type))?.name;
    const title = draft.title.trim();
    const forecast = canForecast && draft.forecast > 0 ? draft.forecast : undefined;
    onApply({ ...widget, type: draft.type, query, forecast, ...(dateField ? { dateField } : {}), ...(title ? { title: { en: title, fr: title } } : { title: undefined }) });
  };

  return (
    <Dialog open headerText={t('dashboards.editor.title')} onClose={onClose} data-widget-editor
      footer={<div className={classes.footer}>
        <Button design="Emphasized" data-action="apply-widget" disabled={!valid} onClick={apply}>{t('dashboards.editor.apply')}</Button>
        <Button design="Transparent" onClick={onClose}>{t('actions.cancel')}</Button>
      </div>}>
      <div className={classes.editor}>
        <Label for="we-type">{t('dashboards.editor.type')}</Label>
        <Select id="we-type" data-field="type" value={draft.type} onChange={(e) => set({ type: e.detail.selectedOption.value as WidgetType })}>
          {WIDGET_TYPES.map((type) => <Option key={type} value={type}>{t(`dashboards.types.${type}`)}</Option>)}
        </Select>
        <Label for="we-entity">{t('dashboards.editor.entity')}</Label>
        <Select id="we-entity" data-field="entity" value={draft.entity} onChange={(e) => set({ entity: e.detail.selectedOption.value ?? '', field: '', dimension: '', fn: 'count' })}>
          {usable.map((m) => <Option key={m.name} value={m.name}>{labelOf(m.label, m.name)}</Option>)}
        </Select>
        <Label for="we-fn">{t('dashboards.editor.measure')}</Label>
        <div className={classes.inline}>
          <Select id="we-fn" data-field="fn" value={draft.fn} onChange={(e) => set({ fn: e.detail.selectedOption.value as AnalyticsFunction })}>
            {FUNCTIONS.filter((fn) => fn === 'count' || numeric.length).map((fn) => <Option key={fn} value={fn}>{t(`dashboards.fn.${fn}`)}</Option>)}
          </Select>
          {needsField && (
            <Select id="we-field" data-field="field" value={draft.field} onChange={(e) => set({ field: e.detail.selectedOption.value ?? '' })}>
              <Option value="">{t('dashboards.editor.choose')}</Option>
              {numeric.map((f) => <Option key={f.name} value={f.name}>{labelOf(f.label, f.name)}</Option>)}
            </Select>
          )}
        </div>
        {draft.type !== 'kpi' && (
          <>
            <Label for="we-dimension">{t('dashboards.editor.dimension')}</Label>
            <div className={classes.inline}>
              <Select id="we-dimension" data-field="dimension" value={draft.dimension} onChange={(e) => set({ dimension: e.detail.selectedOption.value ?? '' })}>
                <Option value="">{t('dashboards.editor.choose')}</Option>
                {groupable.map((f) => <Option key={f.name} value={groupPath(f, usable)}>{labelOf(f.label, f.name)}</Option>)}
              </Select>
              {temporal && (
                <Select id="we-bucket" data-field="bucket" value={draft.bucket} onChange={(e) => set({ bucket: e.detail.selectedOption.value as AnalyticsBucket })}>
                  {BUCKETS.map((b) => <Option key={b} value={b}>{t(`dashboards.buckets.${b}`)}</Option>)}
                </Select>
              )}
            </div>
          </>
        )}
        {canForecast && (
          <>
            <Label for="we-forecast">{t('dashboards.forecast.periods')}</Label>
            <Select id="we-forecast" data-field="forecast" value={String(draft.forecast)} onChange={(e) => set({ forecast: Number(e.detail.selectedOption.value) })}>
              {HORIZONS.map((n) => <Option key={n} value={String(n)}>{n === 0 ? t('dashboards.forecast.none') : t('dashboards.forecast.next', { count: n })}</Option>)}
            </Select>
          </>
        )}
        <Label for="we-title">{t('dashboards.editor.widgetTitle')}</Label>
        <Input id="we-title" data-field="title" value={draft.title} placeholder={t('dashboards.editor.titlePlaceholder')} lang={i18n.language} onInput={(e) => set({ title: e.target.value })} />
      </div>
    </Dialog>
  );
}
