// Console du super-administrateur : tenants de la plateforme (création avec leur premier administrateur, renommage,
// suspension et reprise).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, ObjectStatus, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { CreateDialog } from '../components/CreateDialog';
import { FormInput } from '../components/FormInput';
import { useDateTime } from '../components/useDateTime';
import classes from './AdminPage.module.css';

interface Tenant {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
  suspendedAt: string | null;
}

const emptyDraft = { slug: '', name: '', email: '', password: '' };

export default function TenantsPage() {
  const { t } = useTranslation();
  const day = useDateTime('date');
  const queries = useQueryClient();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => api.request<{ data: Tenant[] }>('GET', '/tenants').then((r) => r.data) });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string } | undefined>();
  const refresh = () => queries.invalidateQueries({ queryKey: ['tenants'] });

  async function create() {
    await api.request('POST', '/tenants', { slug: draft.slug.trim(), name: draft.name.trim(), admin: { email: draft.email.trim(), password: draft.password } });
    setOpen(false);
    setMessage({ design: 'Positive', text: t('tenants.created', { slug: draft.slug.trim() }) });
    setDraft(emptyDraft);
    await refresh();
  }

  async function suspend(tenant: Tenant, suspended: boolean) {
    try {
      await api.request('PATCH', `/tenants/${tenant.id}`, { suspended });
      await refresh();
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
  }

  const input = (field: keyof typeof draft, label: string, error: string | undefined, type: 'Text' | 'Password' | 'Email' = 'Text') => (
    <FormInput id={`tenant-${field}`} label={label} type={type} required={field !== 'name'} value={draft[field]} error={error}
      onChange={(value) => setDraft({ ...draft, [field]: value })} />
  );

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('tenants.title')}</Title>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role="status">{message.text}</MessageStrip>}
      <div><Button icon="add" design="Emphasized" data-action="new-tenant" onClick={() => setOpen(true)}>{t('tenants.new')}</Button></div>
      <Table accessibleName={t('tenants.title')} headerRow={
        <TableHeaderRow>
          {['slug', 'name', 'created', 'state'].map((c) => <TableHeaderCell key={c}>{t(`tenants.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell />
        </TableHeaderRow>
      }>
        {(tenants.data ?? []).map((tenant) => (
          <TableRow key={tenant.id} rowKey={tenant.id} data-tenant={tenant.slug}>
            <TableCell><Text>{tenant.slug}</Text></TableCell>
            <TableCell><Text>{tenant.name}</Text></TableCell>
            <TableCell><Text>{day(tenant.createdAt)}</Text></TableCell>
            <TableCell>
              <ObjectStatus state={tenant.suspendedAt ? 'Negative' : 'Positive'}>{tenant.suspendedAt ? t('tenants.suspended') : t('tenants.active')}</ObjectStatus>
            </TableCell>
            <TableCell>
              <Button design="Transparent" data-action={tenant.suspendedAt ? 'resume' : 'suspend'} onClick={() => void suspend(tenant, !tenant.suspendedAt)}>
                {tenant.suspendedAt ? t('tenants.resume') : t('tenants.suspend')}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <CreateDialog open={open} title={t('tenants.new')} action="create-tenant" onSubmit={create} onClose={() => setOpen(false)}>
        {(error) => <>
          {input('slug', t('tenants.columns.slug'), error('slug'))}
          {input('name', t('tenants.columns.name'), error('name'))}
          {input('email', t('tenants.adminEmail'), error('admin.email'), 'Email')}
          {input('password', t('tenants.adminPassword'), error('admin.password'), 'Password')}
        </>}
      </CreateDialog>
    </div>
  );
}
