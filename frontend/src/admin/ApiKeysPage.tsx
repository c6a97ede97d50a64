// Console : clés d'API des intégrations — liste, création (secret montré une seule fois), rotation, révocation et
// usage par jour et classe de statut.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  Button, Dialog, Input, Label, MessageStrip, ObjectStatus, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title,
} from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { CreateDialog } from '../components/CreateDialog';
import { DialogFooter } from '../components/DialogFooter';
import { valueState } from '../components/fieldErrors';
import { FormInput } from '../components/FormInput';
import { useDateTime } from '../components/useDateTime';
import classes from './AdminPage.module.css';

interface ApiKey {
  id: string;
  name: string;
  roleId: string;
  scopes: string[] | null;
  allowedIps: string[] | null;
  rateLimit: number | null;
  expiresAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

interface Usage {
  requests: number;
  byStatus: Record<string, number>;
  days: Array<{ day: string; requests: number; byStatus: Record<string, number> }>;
}

const emptyDraft = { name: '', roleId: '', scopes: '', allowedIps: '', rateLimit: '', expiresAt: '' };
const list = (text: string) => (text.trim() ? text.split(/[\s,]+/).filter(Boolean) : undefined);
const STATES = { active: 'Positive', expired: 'Critical', revoked: 'Negative' } as const;

export default function ApiKeysPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api.request<{ data: ApiKey[] }>('GET', '/api-keys?limit=500').then((r) => r.data) });
  const roles = useQuery({ queryKey: ['api-keys', 'roles'], queryFn: () => api.request<{ data: Array<{ id: string; name: string }> }>('GET', '/data/role?limit=500&fields=id,name').then((r) => r.data) });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);
  const [secret, setSecret] = useState<string | undefined>();
  const [usage, setUsage] = useState<{ key: ApiKey; usage: Usage } | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const refresh = () => queries.invalidateQueries({ queryKey: ['api-keys'] });
  const roleName = (id: string) => roles.data?.find((r) => r.id === id)?.name ?? id;
  const when = useDateTime('minutes');

  async function run(work: () => Promise<void>) {
    try {
      await work();
      await refresh();
    } catch (failure) {
      setMessage(problemText(failure));
    }
  }

  async function create() {
    const created = await api.request<{ key: string }>('POST', '/api-keys', {
      name: draft.name.trim(), roleId: draft.roleId || roles.data?.[0]?.id, scopes: list(draft.scopes), allowedIps: list(draft.allowedIps),
      rateLimit: draft.rateLimit.trim() ? Number(draft.rateLimit) : undefined, expiresAt: draft.expiresAt ? new Date(draft.expiresAt).toISOString() : undefined,
    });
    setOpen(false);
    setDraft(emptyDraft);
    setSecret(created.key);
    await refresh();
  }

  const rotate = (key: ApiKey) => run(async () => setSecret((await api.request<{ key: string }>('POST', `/api-keys/${key.id}/rotate`, {})).key));
  const revoke = (key: ApiKey) => run(async () => {
    if (window.confirm(t('apiKeys.confirmRevoke', { name: key.name }))) await api.request('DELETE', `/api-keys/${key.id}`);
  });
  const showUsage = (key: ApiKey) => run(async () => setUsage({ key, usage: await api.request<Usage>('GET', `/api-keys/${key.id}/usage`) }));

  const input = (field: keyof typeof draft, error: string | undefined, type: 'Text' | 'Number' | 'DateTime' = 'Text') => (
    <FormInput id={`api-key-${field}`} label={t(`apiKeys.fields.${field}`)} required={field === 'name'} type={type === 'DateTime' ? 'Text' : type}
      placeholder={type === 'DateTime' ? 'YYYY-MM-DDTHH:mm' : t(`apiKeys.hints.${field}`, { defaultValue: '' })}
      value={draft[field]} error={error} onChange={(value) => setDraft({ ...draft, [field]: value })} />
  );

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('apiKeys.title')}</Title>
      <Text className={classes.muted}>{t('apiKeys.intro')}</Text>
      {message && <MessageStrip design="Negative" onClose={() => setMessage(undefined)} role="alert">{message}</MessageStrip>}
      <div><Button icon="add" design="Emphasized" data-action="new-api-key" onClick={() => setOpen(true)}>{t('apiKeys.new')}</Button></div>
      {keys.data?.length === 0 && <Text data-empty>{t('apiKeys.none')}</Text>}
      <Table accessibleName={t('apiKeys.title')} headerRow={
        <TableHeaderRow>
          {['name', 'role', 'scopes', 'status', 'lastUsed'].map((c) => <TableHeaderCell key={c}>{t(`apiKeys.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell />
        </TableHeaderRow>
      }>
        {(keys.data ?? []).map((key) => (
          <TableRow key={key.id} rowKey={key.id} data-api-key={key.name}>
            <TableCell><Text>{key.name}</Text></TableCell>
            <TableCell><Text>{roleName(key.roleId)}</Text></TableCell>
            <TableCell><Text>{key.scopes?.join(', ') ?? t('apiKeys.allScopes')}</Text></TableCell>
            <TableCell><ObjectStatus state={STATES[key.status]}>{t(`apiKeys.statuses.${key.status}`)}</ObjectStatus></TableCell>
            <TableCell><Text>{when(key.lastUsedAt)}{key.lastUsedIp ? ` · ${key.lastUsedIp}` : ''}</Text></TableCell>
            <TableCell>
              <div className={classes.actions}>
                <Button design="Transparent" data-action="usage" onClick={() => void showUsage(key)}>{t('apiKeys.usage')}</Button>
                {key.status !== 'revoked' && <Button design="Transparent" data-action="rotate" onClick={() => void rotate(key)}>{t('apiKeys.rotate')}</Button>}
                {key.status !== 'revoked' && <Button design="Transparent" data-action="revoke" onClick={() => void revoke(key)}>{t('apiKeys.revoke')}</Button>}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </Table>

      <CreateDialog open={open} title={t('apiKeys.new')} action="create-api-key" onSubmit={create} onClose={() => setOpen(false)}>
        {(error) => <>
          {input('name', error('name'))}
          <Label for="api-key-role" required>{t('apiKeys.fields.roleId')}</Label>
          <Select id="api-key-role" accessibleName={t('apiKeys.fields.roleId')} valueState={valueState(error('roleId'))}
            onChange={(e) => setDraft({ ...draft, roleId: (e.detail.selectedOption as unknown as { value: string }).value })}>
            {(roles.data ?? []).map((role) => <Option key={role.id} value={role.id} selected={draft.roleId === role.id}>{role.name}</Option>)}
          </Select>
          {input('scopes', error('scopes'))}
          {input('allowedIps', error('allowedIps'))}
          {input('rateLimit', error('rateLimit'), 'Number')}
          {input('expiresAt', error('expiresAt'), 'DateTime')}
        </>}
      </CreateDialog>

      <Dialog open={secret !== undefined} headerText={t('apiKeys.secretTitle')} onClose={() => setSecret(undefined)}
        footer={<DialogFooter><Button design="Emphasized" onClick={() => setSecret(undefined)}>{t('apiKeys.secretDone')}</Button></DialogFooter>}>
        <div className={classes.form}>
          <MessageStrip design="Critical" hideCloseButton>{t('apiKeys.secretOnce')}</MessageStrip>
          <Input readonly value={secret ?? ''} accessibleName={t('apiKeys.secretTitle')} data-secret style={{ width: '100%' }} />
          <div><Button icon="copy" onClick={() => void navigator.clipboard?.writeText(secret ?? '')}>{t('apiKeys.copy')}</Button></div>
        </div>
      </Dialog>

      <Dialog open={usage !== undefined} headerText={t('apiKeys.usageTitle', { name: usage?.key.name ?? '' })} onClose={() => setUsage(undefined)}
        footer={<DialogFooter><Button onClick={() => setUsage(undefined)}>{t('apiKeys.close')}</Button></DialogFooter>}>
        {usage && (
          <div className={classes.form} data-usage>
            <Text>{t('apiKeys.usageTotal', { count: usage.usage.requests })}</Text>
            {usage.usage.days.length === 0 && <Text>{t('apiKeys.usageNone')}</Text>}
            {usage.usage.days.map((day) => (
              <Text key={day.day}>{day.day} — {day.requests} ({Object.entries(day.byStatus).map(([cls, n]) => `${cls}: ${n}`).join(', ')})</Text>
            ))}
            <Text className={classes.muted}>{t('apiKeys.lastUsed', { at: when(usage.key.lastUsedAt), ip: usage.key.lastUsedIp ?? '—' })}</Text>
          </div>
        )}
      </Dialog>
    </div>
  );
}
