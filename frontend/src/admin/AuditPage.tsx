// Console : journal d'audit du tenant (filtres, pages) et état de la chaîne de hachage (vérifiée à la demande).
import { useMemo, useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  AnalyticalTable, Button, FilterBar, FilterGroupItem, Input, MessageStrip, Option, Select, Title, type AnalyticalTableColumnDefinition,
} from '@ui5/webcomponents-react';
import { api } from '../api/client';
import { useDateTime } from '../components/useDateTime';
import classes from './AdminPage.module.css';

interface Entry {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  entity: string;
  recordId: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

interface Verification {
  ok: boolean;
  rows: number;
  pending: number;
  problems: { seq: number | null; kind: string; detail: string }[];
}

const ACTIONS = ['', 'create', 'update', 'delete', 'restore', 'export', 'import'];

export default function AuditPage() {
  const { t } = useTranslation();
  const when = useDateTime();
  const navigate = useNavigate();
  const [draft, setDraft] = useState({ entity: '', action: '' });
  const [filters, setFilters] = useState({ entity: '', action: '' });
  const verify = useQuery({ queryKey: ['audit-verify'], queryFn: () => api.request<Verification>('GET', '/audit/verify'), enabled: false });
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const search = new URLSearchParams({ limit: '100', ...(pageParam ? { cursor: pageParam } : {}) });
      if (filters.entity) search.set('entity', filters.entity);
      if (filters.action) search.set('action', filters.action);
      return api.request<{ data: Entry[]; meta: { nextCursor: string | null } }>('GET', `/audit?${search}`);
    },
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = useMemo(() => entries.data?.pages.flatMap((p) => p.data) ?? [], [entries.data]);
  const columns = useMemo<AnalyticalTableColumnDefinition[]>(() => [
    { id: 'at', Header: t('audit.at'), accessor: 'at', width: 190, Cell: ({ cell }: { cell: { value: unknown } }) => when(String(cell.value)) },
    { id: 'actor', Header: t('audit.actor'), accessor: (row: Record<string, unknown>) => (row as unknown as Entry).actorName ?? t('history.system') },
    { id: 'action', Header: t('audit.action'), accessor: 'action', width: 110 },
    { id: 'entity', Header: t('audit.entity'), accessor: 'entity' },
    { id: 'changes', Header: t('audit.changes'), accessor: (row: Record<string, unknown>) => Object.keys((row as unknown as Entry).changes ?? {}).join(', ') },
  ], [t, when]);

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('audit.title')}</Title>
      <div className={classes.row}>
        <Button icon="shield" data-action="verify" onClick={() => void verify.refetch()} disabled={verify.isFetching}>{t('audit.verify')}</Button>
        {verify.data && (
          <MessageStrip design={verify.data.ok ? 'Positive' : 'Negative'} hideCloseButton data-verified={String(verify.data.ok)}>
            {verify.data.ok ? t('audit.chainOk', { rows: verify.data.rows, pending: verify.data.pending }) : t('audit.chainBroken', { count: verify.data.problems.length, first: verify.data.problems[0]?.detail ?? '' })}
          </MessageStrip>
        )}
      </div>
      <FilterBar showGoOnFB hideToggleFiltersButton onGo={() => setFilters(draft)}>
        <FilterGroupItem filterKey="entity" label={t('audit.entity')}>
          <Input accessibleName={t('audit.entity')} value={draft.entity} onInput={(e) => setDraft({ ...draft, entity: e.target.value.trim() })} />
        </FilterGroupItem>
        <FilterGroupItem filterKey="action" label={t('audit.action')}>
          <Select accessibleName={t('audit.action')} onChange={(e) => setDraft({ ...draft, action: e.detail.selectedOption.getAttribute('value') ?? '' })}>
            {ACTIONS.map((a) => <Option key={a} value={a} selected={draft.action === a}>{a || t('filters.any')}</Option>)}
          </Select>
        </FilterGroupItem>
      </FilterBar>
      <AnalyticalTable data={rows} columns={columns} loading={entries.isFetching} noDataText={t('list.empty')} visibleRows={15}
        infiniteScroll onLoadMore={() => entries.hasNextPage && !entries.isFetchingNextPage && void entries.fetchNextPage()}
        onRowClick={(e) => {
          const entry = e.detail.row?.original as Entry;
          if (entry.recordId) navigate(`/data/${entry.entity}/${entry.recordId}`);
        }} />
    </div>
  );
}
