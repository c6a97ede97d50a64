// Charge JSON d'un travail : zone de texte, erreur de syntaxe vue ici ou erreur rendue par le serveur.
import { useTranslation } from 'react-i18next';
import { Label, TextArea } from '@ui5/webcomponents-react';
import { valueState } from '../../components/fieldErrors';

interface Props {
  id: string;
  value: string;
  error: string | undefined;
  onChange: (text: string) => void;
}

export function PayloadInput({ id, value, error, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <Label for={id}>{t('jobs.fields.payload')}</Label>
      <TextArea id={id} rows={5} value={value} placeholder='{"key": "value"}' accessibleName={t('jobs.fields.payload')} valueState={valueState(error)}
        onInput={(e) => onChange(e.target.value)}>
        {error && <div slot="valueStateMessage">{error}</div>}
      </TextArea>
    </>
  );
}
