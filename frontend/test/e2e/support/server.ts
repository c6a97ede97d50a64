// Serveur réel pour les tests de navigateur : plateforme (PGlite en mémoire), données de démonstration, écoute sur
// un port libre du loopback. Le navigateur parle au même serveur HTTP que `npm start`.
import type { AddressInfo } from 'node:net';
import { loadDemo } from '../../../../backend/src/demo/load-demo.js';
import { createUser } from '../../../../backend/src/iam/bootstrap.js';
import { startServer, type TestServer } from '../../../../backend/test/support/platform.js';

export const DEMO_PASSWORD = 'demo password for browser tests';
/** super-administrateur de la plateforme (tenant « default »), créé avec le serveur */
export const ROOT = { email: 'root@opsflux.test', password: 'root password for browser tests' };

export interface E2EServer extends TestServer {
  url: string;
  /** jeton d'API de l'administrateur de démonstration (écritures concurrentes dans les tests) */
  adminToken(): Promise<string>;
}

/** `port` : port d'écoute fixé d'avance (adresse publique connue des fournisseurs d'identité), sinon un port libre. */
export async function startDemoServer(options: Parameters<typeof startServer>[0] & { port?: number } = {}): Promise<E2EServer> {
  const { port: wanted = 0, ...platformOptions } = options;
  const server = await startServer(platformOptions);
  await loadDemo(server.platform, { password: DEMO_PASSWORD });
  await createUser(server.platform, { ...ROOT, tenant: 'default', superAdmin: true });
  await server.app.listen({ host: '127.0.0.1', port: wanted });
  const { port } = server.app.server.address() as AddressInfo;
  return {
    ...server,
    url: `http://127.0.0.1:${port}`,
    adminToken: () => tokenOf(server, 'admin@demo.opsflux.local'),
  };
}

/** Jeton d'API d'un utilisateur de démonstration (préparation des tests par l'API). */
export async function tokenOf(server: TestServer, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant: 'demo' } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.body}`);
  return res.json().accessToken as string;
}
