// Un widget par type de champ (métadonnées) : texte, nombres, montant avec devise, dates dans la langue de
// l'utilisateur, listes, références avec aide à la saisie, étiquettes ; message d'erreur du serveur sur le champ.
import { useTranslation } from 'react-i18next';
import {
  CheckBox, DatePicker, DateTimePicker, Input, MultiInput, Option, Select, Text, TextArea, Token,
} from '@ui5/webcomponents-react';
import { labelOf } from '../i18n';
import { widgetFor } from '../metadata/fields';
import type { FieldMeta } from '../metadata/types';
import { formatValue, type Money } from '../metadata/values';
import { CurrencyInput } from './CurrencyInput';
import { RefInput } from './RefInput';
import { RefsInput } from './RefsInput';
import { PredictedInput } from '../insights/predict/PredictedInput';
import { PredictedTextArea } from '../insights/predict/PredictedTextArea';

interface Props {
  field: FieldMeta;
  value: unknown;
  error?: string;
  editing: boolean;
  refLabel?: (id: string) => string | undefined;
  onChange: (value: unknown) => void;
  /** entité du formulaire : les champs texte proposent alors les saisies habituelles (prédiction locale) */
  entity?: string;
  /** valeurs du formulaire (contexte des suggestions : ses références) */
  form?: Record<string, unknown>;
}

const INPUT_TYPES: Record<string, 'Email' | 'Tel' | 'URL' | 'Text'> = { email: 'Email', phone: 'Tel', url: 'URL' };

export function FieldInput({ field, value, error, editing, refLabel, onChange, entity, form }: Props) {
  const { t, i18n } = useTranslation();
  const widget = widgetFor(field);
  const name = labelOf(field.label, field.name);
  const id = `field-${field.name}`;
  const state = error ? ('Negative' as const) : ('None' as const);
  const message = error ? <div slot="valueStateMessage">{error}</div> : null;
  const common = { id, accessibleName: name, required: field.required, valueState: state, 'data-field': field.name };

  if (!editing || widget === 'readonly' || widget === null) {
    return <Text id={id} data-field={field.name}>{formatValue(field, value, i18n.language, refLabel) || '—'}</Text>;
  }
  const text = value === null || value === undefined ? '' : String(value);
  switch (widget) {
    case 'textarea':
      if (entity) return <PredictedTextArea entity={entity} field={field.name} value={text} inputProps={common} maxlength={field.maxLength} onChange={onChange}>{message}</PredictedTextArea>;
      return <TextArea {...common} value={text} rows={4} maxlength={field.maxLength} onInput={(e) => onChange(e.target.value)}>{message}</TextArea>;
    case 'json':
      return <TextArea {...common} value={typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value, null, 2)} rows={6}
        onInput={(e) => onChange(parseJson(e.target.value))}>{message}</TextArea>;
    case 'integer':
      return <Input {...common} type="Number" value={text} onInput={(e) => onChange(e.target.value)}>{message}</Input>;
    case 'decimal':
      return <Input {...common} value={text} inputMode="decimal" onInput={(e) => onChange(e.target.value)}>{message}</Input>;
    case 'money': {
      const money = (value ?? { amount: '', currency: '' }) as Money;
      return (
        <div style={{ display: 'flex', gap: '0.25rem' }}>
          <Input {...common} style={{ flex: 1 }} value={money.amount ?? ''} inputMode="decimal" onInput={(e) => onChange({ ...money, amount: e.target.value })}>{message}</Input>
          <CurrencyInput accessibleName={`${name} — ${t('fields.currency')}`} field={field.name} value={money.currency ?? ''}
            onChange={(currency) => onChange({ ...money, currency })} />
        </div>
      );
    }
    case 'boolean':
      return <CheckBox id={id} accessibleName={name} data-field={field.name} checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />;
    case 'date':
      return <DatePicker {...common} valueFormat="yyyy-MM-dd" value={text.slice(0, 10)} onChange={(e) => onChange(e.detail.value)}>{message}</DatePicker>;
    case 'datetime':
      return <DateTimePicker {...common} valueFormat="yyyy-MM-dd'T'HH:mm:ss" value={text ? localIso(text) : ''}
        onChange={(e) => onChange(e.detail.value ? new Date(e.detail.value).toISOString() : null)}>{message}</DateTimePicker>;
    case 'enum':
      return (
        <Select {...common} onChange={(e) => onChange(e.detail.selectedOption.getAttribute('value') || null)}>
          {message}
          {!field.required && <Option value="" selected={!text}>—</Option>}
          {(field.options?.values ?? []).map((v) => <Option key={v} value={v} selected={text === v}>{v}</Option>)}
        </Select>
      );
    case 'ref':
      return <RefInput id={id} to={field.options!.to!} value={(value as string) ?? null} label={value ? refLabel?.(String(value)) : undefined} accessibleName={name}
        required={field.required} valueState={state} valueStateMessage={error} onChange={onChange} />;
    case 'tags': {
      const tags = Array.isArray(value) ? (value as string[]) : [];
      return (
        <MultiInput {...common} showValueHelpIcon={false}
          onChange={(e) => {
            const tag = e.target.value.trim();
            if (tag && !tags.includes(tag)) onChange([...tags, tag]);
            e.target.value = '';
          }}
          onTokenDelete={(e) => {
            const removed = new Set(e.detail.tokens.map((token) => token.text));
            onChange(tags.filter((tag) => !removed.has(tag)));
          }}
          tokens={tags.map((tag) => <Token key={tag} text={tag} />)}>
          {message}
        </MultiInput>
      );
    }
    case 'refs':
      return <RefsInput id={id} to={field.options!.to!} value={Array.isArray(value) ? (value as string[]) : []} accessibleName={name} valueState={state} refLabel={refLabel} onChange={onChange} />;
    default:
      if (entity && widget === 'text') {
        return <PredictedInput entity={entity} field={field.name} form={form} value={text} inputProps={common} maxlength={field.maxLength} onChange={onChange}>{message}</PredictedInput>;
      }
      return <Input {...common} type={INPUT_TYPES[widget] ?? 'Text'} value={text} maxlength={field.maxLength} onInput={(e) => onChange(e.target.value)}>{message}</Input>;
  }
}

function parseJson(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** Horodatage ISO → heure locale au format attendu par le sélecteur. */
function localIso(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
