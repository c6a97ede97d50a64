// Consommation de l'IA du tenant : appels, échecs, jetons et coût sur une période (le mois en cours par défaut),
// groupés par fonction, utilisateur, fournisseur, modèle ou jour ; regroupement et période gardés dans l'adresse.
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Button, DatePicker, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text,
} from '@ui5/webcomponents-react';
import { api, problemText } from '../../api/client';
import { formatDateTime } from '../../components/useDateTime';
import classes from '../AdminPage.module.css';
import { USAGE_GROUPS, useFeatureLabel, useNumbers, useUserLabels, type UsageGroup, type UsageRow } from './model';

const pad = (n: number) => String(n).padStart(2, '0');
/** jour local « 2026-03-01 » */
const dayOf = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** début (minuit local) d'un jour saisi, ou le début du jour suivant (fin incluse de la période) */
const instantOf = (day: string, next = false) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (next ? 1 : 0), 0, 0, 0, next ? -1 : 0);
};

export function AiUsage() {
  const { t, i18n } = useTranslation();
  const numbers = useNumbers();
  const feature = useFeatureLabel();
  const [search, setSearch] = useSearchParams();
  const now = new Date();
  const groupBy: UsageGroup = (USAGE_GROUPS as readonly string[]).includes(search.get('groupBy') ?? '') ? search.get('groupBy') as UsageGroup : 'feature';
  const from = DAY.test(search.get('from') ?? '') ? search.get('from')! : dayOf(new Date(now.getFullYear(), now.getMonth(), 1));
  const to = DAY.test(search.get('to') ?? '') ? search.get('to')! : dayOf(now);
  const valid = from <= to;

  const usage = useQuery({
    queryKey: ['ai-usage', groupBy, from, to],
    enabled: valid,
    queryFn: () => {
      const params = new URLSearchParams({ groupBy, from: instantOf(from).toISOString(), to: instantOf(to, true).toISOString() });
      return api.request<{ data: UsageRow[] }>('GET', `/ai/usage?${params}`).then((r) => r.data);
    },
  });
  const rows = usage.data ?? [];
  const userLabel = useUserLabels(groupBy === 'user' ? rows.map((row) => row.key) : []);

  /** Réglage changé dans l'adresse (remplace l'entrée d'historique). */
  const choose = (name: string, value: string | undefined) => setSearch((current) => {
    const next = new URLSearchParams(current);
    if (value) next.set(name, value);
    else next.delete(name);
    return next;
  }, { replace: true });

  const keyText = (key: string) => {
    if (groupBy === 'feature') return feature(key);
    if (groupBy === 'day') return formatDateTime(key, i18n.language, 'calendarDay');
    if (groupBy === 'user') return key ? userLabel(key) : t('ai.usage.noUser');
    return key || '—';
  };
  const total = rows.reduce((sum, row) => ({
    calls: sum.calls + row.calls, failed: sum.failed + row.failed, inputTokens: sum.inputTokens + row.inputTokens,
    outputTokens: sum.outputTokens + row.outputTokens, cost: sum.cost + row.cost,
  }), { calls: 0, failed: 0, inputTokens: 0, outputTokens: 0, cost: 0 });
  const cells = (row: Omit<UsageRow, 'key'>) => [
    <TableCell key="calls" data-column="calls"><Text>{numbers.integer(row.calls)}</Text></TableCell>,
    <TableCell key="failed" data-column="failed"><Text>{numbers.integer(row.failed)}</Text></TableCell>,
    <TableCell key="input" data-column="inputTokens"><Text>{numbers.integer(row.inputTokens)}</Text></TableCell>,
    <TableCell key="output" data-column="outputTokens"><Text>{numbers.integer(row.outputTokens)}</Text></TableCell>,
    <TableCell key="cost" data-column="cost"><Text>{numbers.cost(row.cost)}</Text></TableCell>,
  ];

  return (
    <div className={classes.page} style={{ padding: 0 }}>
      {usage.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(usage.error)}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="ai-usage-group">{t('ai.usage.groupBy')}</Label>
          <Select id="ai-usage-group" accessibleName={t('ai.usage.groupBy')} onChange={(e) => choose('groupBy', e.detail.selectedOption.getAttribute('value') || undefined)}>
            {USAGE_GROUPS.map((group) => <Option key={group} value={group} selected={groupBy === group}>{t(`ai.usage.groups.${group}`)}</Option>)}
          </Select>
        </div>
        <div className={classes.form}>
          <Label for="ai-usage-from">{t('filters.from')}</Label>
          <DatePicker id="ai-usage-from" accessibleName={t('filters.from')} valueFormat="yyyy-MM-dd" value={from} valueState={valid ? 'None' : 'Negative'}
            onChange={(e) => e.detail.valid && choose('from', e.detail.value || undefined)}>
            {!valid && <div slot="valueStateMessage">{t('ai.usage.badRange')}</div>}
          </DatePicker>
        </div>
        <div className={classes.form}>
          <Label for="ai-usage-to">{t('filters.to')}</Label>
          <DatePicker id="ai-usage-to" accessibleName={t('filters.to')} valueFormat="yyyy-MM-dd" value={to} valueState={valid ? 'None' : 'Negative'}
            onChange={(e) => e.detail.valid && choose('to', e.detail.value || undefined)} />
        </div>
        <Button icon="refresh" onClick={() => void usage.refetch()}>{t('background.refresh')}</Button>
      </div>
      <Table accessibleName={t('ai.usage.title')} loading={usage.isFetching && !usage.data} noDataText={t('ai.usage.none')} data-usage-group={groupBy}
        headerRow={<TableHeaderRow>
          <TableHeaderCell>{t(`ai.usage.groups.${groupBy}`)}</TableHeaderCell>
          {(['calls', 'failed', 'inputTokens', 'outputTokens', 'cost'] as const).map((c) => <TableHeaderCell key={c}>{t(`ai.usage.columns.${c}`)}</TableHeaderCell>)}
        </TableHeaderRow>}>
        {rows.map((row) => (
          <TableRow key={row.key} rowKey={row.key || '-'} data-usage-key={row.key}>
            <TableCell data-column="key"><Text>{keyText(row.key)}</Text></TableCell>
            {cells(row)}
          </TableRow>
        ))}
        {rows.length > 0 && (
          <TableRow rowKey="total" data-usage-total>
            <TableCell><Text><strong>{t('ai.usage.total')}</strong></Text></TableCell>
            {cells(total)}
          </TableRow>
        )}
      </Table>
      <Text className={classes.muted}>{t('ai.usage.costNote')}</Text>
    </div>
  );
}
