// Graphique d'une prévision : historique, prévision et bornes de la bande de confiance sur un même axe du temps.
import { useTranslation } from 'react-i18next';
import { ComposedChart } from '@ui5/webcomponents-react-charts';
import type { ForecastResponse } from './types';

export function ForecastChart({ result }: { result: ForecastResponse }) {
  const { t, i18n } = useTranslation();
  const last = result.history.at(-1);
  const dataset = [
    ...result.history.map((p) => ({ t: p.t, history: p.value })),
    // la prévision part du dernier point connu : les deux courbes se rejoignent
    ...(last ? [{ t: last.t, forecast: last.value, lower: last.value, upper: last.value }] : []),
    ...result.forecast.map((p) => ({ t: p.t, forecast: p.value, lower: p.lower, upper: p.upper })),
  ];
  // le point de jonction double la date du dernier point : fusionné
  const merged = Object.values(dataset.reduce<Record<string, Record<string, number | string>>>((acc, row) => {
    acc[row.t] = { ...acc[row.t], ...row };
    return acc;
  }, {}));
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 4 });
  const band = Math.round(result.confidence * 100);
  return (
    <div data-insight="forecast-chart" style={{ height: '360px' }}>
      <ComposedChart
        dataset={merged}
        dimensions={[{ accessor: 't' }]}
        measures={[
          { accessor: 'history', label: t('forecastsAnomalies.forecast.history'), type: 'line', formatter: (v: number) => number.format(v) },
          { accessor: 'forecast', label: t('forecastsAnomalies.forecast.forecast'), type: 'line', formatter: (v: number) => number.format(v) },
          { accessor: 'lower', label: t('forecastsAnomalies.forecast.lower', { band }), type: 'line', opacity: 0.45, formatter: (v: number) => number.format(v) },
          { accessor: 'upper', label: t('forecastsAnomalies.forecast.upper', { band }), type: 'line', opacity: 0.45, formatter: (v: number) => number.format(v) },
        ]}
        // l'axe suit les valeurs (un cours autour de 1,08 ne s'écrase pas contre zéro)
        chartConfig={{ legendPosition: 'bottom', yAxisConfig: { domain: ['auto', 'auto'] } }}
        noAnimation
        style={{ height: '100%' }}
      />
    </div>
  );
}
