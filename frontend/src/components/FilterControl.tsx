// Contrôle de la barre de filtres pour un champ, choisi d'après son type (texte, intervalle, liste, référence).
import { useTranslation } from 'react-i18next';
import { DatePicker, Input, MultiComboBox, MultiComboBoxItem, Option, Select } from '@ui5/webcomponents-react';
import type { FilterKind, FilterValue } from '../metadata/fields';
import type { FieldMeta } from '../metadata/types';
import { labelOf } from '../i18n';
import { RefInput } from './RefInput';
import classes from './FilterControl.module.css';

interface Props {
  field: FieldMeta;
  kind: FilterKind;
  value: FilterValue | undefined;
  onChange: (value: FilterValue | undefined) => void;
}

export function FilterControl({ field, kind, value, onChange }: Props) {
  const { t } = useTranslation();
  const name = labelOf(field.label, field.name);
  switch (kind) {
    case 'text':
      return <Input accessibleName={name} data-filter={field.name} value={value?.kind === 'text' ? value.text : ''} onInput={(e) => onChange({ kind: 'text', text: e.target.value })} />;
    case 'number':
    case 'date': {
      const range = value?.kind === kind ? value : { kind };
      const set = (bound: 'from' | 'to', v: string) => onChange({ ...range, [bound]: v || undefined });
      const bound = (b: 'from' | 'to') => kind === 'date'
        ? <DatePicker accessibleName={`${name} (${t(`filters.${b}`)})`} data-filter={`${field.name}.${b}`} valueFormat="yyyy-MM-dd" value={range[b] ?? ''} placeholder={t(`filters.${b}`)} onChange={(e) => set(b, e.detail.valid ? e.detail.value : '')} />
        : <Input accessibleName={`${name} (${t(`filters.${b}`)})`} data-filter={`${field.name}.${b}`} type="Number" value={range[b] ?? ''} placeholder={t(`filters.${b}`)} onInput={(e) => set(b, e.target.value)} />;
      return <div className={classes.range}>{bound('from')}{bound('to')}</div>;
    }
    case 'enum': {
      const selected = value?.kind === 'enum' ? value.values : [];
      return (
        <MultiComboBox accessibleName={name} data-filter={field.name} onSelectionChange={(e) => onChange({ kind: 'enum', values: e.detail.items.map((item) => item.getAttribute('text') ?? '') })}>
          {(field.options?.values ?? []).map((v) => <MultiComboBoxItem key={v} text={v} selected={selected.includes(v)} />)}
        </MultiComboBox>
      );
    }
    case 'boolean': {
      const current = value?.kind === 'boolean' && value.value !== null ? String(value.value) : 'any';
      return (
        <Select accessibleName={name} data-filter={field.name} onChange={(e) => {
          const v = e.detail.selectedOption.getAttribute('value');
          onChange({ kind: 'boolean', value: v === 'any' ? null : v === 'true' });
        }}>
          <Option value="any" selected={current === 'any'}>{t('filters.any')}</Option>
          <Option value="true" selected={current === 'true'}>{t('values.yes')}</Option>
          <Option value="false" selected={current === 'false'}>{t('values.no')}</Option>
        </Select>
      );
    }
    case 'ref':
      return <RefInput to={field.options!.to!} value={value?.kind === 'ref' ? value.id : null} accessibleName={name} onChange={(id) => onChange({ kind: 'ref', id })} />;
  }
}
