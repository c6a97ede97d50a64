// Données du serveur par TanStack Query : session, menus, métadonnées, libellés des références.
import { useCallback } from 'react';
import { infiniteQueryOptions, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RecordData } from '@opsflux/sdk';
import type { ListView } from '../components/SavedViews';
import type { EntityMeta, Me, MenuNode } from '../metadata/types';
import { recordTitle } from '../metadata/values';
import { api, hasSessionCookie, isApiError } from './client';

/** Session courante ; null quand personne n'est connecté. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    if (!hasSessionCookie()) return null;
    try {
      return await api.request<Me>('GET', '/auth/me');
    } catch (error) {
      if (isApiError(error, 401)) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export const useMe = () => useQuery(meQuery);

export const menusQuery = (language: string) => queryOptions({
  queryKey: ['menus', language],
  queryFn: () => api.request<{ data: MenuNode[] }>('GET', '/menus').then((r) => r.data),
  staleTime: 300_000,
});

export const useMenus = (language: string) => useQuery(menusQuery(language));

export interface ListQuery {
  filter?: Record<string, unknown>;
  sort?: string;
  q?: string;
  columns: string[];
  pageSize: number;
}

/** Pages d'une liste (curseur) ; la première porte le nombre total de lignes. */
export const listQuery = (entity: string, { filter, sort, q, columns, pageSize }: ListQuery) => infiniteQueryOptions({
  queryKey: ['list', entity, filter, sort, q ?? '', columns, pageSize],
  initialPageParam: undefined as string | undefined,
  queryFn: ({ pageParam }) => api.records.list<RecordData>(entity, {
    filter, sort, q: q || undefined, limit: pageSize, cursor: pageParam,
    fields: ['id', 'version', ...columns].join(','), ...(pageParam ? {} : { count: true }),
  }),
  getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  // une page préchargée au démarrage (ou lue il y a un instant) n'est pas relue au montage de la liste
  staleTime: 15_000,
});

export function useEntities() {
  return useQuery({ queryKey: ['meta'], queryFn: () => api.request<{ data: EntityMeta[] }>('GET', '/meta/entities').then((r) => r.data), staleTime: 300_000 });
}

export const metaQuery = (name: string) => queryOptions({
  queryKey: ['meta', name],
  queryFn: () => api.request<EntityMeta>('GET', `/meta/entities/${encodeURIComponent(name)}`),
  staleTime: 300_000,
});

export function useEntityMeta(name: string | undefined) {
  return useQuery({ ...metaQuery(name ?? ''), enabled: Boolean(name) });
}

/** Oublie les métadonnées (après une modification dans le concepteur d'entités). */
export function useInvalidateMeta() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['meta'] });
}

/**
 * Libellés des enregistrements référencés par une page de résultats : une requête par entité cible,
 * quel que soit le nombre de lignes (pas de N+1).
 */
export function useRefLabels(meta: EntityMeta | undefined, rows: Record<string, unknown>[]) {
  const targets = new Map<string, Set<string>>();
  for (const field of meta?.fields ?? []) {
    const to = field.options?.to;
    if (!to || (field.type !== 'ref' && field.type !== 'refs')) continue;
    const ids = targets.get(to) ?? new Set<string>();
    for (const row of rows) {
      const value = row[field.name];
      for (const id of Array.isArray(value) ? value : value ? [value] : []) ids.add(String(id));
    }
    if (ids.size) targets.set(to, ids);
  }
  const key = [...targets].map(([to, ids]) => [to, [...ids].sort()] as const).sort();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['ref-labels', key],
    enabled: key.length > 0,
    staleTime: 60_000,
    queryFn: async () => {
      const labels = new Map<string, string>();
      await Promise.all(key.map(async ([to, ids]) => {
        const target = await client.fetchQuery(metaQuery(to)).catch(() => undefined);
        for (let i = 0; i < ids.length; i += 500) {
          const page = await api.records.list<RecordData>(to, { filter: { id: { in: ids.slice(i, i + 500) } }, limit: 500 }).catch(() => undefined);
          for (const record of page?.data ?? []) labels.set(record.id, recordTitle(target, record));
        }
      }));
      return labels;
    },
  });
  const labels = query.data;
  return useCallback((id: string) => labels?.get(id), [labels]);
}

/** Vue de liste enregistrée comme signet de l'utilisateur (entité `bookmark`, champ `view`). */
export type Bookmark = RecordData & { label: string; shared: boolean; view: ListView; user: string };

/** Vues enregistrées d'une entité : celles de l'utilisateur et les vues partagées, pas les vues personnelles des
 * autres (qu'un administrateur a le droit de lire). Même clé pour le préchargement au démarrage et pour la page. */
export const savedViewsQuery = (entity: string, userId: string | undefined) => ({
  queryKey: ['views', entity, userId],
  queryFn: () => api.records.list<Bookmark>('bookmark', {
    filter: { entity, recordId: { null: true }, or: [{ user: userId }, { shared: true }] }, sort: 'label', limit: 200,
  }).then((r) => r.data.filter((b) => b.view)),
  enabled: Boolean(userId),
  staleTime: 60_000,
});
