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

export async function startDemoServer(): Promise<E2EServer> {
  const server = await startServer();
  await loadDemo(server.platform, { password: DEMO_PASSWORD });
  await createUser(server.platform, { ...ROOT, tenant: 'default', superAdmin: true });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  return {
    ...server,
    url: `http://127.0.0.1:${port}`,
    async adminToken() {
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@demo.opsflux.local', password: DEMO_PASSWORD, tenant: 'demo' } });
      return res.json().accessToken as string;
    },
  };
}
