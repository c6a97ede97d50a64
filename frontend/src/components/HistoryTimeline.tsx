// Historique d'un enregistrement (piste d'audit) : qui, quand, quels champs, de quelle valeur à quelle valeur.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Text, Timeline, TimelineItem } from '@ui5/webcomponents-react';
import { api } from '../api/client';
import { labelOf } from '../i18n';
import type { EntityMeta } from '../metadata/types';
import { formatValue } from '../metadata/values';
import { useDateTime } from './useDateTime';

const ICONS: Record<string, string> = { create: 'add', update: 'edit', delete: 'delete', restore: 'undo' };

export function HistoryTimeline({ meta, id }: { meta: EntityMeta; id: string }) {
  const { t, i18n } = useTranslation();
  const when = useDateTime('history');
  const history = useQuery({ queryKey: ['history', meta.name, id], queryFn: () => api.records.history(meta.name, id, { limit: 100 }) });
  const byName = new Map(meta.fields.map((f) => [f.name, f]));
  if (history.isError) return <Text>{t('errors.unexpected')}</Text>;
  const entries = history.data?.data ?? [];
  if (!history.isPending && entries.length === 0) return <Text>{t('record.noHistory')}</Text>;
  return (
    <Timeline accessibleName={t('record.history')} loading={history.isPending}>
      {entries.map((entry, index) => (
        <TimelineItem key={index} icon={ICONS[entry.action] ?? 'history'} titleText={t(`history.${entry.action}`, { defaultValue: entry.action })}
          subtitleText={when(entry.at)} name={entry.actor ?? t('history.system')}>
          {Object.entries(entry.changes ?? {}).filter(([field]) => byName.has(field)).map(([field, change]) => {
            const meta = byName.get(field)!;
            return (
              <div key={field} data-history-field={field}>
                <b>{labelOf(meta.label, field)}</b>: {formatValue(meta, change.from, i18n.language) || '∅'} → {formatValue(meta, change.to, i18n.language) || '∅'}
              </div>
            );
          })}
        </TimelineItem>
      ))}
    </Timeline>
  );
}
