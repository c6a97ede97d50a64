// Console : modules du catalogue, installation, activation, désactivation, désinstallation (avec ou sans les données),
// messages de dépendance du serveur, téléversement d'un paquet (super-administrateur).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, CardHeader, CheckBox, FileUploader, MessageStrip, ObjectStatus, Text, Title } from '@ui5/webcomponents-react';
import type { ModuleSummary } from '@opsflux/sdk';
import { ApiError, api, problemText, sessionFetch, sessionHeaders } from '../api/client';
import { useMe } from '../api/queries';
import { labelOf } from '../i18n';
import classes from './AdminPage.module.css';

type Module = ModuleSummary & { description?: Record<string, string>; latest?: string; source?: string };
type Action = 'install' | 'activate' | 'deactivate' | 'uninstall';

const STATES: Record<Module['state'], 'None' | 'Positive' | 'Critical' | 'Information'> = { available: 'None', installed: 'Information', active: 'Positive', inactive: 'Critical' };

/** Actions possibles selon l'état du module dans le tenant. */
export function actionsFor(state: Module['state']): Action[] {
  switch (state) {
    case 'available': return ['install'];
    case 'installed': return ['activate', 'uninstall'];
    case 'active': return ['deactivate'];
    case 'inactive': return ['activate', 'uninstall'];
  }
}

export default function ModulesPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const me = useMe().data;
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string } | undefined>();
  const [dropData, setDropData] = useState<Record<string, boolean>>({});
  const modules = useQuery({ queryKey: ['modules'], queryFn: () => api.request<{ data: Module[] }>('GET', '/modules').then((r) => r.data) });

  const act = useMutation({
    mutationFn: ({ name, action }: { name: string; action: Action }) =>
      api.request<Module>('POST', `/modules/${encodeURIComponent(name)}/${action}`, action === 'uninstall' ? { keepData: !dropData[name] } : {}),
    onSuccess: (module, { action }) => setMessage({ design: 'Positive', text: t(`modules.done.${action}`, { name: labelOf(module.label, module.name) }) }),
    onError: (failure) => setMessage({ design: 'Negative', text: problemText(failure) }),
    onSettled: () => Promise.all(['modules', 'menus', 'shell-modules', 'meta'].map((key) => queries.invalidateQueries({ queryKey: [key] }))),
  });

  async function upload(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    const body = new FormData();
    body.append('file', file);
    // multipart : hors du client JSON, mais avec les en-têtes et le rafraîchissement de session du client
    const response = await sessionFetch('/api/v1/modules/upload', { method: 'POST', body, credentials: 'same-origin', headers: sessionHeaders() });
    const payload = await response.json();
    setMessage(response.ok
      ? { design: 'Positive', text: t('modules.uploaded', { name: labelOf(payload.label, payload.name), version: payload.version }) }
      : { design: 'Negative', text: problemText(new ApiError(response.status, payload)) });
    await queries.invalidateQueries({ queryKey: ['modules'] });
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('modules.title')}</Title>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role="status">{message.text}</MessageStrip>}
      {me?.superAdmin && (
        <FileUploader accept=".tgz" hideInput={false} placeholder={t('modules.upload')} accessibleName={t('modules.upload')} onChange={(e) => void upload(e.detail.files)}>
          <Button icon="upload">{t('modules.upload')}</Button>
        </FileUploader>
      )}
      <div className={classes.cards}>
        {(modules.data ?? []).map((module) => (
          <Card key={module.name} data-module={module.name} header={
            <CardHeader titleText={labelOf(module.label, module.name)} subtitleText={`${module.name} ${module.version}`}
              action={<ObjectStatus state={STATES[module.state]} data-module-state={module.state}>{t(`modules.states.${module.state}`)}</ObjectStatus>} />
          }>
            <div className={classes.cardBody}>
              <Text>{labelOf(module.description, '')}</Text>
              {Object.keys(module.dependencies).length > 0 && (
                <Text className={classes.muted}>{t('modules.dependsOn', { list: Object.entries(module.dependencies).map(([n, v]) => `${n} ${v}`).join(', ') })}</Text>
              )}
              <div className={classes.actions}>
                {actionsFor(module.state).map((action) => (
                  <Button key={action} data-action={action} design={action === 'uninstall' || action === 'deactivate' ? 'Transparent' : 'Emphasized'} disabled={act.isPending}
                    onClick={() => act.mutate({ name: module.name, action })}>{t(`modules.actions.${action}`)}</Button>
                ))}
                {actionsFor(module.state).includes('uninstall') && (
                  <CheckBox text={t('modules.dropData')} checked={Boolean(dropData[module.name])} onChange={(e) => setDropData((d) => ({ ...d, [module.name]: e.target.checked }))} />
                )}
              </div>
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}
