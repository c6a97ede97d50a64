// Plusieurs références (rôles d'un utilisateur, sociétés…) : liste à choix multiples nourrie par la recherche serveur
// dans l'entité cible, les choix courants toujours présents avec leur libellé.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { MultiComboBox, MultiComboBoxItem } from '@ui5/webcomponents-react';
import type { RecordData } from '@opsflux/sdk';
import { api } from '../api/client';
import { useEntityMeta } from '../api/queries';
import { recordTitle } from '../metadata/values';

interface Props {
  to: string;
  value: string[];
  accessibleName: string;
  id?: string;
  valueState?: 'None' | 'Negative';
  refLabel?: (id: string) => string | undefined;
  onChange: (ids: string[]) => void;
}

export function RefsInput({ to, value, accessibleName, id, valueState, refLabel, onChange }: Props) {
  const target = useEntityMeta(to);
  const [search, setSearch] = useState('');
  const options = useQuery({
    queryKey: ['value-help', to, search, 50],
    staleTime: 30_000,
    queryFn: () => api.records.list<RecordData>(to, { ...(search ? { q: search } : {}), limit: 50 }).then((r) => r.data),
  });
  const shown = new Map((options.data ?? []).map((record) => [record.id, recordTitle(target.data, record)]));
  for (const selected of value) if (!shown.has(selected)) shown.set(selected, refLabel?.(selected) ?? selected);

  return (
    <MultiComboBox id={id} accessibleName={accessibleName} valueState={valueState} filter="None" loading={options.isFetching} data-field-refs={to}
      onInput={(e) => setSearch(e.target.value)}
      onSelectionChange={(e) => onChange(e.detail.items.map((item) => (item as HTMLElement).dataset.id!).filter(Boolean))}>
      {[...shown].map(([key, text]) => <MultiComboBoxItem key={key} text={text} data-id={key} selected={value.includes(key)} />)}
    </MultiComboBox>
  );
}
