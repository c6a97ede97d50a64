// Devise d'un montant : liste des devises actives du tenant, lue une fois (cache) et seulement quand un montant se saisit.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ComboBox, ComboBoxItem } from '@ui5/webcomponents-react';
import type { RecordData } from '@opsflux/sdk';
import { api } from '../api/client';

interface Props {
  accessibleName: string;
  field: string;
  value: string;
  onChange: (code: string) => void;
}

export function CurrencyInput({ accessibleName, field, value, onChange }: Props) {
  const { i18n } = useTranslation();
  const currencies = useQuery({
    queryKey: ['currencies'],
    staleTime: 600_000,
    queryFn: () => api.records.list<RecordData>('currency', { filter: { active: true }, fields: 'id,code,nameEn,nameFr', sort: 'code', limit: 500 }).then((r) => r.data),
  });
  return (
    <ComboBox accessibleName={accessibleName} data-field={`${field}.currency`} style={{ width: '7rem' }} value={value} onChange={(e) => onChange(e.target.value.toUpperCase())}>
      {(currencies.data ?? []).map((c) => <ComboBoxItem key={c.id} text={String(c.code)} additionalText={String((i18n.language === 'fr' ? c.nameFr : c.nameEn) ?? '')} />)}
    </ComboBox>
  );
}
