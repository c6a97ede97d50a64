// Séance de navigateur sur le serveur de démonstration : serveur et navigateur démarrés ensemble, compte neuf d'un rôle
// de démonstration dans une langue, page connectée ; et appels d'API de préparation au nom de l'administrateur.
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signIn, type WatchedPage } from './browser.js';
import { demoAccount, startDemoServer, type E2EServer } from './server.js';

export interface DemoSession {
  server: E2EServer;
  browser: Browser;
  user: WatchedPage;
  account: { id: string; email: string; password: string };
}

/** `prepare` : données posées par l'API avant la connexion (la première page les montre déjà) ; `server` : options du serveur. */
export async function signedInSession(
  role = 'Demo administrator', locale: 'en' | 'fr' = 'en',
  options: { page?: Parameters<typeof openPage>[1]; prepare?: (server: E2EServer) => Promise<void>; server?: Parameters<typeof startDemoServer>[0] } = {},
): Promise<DemoSession> {
  const [server, browser] = await Promise.all([startDemoServer(options.server), launchBrowser()]);
  await options.prepare?.(server);
  const account = await demoAccount(server, role, locale);
  const user = await openPage(browser, options.page);
  await signIn(user.page, server.url, account.email, account.password);
  return { server, browser, user, account };
}

export type AdminCall = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers?: Record<string, string>) => Promise<any>;

/** Appel d'API de l'administrateur de démonstration (serveur lu à l'appel) ; une réponse en échec lève une erreur. */
export function adminCall(server: () => E2EServer): AdminCall {
  return async (method, url, payload, headers = {}) => {
    const res = await server().app.inject({
      method, url, headers: { authorization: `Bearer ${await server().adminToken()}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
}
