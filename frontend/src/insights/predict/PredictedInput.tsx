// Champ texte court avec les valeurs que l'utilisateur y tape d'habitude (pour ce début, ce contexte, cette heure),
// proposées sous le champ pendant la frappe.
import { useState, type ReactNode } from 'react';
import { Input, SuggestionItem } from '@ui5/webcomponents-react';
import { contextOf, useValueSuggestions } from './usePrediction';

interface Props {
  entity: string;
  field: string;
  form?: Record<string, unknown>;
  value: string;
  inputProps: Record<string, unknown>;
  maxlength?: number;
  children?: ReactNode;
  onChange: (value: string) => void;
}

export function PredictedInput({ entity, field, form, value, inputProps, maxlength, children, onChange }: Props) {
  const [typed, setTyped] = useState<string | null>(null);
  const suggestions = useValueSuggestions(entity, field, typed, contextOf(form, field)).data?.suggestions ?? [];
  return (
    <Input {...inputProps} value={value} maxlength={maxlength} showSuggestions={suggestions.length > 0}
      onInput={(e) => {
        onChange(e.target.value);
        setTyped(e.target.value);
      }}
      onChange={(e) => onChange(e.target.value)}
      onSelectionChange={(e) => {
        const text = e.detail.item?.getAttribute('text');
        if (text) onChange(text);
      }}>
      {children}
      {suggestions.map((s) => <SuggestionItem key={s.value} text={s.value} data-suggestion={s.value} />)}
    </Input>
  );
}
