// Partage d'un tableau de bord : avec tout le monde, ou avec des rôles (lecture seule pour eux).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, CheckBox, Dialog, Label, MessageStrip } from '@ui5/webcomponents-react';
import { problemText } from '../api/client';
import { RefsInput } from '../components/RefsInput';
import classes from './Dashboards.module.css';
import { useSaveDashboard } from './api';
import type { Dashboard } from './types';

export function ShareDialog({ dashboard, onClose }: { dashboard: Dashboard; onClose: () => void }) {
  const { t } = useTranslation();
  const [everyone, setEveryone] = useState(dashboard.shared);
  const [roles, setRoles] = useState<string[]>(dashboard.sharedWith ?? []);
  const save = useSaveDashboard();
  const submit = () => save.mutate({ id: dashboard.id, patch: { shared: everyone, sharedWith: roles } }, { onSuccess: onClose });
  return (
    <Dialog open headerText={t('dashboards.share.title', { name: dashboard.name })} onClose={onClose} data-share-dialog
      footer={<div className={classes.footer}>
        <Button design="Emphasized" data-action="save-share" disabled={save.isPending} onClick={submit}>{t('actions.save')}</Button>
        <Button design="Transparent" onClick={onClose}>{t('actions.cancel')}</Button>
      </div>}>
      <div className={classes.editor}>
        <CheckBox data-field="shared" checked={everyone} text={t('dashboards.share.everyone')} onChange={(e) => setEveryone(e.target.checked)} />
        <Label for="share-roles">{t('dashboards.share.roles')}</Label>
        <RefsInput id="share-roles" to="role" value={roles} accessibleName={t('dashboards.share.roles')} onChange={setRoles} />
        <MessageStrip design="Information" hideCloseButton>{t('dashboards.share.hint')}</MessageStrip>
        {save.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(save.error)}</MessageStrip>}
      </div>
    </Dialog>
  );
}
