// Contenu d'un widget : tuile de chiffre clé, graphique (colonnes, barres, lignes, aires, secteurs, anneau) ou
// tableau, d'après le résultat d'analyse du serveur ; un clic sur un point ouvre la liste filtrée (filtre du serveur).
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AnalyticsResult } from '@opsflux/sdk';
import { BarChart, ColumnChart, DonutChart, LineChart, PieChart } from '@ui5/webcomponents-react-charts';
import { Text } from '@ui5/webcomponents-react';
import { labelOf } from '../i18n';
import classes from './Dashboards.module.css';
import type { Widget, WidgetForecast } from './types';

/** Valeur affichée : nombres au format de la langue, décimaux exacts arrondis à 2 chiffres. */
export function formatMeasure(value: unknown, locale: string): string {
  if (value === null || value === undefined) return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isNaN(n)) return String(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

function keyLabel(value: unknown, locale: string, others: boolean, t: (key: string) => string): string {
  if (others) return t('dashboards.others');
  if (value === null || value === undefined) return t('dashboards.empty');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`).toLocaleDateString(locale, { timeZone: 'UTC' });
  return String(value);
}

export function WidgetBody({ widget, result, forecast }: { widget: Widget; result: AnalyticsResult; forecast?: WidgetForecast }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const locale = i18n.language;
  const measure = result.columns.find((c) => c.role === 'measure');
  const dimension = result.columns.find((c) => c.role === 'dimension');
  if (!measure) return null;

  if (widget.type === 'kpi' || !dimension) {
    const value = result.totals[measure.name];
    return (
      <div className={classes.kpi} data-kpi-value={value === null || value === undefined ? '' : String(value)}>
        <span className={classes.kpiValue}>{formatMeasure(value, locale)}</span>
        <Text className={classes.muted}>{labelOf(measure.label, measure.name)}</Text>
      </div>
    );
  }

  const dataset: Array<{ k: string; v?: number; f?: number; lo?: number; hi?: number; drill?: unknown }> = result.rows.map((row) => ({
    k: keyLabel(row.keys[dimension.name], locale, row.others === true, t),
    v: Number(row.values[measure.name] ?? 0),
    drill: row.drill,
  }));
  // prévision : la courbe part du dernier point connu, bornes de la bande de confiance
  if (forecast?.points.length && dataset.length) {
    const last = dataset.at(-1)!;
    Object.assign(last, { f: last.v, lo: last.v, hi: last.v });
    for (const p of forecast.points) dataset.push({ k: keyLabel(p.t, locale, false, t), f: p.value, lo: p.lower, hi: p.upper });
  }
  const open = (payload: { drill?: unknown } | undefined) => {
    if (payload?.drill && widget.query) navigate(`/data/${widget.query.entity}?filter=${encodeURIComponent(JSON.stringify(payload.drill))}`);
  };
  const onPoint = (event: CustomEvent) => open((event.detail as { payload?: { drill?: unknown } }).payload);
  const dims = [{ accessor: 'k', label: labelOf(dimension.label, dimension.name) }];
  const format = (v: number) => formatMeasure(v, locale);
  const measures = [{ accessor: 'v', label: labelOf(measure.label, measure.name), formatter: format }];
  const predicted = forecast?.points.length ? [
    { accessor: 'f', label: t('dashboards.forecast.value'), formatter: format },
    { accessor: 'lo', label: t('dashboards.forecast.lower'), formatter: format, opacity: 0.4 },
    { accessor: 'hi', label: t('dashboards.forecast.upper'), formatter: format, opacity: 0.4 },
  ] : [];
  const common = { dataset, noAnimation: true, onDataPointClick: onPoint, style: { height: '100%', width: '100%' } };

  switch (widget.type) {
    case 'bar': return <BarChart {...common} dimensions={dims} measures={measures} />;
    case 'line': return <LineChart {...common} dimensions={dims} measures={[...measures, ...predicted]} />;
    case 'area': return <LineChart {...common} dimensions={dims} measures={[...measures.map((m) => ({ ...m, width: 3 })), ...predicted]} />;
    case 'pie': return <PieChart {...common} dimension={dims[0]!} measure={measures[0]!} />;
    case 'donut': return <DonutChart {...common} dimension={dims[0]!} measure={measures[0]!} />;
    case 'table': return (
      <div className={classes.tableWrap}>
        <table className={classes.table} data-widget-table>
          <thead><tr>{result.columns.map((c) => <th key={c.name}>{labelOf(c.label, c.name)}</th>)}</tr></thead>
          <tbody>
            {result.rows.map((row, i) => (
              <tr key={i} onClick={() => open(row)} className={row.drill ? classes.clickable : undefined}>
                {result.columns.map((c) => (
                  <td key={c.name} className={c.role === 'measure' ? classes.number : undefined}>
                    {c.role === 'measure' ? formatMeasure(row.values[c.name], locale) : keyLabel(row.keys[c.name], locale, row.others === true && c === dimension, t)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
    default: return <ColumnChart {...common} dimensions={dims} measures={measures} />;
  }
}
