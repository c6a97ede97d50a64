// Destinataire de webhooks pour les tests : serveur node:http sur 127.0.0.1 qui garde chaque requête reçue et
// répond selon le comportement choisi par chemin (succès, erreurs puis succès, silence, redirection).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** Réponse à la n-ième requête (0 pour la première) d'un chemin ; `hang` : ne jamais répondre. */
export type Behaviour = (n: number, res: ServerResponse) => void | 'hang';

export interface Receiver {
  port: number;
  url(path: string): string;
  received: Received[];
  on(path: string, behaviour: Behaviour): void;
  /** requêtes reçues sur un chemin */
  at(path: string): Received[];
  close(): Promise<void>;
}

export const ok: Behaviour = (_n, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
};

export async function startReceiver(host = '127.0.0.1'): Promise<Receiver> {
  const received: Received[] = [];
  const behaviours = new Map<string, Behaviour>();
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      (behaviours.get(path) ?? ok)(n, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://${host}:${port}${path}`,
    received,
    on: (path, behaviour) => behaviours.set(path, behaviour),
    at: (path) => received.filter((r) => r.path === path),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Attend qu'une condition soit vraie (envois différés par les nouvelles tentatives). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
