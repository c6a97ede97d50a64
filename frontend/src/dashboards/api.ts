// Tableaux de bord par TanStack Query : liste, fiche, données (relues quand une entité de leurs widgets change :
// `meta.liveEntities`, voir useNotifications), enregistrement.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Dashboard, DashboardData, DashboardFilters } from './types';

export const dashboardsQuery = queryOptions({
  queryKey: ['dashboards'],
  queryFn: () => api.records.list<Dashboard>('dashboard', { sort: 'name', limit: 200 }).then((r) => r.data),
});

export const useDashboards = () => useQuery(dashboardsQuery);

export const useDashboard = (id: string | undefined) => useQuery({
  queryKey: ['dashboard', id],
  queryFn: () => api.records.get<Dashboard>('dashboard', id!),
  enabled: Boolean(id),
});

/** Données de tous les widgets, avec les filtres globaux choisis ; relues en direct quand leurs entités changent. */
export function useDashboardData(dashboard: Dashboard | undefined, filters: DashboardFilters | undefined) {
  const entities = [...new Set((dashboard?.widgets ?? []).flatMap((w) => (w.query ? [w.query.entity] : [])))];
  return useQuery({
    queryKey: ['dashboard-data', dashboard?.id, dashboard?.version, filters],
    queryFn: () => api.request<DashboardData>('POST', `/analytics/dashboards/${dashboard!.id}/data`, filters ? { filters } : {}),
    enabled: Boolean(dashboard),
    meta: { liveEntities: entities },
    placeholderData: (previous) => previous,
  });
}

export function useSaveDashboard() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Partial<Dashboard> }) => api.records.update<Dashboard>('dashboard', id, patch),
    onSuccess: (saved) => {
      queries.setQueryData(['dashboard', saved.id], saved);
      void queries.invalidateQueries({ queryKey: ['dashboards'] });
    },
  });
}
