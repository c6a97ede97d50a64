// Console du super-administrateur : tenants de la plateforme (création avec leur premier administrateur, renommage,
// suspension et reprise).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  Button, Dialog, Input, Label, MessageStrip, ObjectStatus, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title,
} from '@ui5/webcomponents-react';
import type { Problem } from '@opsflux/sdk';
import { api, isApiError, problemText } from '../api/client';
import { fieldError } from '../components/fieldErrors';
import classes from './AdminPage.module.css';
import { DialogFooter } from '../components/DialogFooter';

interface Tenant {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
  suspendedAt: string | null;
}

const emptyDraft = { slug: '', name: '', email: '', password: '' };

export default function TenantsPage() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => api.request<{ data: Tenant[] }>('GET', '/tenants').then((r) => r.data) });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string } | undefined>();
  const errorOf = (field: string) => fieldError(problem, field);
  const refresh = () => queries.invalidateQueries({ queryKey: ['tenants'] });

  async function create() {
    setProblem(undefined);
    try {
      await api.request('POST', '/tenants', { slug: draft.slug.trim(), name: draft.name.trim(), admin: { email: draft.email.trim(), password: draft.password } });
      setOpen(false);
      setMessage({ design: 'Positive', text: t('tenants.created', { slug: draft.slug.trim() }) });
      setDraft(emptyDraft);
      await refresh();
    } catch (failure) {
      if (isApiError(failure)) setProblem(failure.problem);
    }
  }

  async function suspend(tenant: Tenant, suspended: boolean) {
    try {
      await api.request('PATCH', `/tenants/${tenant.id}`, { suspended });
      await refresh();
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure, t('errors.unexpected')) });
    }
  }

  const input = (field: keyof typeof draft, label: string, apiField: string, type: 'Text' | 'Password' | 'Email' = 'Text') => (
    <>
      <Label for={`tenant-${field}`} required={field !== 'name'}>{label}</Label>
      <Input id={`tenant-${field}`} type={type} accessibleName={label} value={draft[field]} valueState={errorOf(apiField) ? 'Negative' : 'None'}
        onInput={(e) => setDraft({ ...draft, [field]: e.target.value })}>
        {errorOf(apiField) && <div slot="valueStateMessage">{errorOf(apiField)}</div>}
      </Input>
    </>
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
            <TableCell><Text>{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(tenant.createdAt))}</Text></TableCell>
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
      <Dialog open={open} headerText={t('tenants.new')} onClose={() => setOpen(false)}
        footer={<DialogFooter>
          <Button design="Emphasized" data-action="create-tenant" onClick={() => void create()}>{t('actions.create')}</Button>
          <Button onClick={() => setOpen(false)}>{t('actions.cancel')}</Button>
        </DialogFooter>}>
        <div className={classes.form}>
          {problem && <MessageStrip design="Negative" hideCloseButton role="alert">{problem.detail ?? problem.title}</MessageStrip>}
          {input('slug', t('tenants.columns.slug'), 'slug')}
          {input('name', t('tenants.columns.name'), 'name')}
          {input('email', t('tenants.adminEmail'), 'admin.email', 'Email')}
          {input('password', t('tenants.adminPassword'), 'admin.password', 'Password')}
        </div>
      </Dialog>
    </div>
  );
}
