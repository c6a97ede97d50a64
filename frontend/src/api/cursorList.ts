// Liste paginée par curseur d'une route de la console (`{ data, meta: { nextCursor } }`) : pages successives,
// filtres dans la chaîne de requête, relecture périodique tant qu'une ligne est encore en cours.
import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './client';

export interface CursorPage<T> {
  data: T[];
  meta: { nextCursor: string | null };
}

interface Options<T> {
  /** filtres ; une valeur vide est omise */
  params?: Record<string, string | undefined>;
  pageSize?: number;
  enabled?: boolean;
  /** vrai tant qu'une ligne peut encore changer d'état : la liste est alors relue toutes les 1,5 s */
  live?: (row: T) => boolean;
}

export function useCursorList<T>(key: string, path: string, { params = {}, pageSize = 50, enabled = true, live }: Options<T> = {}) {
  const query = useInfiniteQuery({
    queryKey: [key, path, params],
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const search = new URLSearchParams({ limit: String(pageSize) });
      for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
      if (pageParam) search.set('cursor', pageParam);
      return api.request<CursorPage<T>>('GET', `${path}?${search}`);
    },
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    refetchInterval: (current) => (live && current.state.data?.pages.some((page) => page.data.some(live)) ? 1500 : false),
  });
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, rows };
}
