// Choix et ordre des colonnes d'une liste (cases à cocher, dans l'ordre des champs).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, CheckBox, Dialog } from '@ui5/webcomponents-react';
import { labelOf } from '../i18n';
import type { FieldMeta } from '../metadata/types';
import { DialogFooter } from './DialogFooter';

interface Props {
  open: boolean;
  fields: FieldMeta[];
  selected: string[];
  onClose: () => void;
  onSave: (columns: string[]) => void;
}

export function ColumnChooser({ open, fields, selected, onClose, onSave }: Props) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(selected);
  useEffect(() => {
    if (open) setChosen(selected);
  }, [open, selected]);
  const toggle = (name: string, on: boolean) => setChosen((current) => (on ? [...current, name] : current.filter((c) => c !== name)));
  return (
    <Dialog open={open} headerText={t('list.columns')} onClose={onClose}
      footer={<DialogFooter>
        <Button design="Emphasized" disabled={chosen.length === 0} onClick={() => onSave(chosen)}>{t('actions.apply')}</Button>
        <Button onClick={onClose}>{t('actions.cancel')}</Button>
      </DialogFooter>}>
      <div style={{ display: 'flex', flexDirection: 'column' }}>
        {fields.map((field) => (
          <CheckBox key={field.name} text={labelOf(field.label, field.name)} checked={chosen.includes(field.name)} data-column={field.name} onChange={(e) => toggle(field.name, e.target.checked)} />
        ))}
      </div>
    </Dialog>
  );
}
