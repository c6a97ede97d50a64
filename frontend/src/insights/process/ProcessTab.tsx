// Onglet « Processus » de la page Analyses : une entité et son champ d'état (liste ou référence) → la carte du
// processus tirée du journal d'audit (/ai/process), ses variantes, son goulet et sa conformité.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, Label, MessageStrip, Option, Select, Text } from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { useEntities } from '../../api/queries';
import { labelOf } from '../../i18n';
import type { EntityMeta } from '../../metadata/types';
import classes from '../../admin/AdminPage.module.css';
import { duration } from './duration';
import { ProcessMapSvg } from './ProcessMapSvg';
import type { ProcessResult } from './types';
import { VariantsTable } from './VariantsTable';

const STATE_TYPES = new Set(['enum', 'ref']);
const stateFields = (meta: EntityMeta | undefined) => meta?.fields.filter((f) => STATE_TYPES.has(f.type)) ?? [];
/** Champ d'état proposé d'abord : `state`, `status` ou `stage` s'il existe. */
const preferred = (meta: EntityMeta | undefined) => {
  const fields = stateFields(meta);
  return (fields.find((f) => ['state', 'status', 'stage'].includes(f.name)) ?? fields[0])?.name ?? '';
};

export default function ProcessTab() {
  const { t } = useTranslation();
  const entities = useEntities();
  const usable = useMemo(() => (entities.data ?? []).filter((m) => !m.abstract && stateFields(m).length > 0)
    .sort((a, b) => labelOf(a.label, a.name).localeCompare(labelOf(b.label, b.name))), [entities.data]);
  const [choice, setChoice] = useState<{ entity: string; field: string } | undefined>();
  const initial = usable.find((m) => m.name === 'sales_order') ?? usable.find((m) => m.name === 'crm_lead') ?? usable[0];
  const entity = choice?.entity ?? initial?.name ?? '';
  const meta = usable.find((m) => m.name === entity);
  const field = choice?.field ?? preferred(meta);

  const map = useQuery({
    queryKey: ['ai-process', entity, field],
    queryFn: () => api.request<ProcessResult>('GET', `/ai/process?entity=${encodeURIComponent(entity)}&field=${encodeURIComponent(field)}`),
    enabled: Boolean(entity && field),
    staleTime: 60_000,
  });
  const data = map.data;
  const name = (state: string) => data?.labels[state] ?? state;
  const slowest = data?.bottlenecks[0];

  return (
    <div className={classes.form} data-insight="process">
      <Text className={classes.muted}>{t('graphProcess.process.intro')}</Text>
      <div className={classes.row}>
        <Label for="pm-entity">{t('graphProcess.process.entity')}</Label>
        <Select id="pm-entity" data-field="entity" accessibleName={t('graphProcess.process.entity')} onChange={(e) => {
          const next = usable.find((m) => m.name === e.detail.selectedOption.dataset.value);
          setChoice({ entity: next?.name ?? '', field: preferred(next) });
        }}>
          {usable.map((m) => <Option key={m.name} value={m.name} data-value={m.name} selected={m.name === entity}>{labelOf(m.label, m.name)}</Option>)}
        </Select>
        <Label for="pm-field">{t('graphProcess.process.field')}</Label>
        <Select id="pm-field" data-field="field" accessibleName={t('graphProcess.process.field')} onChange={(e) => setChoice({ entity, field: e.detail.selectedOption.dataset.value ?? '' })}>
          {stateFields(meta).map((f) => <Option key={f.name} value={f.name} data-value={f.name} selected={f.name === field}>{labelOf(f.label, f.name)}</Option>)}
        </Select>
      </div>
      {map.isFetching && <BusyIndicator active delay={300} />}
      {map.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(map.error)}</MessageStrip>}
      {data && data.cases === 0 && <Text>{t('graphProcess.process.noCases')}</Text>}
      {data && data.cases > 0 && (
        <>
          <Text data-cases={data.cases}>{t('graphProcess.process.summary', { cases: data.cases, transitions: data.transitions })}</Text>
          {slowest && <Text data-slowest="">{t('graphProcess.process.bottleneck', { from: name(slowest.from), to: name(slowest.to), median: duration(t, slowest.medianMs) })}</Text>}
          {data.conformance
            ? <Text data-fitting={data.conformance.fitting}>{t('graphProcess.process.fitting', { percent: Math.round(data.conformance.fitting * 100), deviations: data.conformance.deviations.map((d) => `${name(d.from)} → ${name(d.to)} (${d.count})`).join(', ') || '–' })}</Text>
            : <Text>{t('graphProcess.process.noTransitions')}</Text>}
          <ProcessMapSvg map={data} />
          <VariantsTable map={data} />
          {data.truncated && <Text>{t('graphProcess.process.truncated')}</Text>}
        </>
      )}
    </div>
  );
}
