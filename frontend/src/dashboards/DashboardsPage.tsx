// Page « Tableaux de bord » : ceux que l'utilisateur peut lire (les siens, les partagés), un nouveau en un nom, et le
// tableau choisi (gardé dans l'adresse).
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, Button, Dialog, Input, Label, MessageStrip, Title } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { RouterLink } from '../components/RouterLink';
import classes from './Dashboards.module.css';
import { useDashboard, useDashboards } from './api';
import { DashboardView } from './DashboardView';
import type { Dashboard } from './types';

export default function DashboardsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const list = useDashboards();
  const chosen = id ?? list.data?.[0]?.id;
  const dashboard = useDashboard(chosen);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();

  const create = async () => {
    try {
      const created = await api.records.create<Dashboard>('dashboard', { name: name.trim(), widgets: [] });
      setCreating(false);
      setName('');
      await list.refetch();
      navigate(`/dashboards/${created.id}`);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div className={classes.page}>
      <div className={classes.side}>
        <Title level="H1" size="H4">{t('dashboards.title')}</Title>
        <Button icon="add" data-action="new-dashboard" onClick={() => setCreating(true)}>{t('dashboards.new')}</Button>
        <nav className={classes.list} aria-label={t('dashboards.title')}>
          {(list.data ?? []).map((d) => (
            <div key={d.id} className={classes.listItem} aria-current={d.id === chosen ? 'page' : undefined}>
              <RouterLink to={`/dashboards/${d.id}`} name={`dashboard:${d.name}`}>{d.name}</RouterLink>
            </div>
          ))}
        </nav>
        {list.data?.length === 0 && <MessageStrip design="Information" hideCloseButton>{t('dashboards.none')}</MessageStrip>}
      </div>
      <div>
        {dashboard.isLoading && <BusyIndicator active delay={300} />}
        {dashboard.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(dashboard.error)}</MessageStrip>}
        {dashboard.data && <DashboardView key={dashboard.data.id} dashboard={dashboard.data} />}
      </div>
      {creating && (
        <Dialog open headerText={t('dashboards.new')} onClose={() => setCreating(false)}
          footer={<div className={classes.footer}>
            <Button design="Emphasized" data-action="create-dashboard" disabled={!name.trim()} onClick={() => void create()}>{t('actions.create')}</Button>
            <Button design="Transparent" onClick={() => setCreating(false)}>{t('actions.cancel')}</Button>
          </div>}>
          <div className={classes.editor}>
            <Label for="db-name" required>{t('dashboards.name')}</Label>
            <Input id="db-name" data-field="name" value={name} onInput={(e) => setName(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter' && name.trim()) void create(); }} />
            {error !== undefined && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(error)}</MessageStrip>}
          </div>
        </Dialog>
      )}
    </div>
  );
}
