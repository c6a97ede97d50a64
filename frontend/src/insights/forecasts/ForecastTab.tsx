// Onglet « Prévisions » de la page Analyses : une série d'entité (champ date, mesure, période) prévue localement,
// avec son graphique, sa bande de confiance et son erreur rétrospective (MAPE).
import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Input, Label, MessageStrip, Option, Select, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { useEntities } from '../../api/queries';
import { labelOf } from '../../i18n';
import type { EntityMeta } from '../../metadata/types';
import classes from '../../admin/AdminPage.module.css';
import { ForecastChart } from './ForecastChart';
import type { ForecastForm, ForecastResponse } from './types';

const DATE_TYPES = new Set(['date', 'datetime']);
const NUMERIC_TYPES = new Set(['integer', 'decimal', 'money']);
const BUCKETS = ['day', 'week', 'month', 'quarter'] as const;
const MEASURES = ['count', 'sum', 'avg'] as const;

/** Par défaut : le cours EUR/USD des données de démonstration, par semaine. */
const DEFAULTS: ForecastForm = { entity: 'exchange_rate', dateField: 'date', fn: 'avg', field: 'rate', bucket: 'week', horizon: '12', filter: '{"quote.code":"USD"}' };

const dateFields = (meta: EntityMeta | undefined) => [
  ...(meta?.fields.filter((f) => DATE_TYPES.has(f.type)).map((f) => f.name) ?? []),
  'createdAt',
];

export default function ForecastTab() {
  const { t } = useTranslation();
  const entities = useEntities();
  const [form, setForm] = useState<ForecastForm>(DEFAULTS);
  const usable = useMemo(() => (entities.data ?? []).filter((m) => !m.abstract).sort((a, b) => labelOf(a.label, a.name).localeCompare(labelOf(b.label, b.name))), [entities.data]);
  const meta = usable.find((m) => m.name === form.entity);
  const numeric = meta?.fields.filter((f) => NUMERIC_TYPES.has(f.type)) ?? [];
  const label = (name: string) => labelOf(meta?.fields.find((f) => f.name === name)?.label, name === 'createdAt' ? t('forecastsAnomalies.forecast.createdAt') : name);
  const set = (patch: Partial<ForecastForm>) => setForm((f) => ({ ...f, ...patch }));

  const run = useMutation({
    mutationFn: (f: ForecastForm) => api.request<ForecastResponse>('POST', '/ai/forecasts', {
      entity: f.entity, dateField: f.dateField, bucket: f.bucket, horizon: Number(f.horizon),
      measure: f.fn === 'count' ? { fn: 'count' } : { fn: f.fn, field: f.field },
      ...(f.filter.trim() ? { filter: JSON.parse(f.filter) as unknown } : {}),
    }),
  });
  const filterValid = (() => {
    try {
      return !form.filter.trim() || typeof JSON.parse(form.filter) === 'object';
    } catch {
      return false;
    }
  })();
  const valid = Boolean(meta) && filterValid && Number(form.horizon) >= 1 && (form.fn === 'count' || numeric.some((f) => f.name === form.field));
  const mape = run.data?.backtest.mape;

  return (
    <div className={classes.form}>
      <Text className={classes.muted}>{t('forecastsAnomalies.forecast.intro')}</Text>
      <div className={classes.row}>
        <Label for="fc-entity">{t('forecastsAnomalies.forecast.entity')}</Label>
        <Select id="fc-entity" data-field="entity" value={form.entity} accessibleName={t('forecastsAnomalies.forecast.entity')} onChange={(e) => {
          const next = usable.find((m) => m.name === e.detail.selectedOption.value);
          set({ entity: next?.name ?? '', dateField: dateFields(next)[0]!, field: next?.fields.find((f) => NUMERIC_TYPES.has(f.type))?.name ?? '', fn: 'count', filter: '' });
        }}>
          {usable.map((m) => <Option key={m.name} value={m.name}>{labelOf(m.label, m.name)}</Option>)}
        </Select>
        <Label for="fc-date">{t('forecastsAnomalies.forecast.dateField')}</Label>
        <Select id="fc-date" data-field="dateField" value={form.dateField} accessibleName={t('forecastsAnomalies.forecast.dateField')} onChange={(e) => set({ dateField: e.detail.selectedOption.value ?? '' })}>
          {dateFields(meta).map((name) => <Option key={name} value={name}>{label(name)}</Option>)}
        </Select>
      </div>
      <div className={classes.row}>
        <Label for="fc-measure">{t('forecastsAnomalies.forecast.measure')}</Label>
        <Select id="fc-measure" data-field="fn" value={form.fn} accessibleName={t('forecastsAnomalies.forecast.measure')} onChange={(e) => set({ fn: e.detail.selectedOption.value as ForecastForm['fn'] })}>
          {MEASURES.filter((fn) => fn === 'count' || numeric.length).map((fn) => <Option key={fn} value={fn}>{t(`forecastsAnomalies.forecast.fn.${fn}`)}</Option>)}
        </Select>
        {form.fn !== 'count' && (
          <Select id="fc-field" data-field="field" value={form.field} accessibleName={t('forecastsAnomalies.forecast.field')} onChange={(e) => set({ field: e.detail.selectedOption.value ?? '' })}>
            {numeric.map((f) => <Option key={f.name} value={f.name}>{labelOf(f.label, f.name)}</Option>)}
          </Select>
        )}
        <Label for="fc-bucket">{t('forecastsAnomalies.forecast.bucket')}</Label>
        <Select id="fc-bucket" data-field="bucket" value={form.bucket} accessibleName={t('forecastsAnomalies.forecast.bucket')} onChange={(e) => set({ bucket: e.detail.selectedOption.value as ForecastForm['bucket'] })}>
          {BUCKETS.map((b) => <Option key={b} value={b}>{t(`forecastsAnomalies.forecast.buckets.${b}`)}</Option>)}
        </Select>
        <Label for="fc-horizon">{t('forecastsAnomalies.forecast.horizon')}</Label>
        <Input id="fc-horizon" type="Number" value={form.horizon} accessibleName={t('forecastsAnomalies.forecast.horizon')} onInput={(e) => set({ horizon: e.target.value })} />
      </div>
      <div className={classes.row}>
        <Label for="fc-filter">{t('forecastsAnomalies.forecast.filter')}</Label>
        <Input id="fc-filter" value={form.filter} valueState={filterValid ? 'None' : 'Negative'} accessibleName={t('forecastsAnomalies.forecast.filter')}
          placeholder='{"status":"open"}' onInput={(e) => set({ filter: e.target.value })} />
        <Button design="Emphasized" data-action="forecast" disabled={!valid || run.isPending} onClick={() => run.mutate(form)}>{t('forecastsAnomalies.forecast.compute')}</Button>
      </div>
      {run.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(run.error)}</MessageStrip>}
      {run.data && (
        <>
          <Text data-mape={mape ?? ''}>
            {mape === null || mape === undefined
              ? t('forecastsAnomalies.forecast.noMape')
              : t('forecastsAnomalies.forecast.mape', { mape: mape.toFixed(2), origins: run.data.backtest.origins, model: run.data.model.name })}
          </Text>
          <ForecastChart result={run.data} />
        </>
      )}
    </div>
  );
}
