// Notifications de l'utilisateur pour la cloche : liste (TanStack Query), nombre de non lues, mises à jour en direct
// par le flux SSE du serveur (session en cookie) ; un flux fermé (session expirée) repart après un rafraîchissement.
// Le même flux annonce les entités écrites : les écrans en direct (tableaux de bord) se relisent.
import { useCallback, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';

export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface AppNotification {
  id: string;
  state: 'unread' | 'read' | 'archived';
  priority: Priority;
  category: string | null;
  title: string;
  body: string | null;
  link: string | null;
  count: number;
  createdAt: string;
  updatedAt: string;
}

interface NotificationPage {
  data: AppNotification[];
  meta: { nextCursor: string | null; unreadCount: number };
}

const KEY = ['notifications'];
const PAGE = 30;
const RETRY_MS = 15_000;

/** Ajoute ou remplace une notification dans la page en cache (une archivée en sort). */
function merge(page: NotificationPage | undefined, item: AppNotification): NotificationPage | undefined {
  if (!page) return page;
  const others = page.data.filter((n) => n.id !== item.id);
  const data = item.state === 'archived' ? others : [item, ...others].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, PAGE);
  return { ...page, data };
}

export function useNotifications() {
  const { i18n } = useTranslation();
  const queries = useQueryClient();
  const [unread, setUnread] = useState<number | undefined>();
  const [attempt, setAttempt] = useState(0);
  const list = useQuery({
    queryKey: [...KEY, i18n.language],
    queryFn: () => api.request<NotificationPage>('GET', `/notifications?state=inbox&limit=${PAGE}`),
  });

  const update = useCallback((item: AppNotification) => {
    queries.setQueryData<NotificationPage>([...KEY, i18n.language], (page) => merge(page, item));
  }, [queries, i18n.language]);

  useEffect(() => {
    const source = new EventSource(`/api/v1/events/stream?locale=${encodeURIComponent(i18n.language)}`);
    let retry: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener('unread', (event) => setUnread((JSON.parse(event.data) as { count: number }).count));
    source.addEventListener('notification', (event) => update(JSON.parse(event.data) as AppNotification));
    // écritures du tenant : les requêtes qui suivent ces entités (`meta.liveEntities`) sont relues
    source.addEventListener('changes', (event) => {
      const { entities } = JSON.parse(event.data) as { entities: string[] };
      void queries.invalidateQueries({ predicate: (query) => (query.meta?.liveEntities as string[] | undefined)?.some((e) => entities.includes(e)) ?? false });
    });
    source.onerror = () => {
      // fermé par le serveur (401 : session expirée) : un appel ordinaire rafraîchit la session, puis on rouvre
      if (source.readyState !== EventSource.CLOSED) return;
      retry = setTimeout(() => {
        void api.request('GET', '/notifications?limit=1').catch(() => undefined).finally(() => setAttempt((n) => n + 1));
      }, RETRY_MS);
    };
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [i18n.language, update, attempt, queries]);

  const act = useCallback(async (id: string, action: 'read' | 'unread' | 'archive') => {
    update(await api.request<AppNotification>('POST', `/notifications/${id}/${action}`, {}));
  }, [update]);

  const readAll = useCallback(async () => {
    await api.request('POST', '/notifications/read-all', {});
    setUnread(0);
    await queries.invalidateQueries({ queryKey: KEY });
  }, [queries]);

  /** À l'ouverture : la liste est relue (changements faits ailleurs, « tout lu » d'un autre onglet). */
  const refresh = useCallback(() => queries.invalidateQueries({ queryKey: KEY }), [queries]);

  return {
    items: list.data?.data ?? [],
    loading: list.isLoading,
    unread: unread ?? list.data?.meta.unreadCount ?? 0,
    act,
    readAll,
    refresh,
  };
}

export type NotificationsState = ReturnType<typeof useNotifications>;
