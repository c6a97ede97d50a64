// Un tableau de bord : grille de widgets (react-grid-layout) ; en modification, une palette de widgets à glisser sur
// la grille, des widgets à déplacer et redimensionner, un panneau pour chacun ; période globale appliquée à tous ;
// partage avec tous ou avec des rôles. Les données viennent du serveur en un appel et se relisent en direct.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import ReactGridLayout, { useContainerWidth, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import type { AnalyticsPeriodPreset } from '@opsflux/sdk';
import { ANALYTICS_PERIOD_PRESETS } from '@opsflux/sdk';
import { BusyIndicator, Button, Card, CardHeader, Label, MessageStrip, Option, Select, Title } from '@ui5/webcomponents-react';
import { ApiError, problemText } from '../api/client';
import { useMe } from '../api/queries';
import classes from './Dashboards.module.css';
import { useDashboardData, useSaveDashboard } from './api';
import { downloadAnalysis } from './download';
import { ShareDialog } from './ShareDialog';
import { WidgetBody } from './WidgetBody';
import { WidgetEditor } from './WidgetEditor';
import { WIDGET_TYPES, type Dashboard, type DashboardFilters, type Widget, type WidgetType } from './types';

const COLS = 12;
const ROW_HEIGHT = 60;
const MARGIN = 10;
const HEADER = 64;
const DEFAULT_SIZE = { w: 4, h: 4 };
/** hauteur du contenu d'un widget de `h` lignes : les graphiques ont besoin d'une hauteur en pixels */
const bodyHeight = (h: number) => Math.max(40, h * ROW_HEIGHT + (h - 1) * MARGIN - HEADER);

export function DashboardView({ dashboard }: { dashboard: Dashboard }) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const mine = dashboard.owner === me?.user.id;
  const [editing, setEditing] = useState(false);
  const [widgets, setWidgets] = useState<Widget[]>(dashboard.widgets ?? []);
  const [editor, setEditor] = useState<Widget | undefined>();
  const [sharing, setSharing] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [period, setPeriod] = useState<AnalyticsPeriodPreset | ''>(dashboard.filters?.period?.preset ?? '');
  const dragged = useRef<WidgetType | undefined>(undefined);
  const { width, containerRef, mounted } = useContainerWidth();
  const save = useSaveDashboard();
  useEffect(() => setWidgets(dashboard.widgets ?? []), [dashboard.widgets]);

  const filters = useMemo<DashboardFilters | undefined>(() => (period ? { ...dashboard.filters, period: { preset: period } } : undefined), [period, dashboard.filters]);
  const data = useDashboardData(dashboard, filters);
  const layout: Layout = widgets.map((w) => ({ i: w.id, x: w.x, y: w.y, w: w.w, h: w.h }));

  const persist = (next: Widget[]) => {
    setWidgets(next);
    save.mutate({ id: dashboard.id, patch: { widgets: next } });
  };
  const moved = (next: Layout) => {
    const byId = new Map(next.map((item) => [item.i, item]));
    const changed = widgets.map((w) => {
      const item = byId.get(w.id);
      return item ? { ...w, x: item.x, y: item.y, w: item.w, h: item.h } : w;
    });
    if (changed.some((w, i) => w.x !== widgets[i]!.x || w.y !== widgets[i]!.y || w.w !== widgets[i]!.w || w.h !== widgets[i]!.h)) persist(changed);
  };
  const dropped = (_layout: Layout, item: { x: number; y: number } | undefined) => {
    const type = dragged.current;
    dragged.current = undefined;
    if (!type || !item) return;
    setEditor({ id: `w${Date.now().toString(36)}`, type, x: item.x, y: item.y, ...DEFAULT_SIZE });
  };
  const applied = (widget: Widget) => {
    setEditor(undefined);
    const exists = widgets.some((w) => w.id === widget.id);
    persist(exists ? widgets.map((w) => (w.id === widget.id ? widget : w)) : [...widgets, widget]);
  };
  const title = (w: Widget) => (i18n.language === 'fr' ? w.title?.fr : w.title?.en) ?? w.title?.en ?? t(`dashboards.types.${w.type}`);

  return (
    <div className={classes.view} data-dashboard={dashboard.id}>
      <div className={classes.toolbar}>
        <Title level="H2" size="H4">{dashboard.name}</Title>
        <Label for="db-period">{t('dashboards.period')}</Label>
        <Select id="db-period" data-field="period" value={period} onChange={(e) => setPeriod((e.detail.selectedOption.value ?? '') as AnalyticsPeriodPreset | '')}>
          <Option value="">{t('dashboards.presets.all')}</Option>
          {ANALYTICS_PERIOD_PRESETS.map((p) => <Option key={p} value={p}>{t(`dashboards.presets.${p}`)}</Option>)}
        </Select>
        {data.isFetching && <BusyIndicator active size="S" delay={300} />}
        {mine && (
          <>
            <Button data-action="edit-dashboard" design={editing ? 'Emphasized' : 'Default'} icon={editing ? 'accept' : 'edit'} onClick={() => setEditing((e) => !e)}>
              {editing ? t('dashboards.done') : t('actions.edit')}
            </Button>
            <Button data-action="share-dashboard" icon="share-2" onClick={() => setSharing(true)}>{t('dashboards.share.button')}</Button>
          </>
        )}
        <Button data-action="dashboard-pdf" icon="download" design="Transparent" onClick={() => window.open(`/api/v1/analytics/dashboards/${dashboard.id}/export`, '_blank')}>
          {t('dashboards.pdf')}
        </Button>
      </div>
      {editing && (
        <div className={classes.palette} data-palette>
          <Label>{t('dashboards.palette')}</Label>
          {WIDGET_TYPES.map((type) => (
            <div key={type} className={classes.chip} draggable data-widget-type={type} role="button" tabIndex={0}
              // glisser sur la grille ; au clavier ou au clic, le widget s'ajoute en bas
              onDragStart={(e) => {
                dragged.current = type;
                e.dataTransfer.setData('text/plain', type);
              }}
              onClick={() => setEditor({ id: `w${Date.now().toString(36)}`, type, x: 0, y: widgets.reduce((m, w) => Math.max(m, w.y + w.h), 0), ...DEFAULT_SIZE })}>
              {t(`dashboards.types.${type}`)}
            </div>
          ))}
        </div>
      )}
      {save.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(save.error)}</MessageStrip>}
      {failure !== undefined && <MessageStrip design="Negative" onClose={() => setFailure(undefined)} role="alert">{problemText(failure)}</MessageStrip>}
      {widgets.length === 0 && !editing && <MessageStrip design="Information" hideCloseButton>{mine ? t('dashboards.emptyMine') : t('dashboards.emptyShared')}</MessageStrip>}
      <div ref={containerRef} className={classes.grid} data-grid>
        {mounted && (
          <ReactGridLayout
            width={width}
            layout={layout}
            // une grille vide reste une cible de dépôt
            style={{ minHeight: '20rem' }}
            gridConfig={{ cols: COLS, rowHeight: ROW_HEIGHT, margin: [MARGIN, MARGIN] }}
            dragConfig={{ enabled: editing, handle: `.${classes.handle}` }}
            resizeConfig={{ enabled: editing }}
            dropConfig={{ enabled: editing, defaultItem: DEFAULT_SIZE }}
            onDragStop={(next) => moved(next)}
            onResizeStop={(next) => moved(next)}
            onDrop={dropped}
          >
            {widgets.map((w) => {
              const entry = data.data?.widgets[w.id];
              return (
                <div key={w.id} data-widget={w.id} data-widget-kind={w.type}>
                  <Card className={classes.card} header={
                    <CardHeader className={editing ? classes.handle : undefined} titleText={title(w)}
                      action={editing ? (
                        <div className={classes.inline}>
                          <Button design="Transparent" icon="edit" tooltip={t('actions.edit')} data-action="edit-widget" onClick={() => setEditor(w)} />
                          <Button design="Transparent" icon="delete" tooltip={t('actions.delete')} data-action="remove-widget" onClick={() => persist(widgets.filter((x) => x.id !== w.id))} />
                        </div>
                      ) : w.query ? (
                        <Button design="Transparent" icon="excel-attachment" tooltip={t('dashboards.excel')} data-action="widget-excel"
                          onClick={() => void downloadAnalysis(w.query!, title(w)).catch(setFailure)} />
                      ) : undefined} />
                  }>
                    <div className={classes.cardBody} style={{ height: bodyHeight(w.h) }}>
                      {entry && 'problem' in entry && <MessageStrip design="Critical" hideCloseButton data-widget-problem>{problemText(new ApiError(entry.problem.status, entry.problem))}</MessageStrip>}
                      {entry && 'result' in entry && <WidgetBody widget={w} result={entry.result} forecast={entry.forecast} />}
                      {!entry && !w.query && <MessageStrip design="Information" hideCloseButton>{t('dashboards.unconfigured')}</MessageStrip>}
                    </div>
                  </Card>
                </div>
              );
            })}
          </ReactGridLayout>
        )}
      </div>
      {data.error && <MessageStrip design="Negative" hideCloseButton role="alert">{problemText(data.error)}</MessageStrip>}
      {editor && <WidgetEditor widget={editor} onApply={applied} onClose={() => setEditor(undefined)} />}
      {sharing && <ShareDialog dashboard={dashboard} onClose={() => setSharing(false)} />}
    </div>
  );
}
