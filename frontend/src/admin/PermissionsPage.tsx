// Console : matrice des droits d'un rôle — une ligne par entité, une colonne par action ; enregistrée d'un seul
// PATCH du rôle (version attendue : pas d'écrasement silencieux d'une autre modification).
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Button, CheckBox, ComboBox, ComboBoxItem, Input, Label, MessageStrip, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title,
} from '@ui5/webcomponents-react';
import type { RecordData } from '@opsflux/sdk';
import { api, problemText } from '../api/client';
import { useEntities } from '../api/queries';
import { labelOf } from '../i18n';
import classes from './AdminPage.module.css';

type Permission = RecordData & { code: string; entity: string; action: string };
type Role = RecordData & { name: string; permissions: string[] | null };

/** Ordre des colonnes : les actions courantes d'abord, puis celles que les modules déclarent. */
const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'admin'];

export function matrixOf(permissions: Permission[]): { entities: string[]; actions: string[]; cell: Map<string, Permission> } {
  const cell = new Map(permissions.map((p) => [`${p.entity}:${p.action}`, p]));
  const actions = [...new Set(permissions.map((p) => p.action))].sort((a, b) => (ACTIONS.indexOf(a) + 1 || 99) - (ACTIONS.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return { entities: [...new Set(permissions.map((p) => p.entity))].sort(), actions, cell };
}

export default function PermissionsPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const roleId = params.get('role') ?? '';
  const entities = useEntities();
  const [search, setSearch] = useState('');
  const [granted, setGranted] = useState<Set<string> | undefined>();
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string } | undefined>();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.records.list<Role>('role', { sort: 'name', limit: 500, fields: 'id,name' }).then((r) => r.data) });
  const permissions = useQuery({ queryKey: ['permissions'], staleTime: 300_000, queryFn: () => api.records.list<Permission>('permission', { limit: 1000, fields: 'id,code,entity,action' }).then((r) => r.data) });
  const role = useQuery({
    queryKey: ['record', 'role', roleId],
    enabled: Boolean(roleId),
    queryFn: () => api.records.get<Role>('role', roleId),
  });
  const matrix = useMemo(() => matrixOf(permissions.data ?? []), [permissions.data]);
  const labels = new Map((entities.data ?? []).map((e) => [e.name, labelOf(e.label, e.name)]));
  const current = granted ?? new Set(role.data?.permissions ?? []);
  const shown = matrix.entities.filter((entity) => !search || `${entity} ${labels.get(entity) ?? ''}`.toLowerCase().includes(search.toLowerCase()));

  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(current);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setGranted(next);
  };

  async function save() {
    if (!role.data) return;
    try {
      await api.records.update('role', role.data.id, { permissions: [...current] }, role.data.version);
      setMessage({ design: 'Positive', text: t('permissions.saved', { role: role.data.name }) });
      setGranted(undefined);
      await queries.invalidateQueries({ queryKey: ['record', 'role', roleId] });
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('permissions.title')}</Title>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role="status">{message.text}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="permissions-role">{t('permissions.role')}</Label>
          <ComboBox id="permissions-role" accessibleName={t('permissions.role')} value={role.data?.name ?? ''}
            onSelectionChange={(e) => {
              setGranted(undefined);
              setParams({ role: (e.detail.item as HTMLElement | null)?.dataset.id ?? '' }, { replace: true });
            }}>
            {(roles.data ?? []).map((r) => <ComboBoxItem key={r.id} text={r.name} data-id={r.id} />)}
          </ComboBox>
        </div>
        <Input accessibleName={t('list.search')} placeholder={t('list.search')} value={search} onInput={(e) => setSearch(e.target.value)} />
        <Button design="Emphasized" data-action="save-permissions" disabled={!role.data || !granted} onClick={() => void save()}>{t('actions.save')}</Button>
      </div>
      {role.data && (
        <Table accessibleName={t('permissions.title')} headerRow={
          <TableHeaderRow sticky>
            <TableHeaderCell minWidth="14rem">{t('audit.entity')}</TableHeaderCell>
            {matrix.actions.map((action) => <TableHeaderCell key={action} horizontalAlign="Center">{t(`permissions.actions.${action}`, { defaultValue: action })}</TableHeaderCell>)}
          </TableHeaderRow>
        }>
          {shown.map((entity) => {
            const row = matrix.actions.map((action) => matrix.cell.get(`${entity}:${action}`));
            const ids = row.flatMap((p) => (p ? [p.id] : []));
            return (
              <TableRow key={entity} rowKey={entity} data-entity-row={entity}>
                <TableCell>
                  <CheckBox text={labels.get(entity) ?? entity} checked={ids.every((id) => current.has(id))} accessibleName={t('permissions.all', { entity: labels.get(entity) ?? entity })}
                    onChange={(e) => toggle(ids, e.target.checked)} />
                </TableCell>
                {row.map((permission, index) => (
                  <TableCell key={matrix.actions[index]} horizontalAlign="Center">
                    {permission ? (
                      <CheckBox data-permission={permission.code} accessibleName={permission.code} checked={current.has(permission.id)} onChange={(e) => toggle([permission.id], e.target.checked)} />
                    ) : <Text>—</Text>}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </Table>
      )}
    </div>
  );
}
