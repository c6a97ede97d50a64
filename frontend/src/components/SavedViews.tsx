// Vues enregistrées d'une liste (gestion des variantes Fiori) : colonnes, filtres, tri et recherche gardés comme
// signets de l'utilisateur (entité `bookmark`, champ `view`), personnels ou partagés, une vue par défaut.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { VariantItem, VariantManagement } from '@ui5/webcomponents-react';
import { api } from '../api/client';
import { savedViewsQuery, useMe, type Bookmark } from '../api/queries';
import type { FilterValue } from '../metadata/fields';

export interface ListView {
  columns: string[];
  filters: Record<string, FilterValue | undefined>;
  sort?: { field: string; descending: boolean };
  q?: string;
  default?: boolean;
}


interface Props {
  entity: string;
  /** identifiant de la vue appliquée (undefined : vue standard) */
  current: string | undefined;
  dirty: boolean;
  canSave: boolean;
  state: ListView;
  onApply: (id: string | undefined, view: ListView | undefined) => void;
}

export function useSavedViews(entity: string) {
  return useQuery(savedViewsQuery(entity, useMe().data?.user.id));
}

export function SavedViews({ entity, current, dirty, canSave, state, onApply }: Props) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const views = useSavedViews(entity);
  const list = views.data ?? [];
  const byLabel = (label: string) => list.find((v) => v.label === label);
  const refresh = () => queries.invalidateQueries({ queryKey: ['views', entity] });

  return (
    <VariantManagement
      titleText={t('views.title')}
      level="H2"
      size="H5"
      dirtyState={dirty}
      dirtyStateText="*"
      hideApplyAutomatically
      hideCreatedBy
      hideSaveAs={!canSave}
      hideManageVariants={!canSave}
      onSelect={(e) => {
        const chosen = byLabel(String(e.detail.selectedVariant.children));
        onApply(chosen?.id, chosen?.view);
      }}
      onSaveAs={async (e) => {
        const view = { ...state, default: Boolean(e.detail.isDefault) };
        const created = await api.records.create<Bookmark>('bookmark', { label: String(e.detail.children), entity, view, shared: Boolean(e.detail.global) });
        await refresh();
        onApply(created.id, view);
      }}
      onSave={async () => {
        const chosen = list.find((v) => v.id === current);
        if (!chosen) return;
        await api.records.update('bookmark', chosen.id, { view: { ...state, default: chosen.view.default } });
        await refresh();
        onApply(chosen.id, state);
      }}
      onSaveManageViews={async (e) => {
        for (const deleted of e.detail.deletedVariants) {
          const view = byLabel(String(deleted.children));
          if (view) await api.records.remove('bookmark', view.id);
        }
        for (const updated of e.detail.updatedVariants) {
          const view = byLabel(String(updated.prevVariant?.children ?? updated.children));
          if (!view) continue;
          await api.records.update('bookmark', view.id, { label: String(updated.children), shared: Boolean(updated.global), view: { ...view.view, default: Boolean(updated.isDefault) } });
        }
        await refresh();
      }}
    >
      <VariantItem readOnly hideDelete labelReadOnly selected={!current} isDefault={!list.some((v) => v.view.default)}>{t('views.standard')}</VariantItem>
      {list.map((view) => (
        <VariantItem key={view.id} selected={view.id === current} global={view.shared} isDefault={Boolean(view.view.default)} readOnly={!canSave}>{view.label}</VariantItem>
      ))}
    </VariantManagement>
  );
}
