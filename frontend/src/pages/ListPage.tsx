// Liste générique d'une entité : tableau virtualisé, tri et pagination par curseur côté serveur, barre de filtres
// tirée des types des champs, recherche, choix des colonnes, sélection multiple (suppression, export).
import { useEffect, useMemo, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  AnalyticalTable, Bar, Button, FilterBar, FilterGroupItem, Input, MessageStrip, Title, Toolbar, ToolbarButton, ToolbarSpacer,
  type AnalyticalTableColumnDefinition,
} from '@ui5/webcomponents-react';
import type { RecordData } from '@opsflux/sdk';
import { api, problemText } from '../api/client';
import { can } from '../api/permissions';
import { listQuery, useEntityMeta, useMe, useRefLabels } from '../api/queries';
import { labelOf } from '../i18n';
import { buildFilter, defaultColumns, pageSizeOf, filterKindFor, listableFields, sortable, sortParam, type FilterValue } from '../metadata/fields';
import { formatValue } from '../metadata/values';
import { ColumnChooser } from '../components/ColumnChooser';
import { FilterControl } from '../components/FilterControl';
import { SavedViews, useSavedViews, type ListView } from '../components/SavedViews';
import { NlQueryStrip } from '../insights/nl-query/NlQueryStrip';
import { looksLikeQuestion, useNlQuery } from '../insights/nl-query/useNlQuery';
import NotFoundPage from './NotFoundPage';
import classes from './ListPage.module.css';

export default function ListPage() {
  const { entity = '' } = useParams();
  const meta = useEntityMeta(entity);
  const views = useSavedViews(entity);
  if (meta.isError) return <NotFoundPage />;
  // la vue par défaut de l'utilisateur est l'état initial de la liste (préchargée au démarrage avec elle)
  if (!meta.data || views.isPending) return null;
  return <EntityList key={entity} entity={entity} initial={views.data?.find((v) => v.view.default)} />;
}

function EntityList({ entity, initial }: { entity: string; initial?: { id: string; view: ListView } }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const me = useMe().data;
  const meta = useEntityMeta(entity).data!;
  const [params, setParams] = useSearchParams();
  const byName = useMemo(() => new Map(meta.fields.map((f) => [f.name, f])), [meta]);
  const [columns, setColumns] = useState(() => initial?.view.columns.filter((c) => byName.has(c)) ?? defaultColumns(meta));
  const [draft, setDraft] = useState<Record<string, FilterValue | undefined>>(() => initial?.view.filters ?? {});
  const [applied, setApplied] = useState<Record<string, FilterValue | undefined>>(() => initial?.view.filters ?? {});
  const [search, setSearch] = useState(params.get('q') ?? initial?.view.q ?? '');
  const q = params.get('q') ?? '';
  const [sort, setSort] = useState<{ field: string; descending: boolean } | undefined>(initial?.view.sort);
  const [selected, setSelected] = useState<string[]>([]);
  // vue enregistrée appliquée et son état d'origine (une différence rend la vue « modifiée »)
  const [view, setView] = useState<{ id: string | undefined; baseline: ListView }>(() => ({ id: initial?.id, baseline: initial?.view ?? { columns: defaultColumns(meta), filters: {} } }));
  const [chooser, setChooser] = useState(false);
  const [narrow] = useState(() => window.innerWidth < 600);
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string; undo?: string[] } | undefined>();
  const pageSize = pageSizeOf(me);
  // question en langage naturel (recherche) : son filtre et son tri s'ajoutent à ceux de la barre
  const nl = useNlQuery(entity);
  const nlApplied = nl.answer?.understood && nl.answer.entity === entity ? nl.answer : undefined;
  // filtre donné par l'adresse (exploration depuis un tableau de bord : le filtre d'un point, calculé par le serveur)
  const linked = params.get('filter');
  const filter = useMemo(() => {
    const parts = [buildFilter(meta, applied), nlApplied?.filter && Object.keys(nlApplied.filter).length ? nlApplied.filter : undefined, parseLinked(linked)]
      .filter((f): f is Record<string, unknown> => f !== undefined);
    return parts.length > 1 ? { and: parts } : parts[0];
  }, [meta, applied, nlApplied, linked]);
  const fields = listableFields(meta);

  const list = useInfiniteQuery(listQuery(entity, { filter, sort: sortParam(sort) ?? nlApplied?.sort, q, columns, pageSize }));
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.meta.count;
  const refLabel = useRefLabels(meta, rows);

  const tableColumns = useMemo<AnalyticalTableColumnDefinition[]>(() => columns.flatMap((name) => {
    const field = byName.get(name);
    if (!field) return [];
    return [{
      id: name,
      Header: labelOf(field.label, name),
      accessor: (row: Record<string, unknown>) => row[name],
      disableSortBy: !sortable(field),
      hAlign: ['integer', 'decimal', 'money'].includes(field.type) ? 'End' : 'Begin',
      Cell: ({ cell }: { cell: { value: unknown } }) => formatValue(field, cell.value, i18n.language, refLabel),
    } satisfies AnalyticalTableColumnDefinition];
  }), [columns, i18n.language, refLabel, byName]);

  const state: ListView = { columns, filters: applied, ...(sort ? { sort } : {}), ...(q ? { q } : {}) };
  const comparable = (v: ListView) => JSON.stringify({ columns: v.columns, filters: v.filters, sort: v.sort ?? null, q: v.q ?? '' });
  const dirty = comparable(state) !== comparable(view.baseline);

  function applyView(id: string | undefined, saved: ListView | undefined) {
    const next: ListView = saved ?? { columns: defaultColumns(meta), filters: {} };
    setColumns(next.columns.filter((c) => byName.has(c)));
    setDraft(next.filters);
    setApplied(next.filters);
    setSort(next.sort);
    setSearch(next.q ?? '');
    setParams(next.q ? { q: next.q } : {}, { replace: true });
    setView({ id, baseline: next });
  }

  // recherche de la vue par défaut : reportée dans l’adresse, une seule fois à l’ouverture
  useEffect(() => {
    if (initial?.view.q && !params.get('q')) setParams({ q: initial.view.q }, { replace: true });
    // question transmise par une autre liste (?nl=…)
    const asked = params.get('nl');
    if (asked) {
      setSearch(asked);
      void askQuestion(asked);
    }
  }, []);

  /** La recherche est une question : interprétée en filtre ; incomprise, elle reste une recherche de texte. */
  async function askQuestion(question: string) {
    const answer = await nl.ask(question).catch((failure: unknown) => {
      setMessage({ design: 'Negative', text: problemText(failure) });
      return undefined;
    });
    const next = new URLSearchParams(params);
    next.delete('nl');
    if (answer?.understood || !answer) next.delete('q');
    else next.set('q', question);
    setParams(next, { replace: true });
  }

  function applyFilters() {
    setApplied(draft);
    if (search && looksLikeQuestion(search)) {
      void askQuestion(search);
      return;
    }
    nl.clear();
    const next = new URLSearchParams(params);
    if (search) next.set('q', search);
    else next.delete('q');
    setParams(next, { replace: true });
  }

  async function removeSelected() {
    const ids = [...selected];
    try {
      await api.request('POST', `/data/${encodeURIComponent(entity)}/bulk`, { operations: ids.map((id) => ({ op: 'delete', id })) });
      setSelected([]);
      setMessage({ design: 'Positive', text: t('list.deleted', { count: ids.length }), undo: ids });
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
    await queries.invalidateQueries({ queryKey: ['list', entity] });
  }

  async function undo(ids: string[]) {
    await Promise.all(ids.map((id) => api.records.restore(entity, id)));
    setMessage(undefined);
    await queries.invalidateQueries({ queryKey: ['list', entity] });
  }

  function exportUrl(format: 'csv' | 'xlsx') {
    const search = new URLSearchParams({ format, fields: columns.join(',') });
    if (filter) search.set('filter', JSON.stringify(filter));
    if (sort) search.set('sort', sortParam(sort)!);
    if (q) search.set('q', q);
    return `/api/v1/data/${encodeURIComponent(entity)}/export?${search}`;
  }

  const title = labelOf(meta.label, entity);
  const filterable = fields.filter((f) => filterKindFor(f));
  const activeCount = Object.values(applied).filter(Boolean).length;

  return (
    <div className={classes.page}>
      <Bar design="Header" startContent={<Title level="H1" size="H4" data-list-title>{title}{total !== undefined ? ` (${total})` : ''}</Title>}
        endContent={<SavedViews entity={entity} current={view.id} dirty={dirty} canSave={can(me, 'bookmark', 'create')} state={state} onApply={applyView} />} />
      <FilterBar
        className={classes.filters}
        search={<Input data-list-search placeholder={t('list.search')} accessibleName={t('list.search')} value={search} onInput={(e) => setSearch(e.target.value)} onChange={applyFilters} />}
        showGoOnFB
        showClearOnFB
        // sur un téléphone, les filtres restent repliés sous la recherche (la liste d'abord)
        filterBarCollapsed={narrow}
        activeFiltersCount={activeCount}
        onGo={applyFilters}
        onClear={() => {
          setDraft({});
          setApplied({});
          setSearch('');
          nl.clear();
          setParams({}, { replace: true });
        }}
      >
        {filterable.map((field, index) => (
          <FilterGroupItem key={field.name} filterKey={field.name} label={labelOf(field.label, field.name)} hiddenInFilterBar={!columns.includes(field.name) && index > 3} active={Boolean(draft[field.name])}>
            <FilterControl field={field} kind={filterKindFor(field)!} value={draft[field.name]} onChange={(value) => setDraft((d) => ({ ...d, [field.name]: value }))} />
          </FilterGroupItem>
        ))}
      </FilterBar>
      {nl.answer && <NlQueryStrip entity={entity} answer={nl.answer} className={classes.message} onClear={() => {
        nl.clear();
        setSearch('');
      }} />}
      {message && (
        <MessageStrip design={message.design} onClose={() => setMessage(undefined)} className={classes.message}>
          {message.text}{' '}
          {message.undo && <Button design="Transparent" onClick={() => void undo(message.undo!)}>{t('actions.undo')}</Button>}
        </MessageStrip>
      )}
      <Toolbar className={classes.toolbar} accessibleName={t('list.toolbar')}>
        <ToolbarButton icon="ai" text={t('nlQuery.ask')} data-nl-ask disabled={!search.trim() || nl.pending} onClick={() => void askQuestion(search)} />
        <ToolbarSpacer />
        {can(me, entity, 'create') && !meta.abstract && <ToolbarButton design="Emphasized" icon="add" text={t('actions.create')} onClick={() => navigate(`/data/${entity}/new`)} />}
        {can(me, entity, 'delete') && <ToolbarButton icon="delete" text={t('actions.delete')} disabled={selected.length === 0} onClick={() => void removeSelected()} />}
        {can(me, entity, 'export') && <ToolbarButton icon="excel-attachment" text={t('list.exportXlsx')} onClick={() => window.location.assign(exportUrl('xlsx'))} />}
        {can(me, entity, 'export') && <ToolbarButton icon="download" text={t('list.exportCsv')} onClick={() => window.location.assign(exportUrl('csv'))} />}
        <ToolbarButton icon="action-settings" text={t('list.columns')} onClick={() => setChooser(true)} />
      </Toolbar>
      <AnalyticalTable
        className={classes.table}
        data={rows}
        columns={tableColumns}
        loading={list.isFetching}
        noDataText={list.isError ? t('errors.unexpected') : t('list.empty')}
        sortable
        reactTableOptions={reactTableOptions}
        onSort={(e) => {
          const direction = e.detail.sortDirection;
          setSort(direction === 'clear' ? undefined : { field: e.detail.column.id as string, descending: direction === 'desc' });
        }}
        infiniteScroll
        infiniteScrollThreshold={Math.min(20, Math.floor(pageSize / 2))}
        onLoadMore={() => {
          if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
        }}
        selectionMode={can(me, entity, 'delete') ? 'Multiple' : 'None'}
        onRowSelect={(e) => setSelected(Object.keys(e.detail.selectedRowIds).filter((key) => e.detail.selectedRowIds[key]).map((key) => e.detail.rowsById[key]?.original.id as string).filter(Boolean))}
        onRowClick={(e) => navigate(`/data/${entity}/${(e.detail.row?.original as RecordData).id}`)}
        visibleRowCountMode="Auto"
        withNavigationHighlight
      />
      <ColumnChooser open={chooser} fields={fields} selected={columns} onClose={() => setChooser(false)} onSave={(next) => {
        setColumns(next);
        setChooser(false);
      }} />
    </div>
  );
}

/** Tri côté serveur et identifiants de lignes stables (les sélections survivent aux pages suivantes). */
const reactTableOptions = {
  manualSortBy: true,
  autoResetSortBy: false,
  autoResetSelectedRows: false,
  getRowId: (row: Record<string, unknown>) => String(row.id),
};

/** Filtre JSON passé dans l'adresse ; un texte illisible est ignoré (la liste reste entière). */
function parseLinked(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
