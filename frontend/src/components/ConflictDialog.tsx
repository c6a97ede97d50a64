// Conflit de version (412) : quelqu'un a modifié la fiche entre-temps ; recharger ou écraser.
import { useTranslation } from 'react-i18next';
import { Button, Dialog, Text } from '@ui5/webcomponents-react';
import { DialogFooter } from './DialogFooter';

export function ConflictDialog({ open, onChoose }: { open: boolean; onChoose: (choice: 'overwrite' | 'reload') => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} headerText={t('conflict.title')} state="Critical" onClose={() => open && onChoose('reload')}
      footer={<DialogFooter>
        <Button design="Emphasized" data-choice="reload" onClick={() => onChoose('reload')}>{t('conflict.reload')}</Button>
        <Button design="Negative" data-choice="overwrite" onClick={() => onChoose('overwrite')}>{t('conflict.overwrite')}</Button>
      </DialogFooter>}>
      <Text>{t('conflict.text')}</Text>
    </Dialog>
  );
}
