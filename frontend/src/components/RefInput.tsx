// Aide à la saisie d'une référence : recherche serveur (?q=) dans l'entité cible, libellé par son champ d'affichage.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ComboBox, ComboBoxItem } from '@ui5/webcomponents-react';
import type { RecordData } from '@opsflux/sdk';
import { api } from '../api/client';
import { useEntityMeta } from '../api/queries';
import { recordTitle } from '../metadata/values';

interface Props {
  to: string;
  value: string | null;
  label?: string;
  accessibleName: string;
  readonly?: boolean;
  required?: boolean;
  valueState?: 'None' | 'Negative';
  valueStateMessage?: string;
  id?: string;
  onChange: (id: string | null) => void;
}

export function RefInput({ to, value, label, accessibleName, readonly, required, valueState, valueStateMessage, id, onChange }: Props) {
  const target = useEntityMeta(to);
  const [text, setText] = useState(label ?? '');
  const [search, setSearch] = useState('');
  // libellé connu plus tard (chargé après la fiche) ou valeur effacée de l'extérieur
  useEffect(() => {
    if (label !== undefined) setText(label);
  }, [label]);
  useEffect(() => {
    if (value === null) setText('');
  }, [value]);

  const options = useQuery({
    queryKey: ['value-help', to, search],
    enabled: !readonly,
    staleTime: 30_000,
    queryFn: () => api.records.list<RecordData>(to, { ...(search ? { q: search } : {}), limit: 20 }).then((r) => r.data),
  });

  return (
    <ComboBox
      id={id}
      value={text}
      filter="None"
      readonly={readonly}
      required={required}
      accessibleName={accessibleName}
      valueState={valueState}
      loading={options.isFetching}
      onInput={(e) => {
        setText(e.target.value);
        setSearch(e.target.value);
        if (!e.target.value) onChange(null);
      }}
      onSelectionChange={(e) => {
        const item = e.detail.item as HTMLElement | null;
        if (!item) return;
        setText(item.getAttribute('text') ?? '');
        onChange(item.dataset.id ?? null);
      }}
    >
      {valueStateMessage && <div slot="valueStateMessage">{valueStateMessage}</div>}
      {(options.data ?? []).map((record) => (
        <ComboBoxItem key={record.id} text={recordTitle(target.data, record)} additionalText={record.eid} data-id={record.id} />
      ))}
    </ComboBox>
  );
}
