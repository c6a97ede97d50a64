// Démarrage : le code et les données de l'écran demandé partent en même temps que la session, au lieu d'attendre
// chacun la fin du précédent (coquille → page → métadonnées → première page de la liste).
import type { QueryClient } from '@tanstack/react-query';
import i18n from '../i18n';
import { defaultColumns, pageSizeOf } from '../metadata/fields';
import { hasSessionCookie } from './client';
import { listQuery, meQuery, menusQuery, metaQuery, savedViewsQuery } from './queries';

export interface RouteChunks {
  shell: () => Promise<unknown>;
  list: () => Promise<unknown>;
  record: () => Promise<unknown>;
}

const DATA_ROUTE = /^\/data\/([a-z][a-z0-9_]{0,62})(?:\/([^/]+))?\/?$/;

/** `path` : chemin de l'application, sans son préfixe (/app ou /server). */
export function preloadRoute(path: string, client: QueryClient, chunks: RouteChunks): void {
  if (!hasSessionCookie() || path.startsWith('/login')) return;
  void chunks.shell();
  const me = client.fetchQuery(meQuery);
  void client.prefetchQuery(menusQuery(i18n.language));
  const match = DATA_ROUTE.exec(path);
  if (!match) return;
  const [, entity, id] = match as unknown as [string, string, string | undefined];
  void (id ? chunks.record() : chunks.list());
  const meta = client.fetchQuery(metaQuery(entity));
  if (id) return;
  // vues enregistrées : la vue par défaut s'applique dès le premier rendu de la liste
  void me.then((session) => session && client.prefetchQuery(savedViewsQuery(entity, session.user.id))).catch(() => undefined);
  // première page de la vue standard, avec la même clé que la page de liste
  void Promise.all([me, meta]).then(([session, model]) =>
    client.prefetchInfiniteQuery(listQuery(entity, { columns: defaultColumns(model), pageSize: pageSizeOf(session) }))).catch(() => undefined);
}
