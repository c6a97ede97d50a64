// Serveur réel pour les tests de navigateur : plateforme (PGlite en mémoire), données de démonstration, écoute sur
// un port libre du loopback. Le navigateur parle au même serveur HTTP que `npm start`.
import { randomBytes } from 'node:crypto';
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

let accounts = 0;

/**
 * Compte neuf du tenant de démonstration, avec un rôle de démonstration (« Demo administrator », « Read-only »…) et
 * une langue : ce qu'un test change pour son utilisateur (langue, thème, vues enregistrées) ne touche aucun autre test.
 */
export async function demoAccount(server: E2EServer, role: string, locale: 'en' | 'fr'): Promise<{ id: string; email: string; password: string }> {
  const email = `e2e-${++accounts}-${randomBytes(3).toString('hex')}@demo.opsflux.local`;
  const { id } = await createUser(server.platform, { email, password: DEMO_PASSWORD, tenant: 'demo', displayName: `E2E ${accounts}`, superAdmin: false });
  const headers = { authorization: `Bearer ${await server.adminToken()}` };
  const roles = (await server.app.inject({ url: `/api/v1/data/role?filter=${encodeURIComponent(JSON.stringify({ name: role }))}`, headers })).json().data as Array<{ id: string }>;
  if (roles.length !== 1) throw new Error(`demo role ${role}: ${roles.length} found`);
  const res = await server.app.inject({ method: 'PATCH', url: `/api/v1/data/user/${id}`, headers, payload: { roles: [roles[0]!.id], locale } });
  if (res.statusCode !== 200) throw new Error(`account ${email}: ${res.body}`);
  return { id, email, password: DEMO_PASSWORD };
}

/** Jeton d'API d'un utilisateur de démonstration (préparation des tests par l'API). */
export async function tokenOf(server: TestServer, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant: 'demo' } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.body}`);
  return res.json().accessToken as string;
}
