// Confirmation d'une action destructrice.
import { useTranslation } from 'react-i18next';
import { Button, Dialog, Text } from '@ui5/webcomponents-react';
import { DialogFooter } from './DialogFooter';

interface Props {
  open: boolean;
  text: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, text, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} headerText={t('confirm.title')} state="Critical" onClose={() => open && onCancel()}
      footer={<DialogFooter>
        <Button design="Negative" data-choice="confirm" onClick={onConfirm}>{t('actions.delete')}</Button>
        <Button data-choice="cancel" onClick={onCancel}>{t('actions.cancel')}</Button>
      </DialogFooter>}>
      <Text>{text}</Text>
    </Dialog>
  );
}
