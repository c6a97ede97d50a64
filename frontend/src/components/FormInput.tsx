// Champ texte d'un formulaire : libellé, saisie et message d'erreur du serveur sous le champ.
import { Input, Label } from '@ui5/webcomponents-react';
import { valueState } from './fieldErrors';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  required?: boolean;
  type?: 'Text' | 'Number' | 'Email' | 'Password';
  placeholder?: string;
  readonly?: boolean;
}

export function FormInput({ id, label, value, onChange, error, required, type = 'Text', placeholder, readonly }: Props) {
  return (
    <>
      <Label for={id} required={required}>{label}</Label>
      <Input id={id} type={type} value={value} placeholder={placeholder} readonly={readonly} accessibleName={label}
        valueState={valueState(error)} onInput={(e) => onChange(e.target.value)}>
        {error && <div slot="valueStateMessage">{error}</div>}
      </Input>
    </>
  );
}
