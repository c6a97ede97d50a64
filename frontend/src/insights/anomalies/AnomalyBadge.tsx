// Badge de l'en-tête d'une fiche : les valeurs inhabituelles trouvées sur ses champs surveillés
// (GET /api/v1/ai/anomalies, avec les droits de l'utilisateur) ; rien s'il n'y en a pas.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Tag } from '@ui5/webcomponents-react';
import { api } from '../../api/client';
import { labelOf } from '../../i18n';
import type { RecordInsightProps } from '../registry';

interface FieldAnomaly {
  field: string;
  value: number;
  typical: number;
  ratio: number | null;
  z: number;
}

export default function AnomalyBadge({ meta, record }: RecordInsightProps) {
  const { t, i18n } = useTranslation();
  const anomalies = useQuery({
    queryKey: ['ai-anomalies', meta.name, record.id],
    queryFn: () => api.request<{ data: Array<{ fields: FieldAnomaly[] }> }>('GET', `/ai/anomalies?entity=${encodeURIComponent(meta.name)}&recordId=${record.id}`),
    staleTime: 60_000,
  });
  const fields = anomalies.data?.data[0]?.fields ?? [];
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (
    <>
      {fields.map((f) => {
        const label = labelOf(meta.fields.find((m) => m.name === f.field.split('.')[0])?.label, f.field);
        const text = f.ratio === null
          ? t('forecastsAnomalies.anomaly.badgeNoRatio', { field: label })
          : f.ratio >= 1
            ? t('forecastsAnomalies.anomaly.badgeAbove', { field: label, ratio: number.format(f.ratio) })
            : t('forecastsAnomalies.anomaly.badgeBelow', { field: label, ratio: number.format(1 / f.ratio) });
        return (
          <Tag key={f.field} design="Critical" data-anomaly={f.field} title={t('forecastsAnomalies.anomaly.tooltip', { value: number.format(f.value), typical: number.format(f.typical), z: number.format(f.z) })}>
            {text}
          </Tag>
        );
      })}
    </>
  );
}
