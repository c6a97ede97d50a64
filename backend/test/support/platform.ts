// Plateforme de test : PGlite en mémoire par défaut, ou la base du serveur PostgreSQL créée par la suite (OPSFLUX_TEST_DATABASE_URL).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type QueryResult, type RawBuilder } from 'kysely';
import { Platform, type PlatformOptions } from '../../src/core/platform.js';
import { buildApp } from '../../src/http/app.js';
import { createUser } from '../../src/iam/bootstrap.js';
import { ownerWork } from '../../src/db/role-scope.js';
import { inTenant } from '../../src/db/transaction.js';

export interface TestServer {
  platform: Platform;
  app: FastifyInstance;
  /** tenants de ce fichier de test (newTenant) : sur la base partagée du serveur, ses travaux et événements ne concernent qu'eux */
  tenants: Set<string>;
  close(): Promise<void>;
}

export const onServer = Boolean(process.env.OPSFLUX_TEST_DATABASE_URL);

export async function startServer(options: Omit<PlatformOptions, 'url' | 'dataDir'> = {}): Promise<TestServer> {
  // sur la base partagée du serveur, un seul fichier de test à la fois doit consommer l'outbox : opt-in
  const tenants = new Set<string>();
  const onlyTenants = onServer ? () => [...tenants] : undefined;
  const platform = await Platform.open({ dispatch: false, onlyTenants, ...options, url: process.env.OPSFLUX_TEST_DATABASE_URL });
  // la file des travaux tourne toujours (filtrée par tenant sur la base partagée) ; l'outbox reste sur demande
  if (options.dispatch !== true) platform.jobs.start(100);
  const app = await buildApp(platform);
  return {
    platform,
    app,
    tenants,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

/**
 * Laisse passer le travail de fond déclenché par des écritures : événements (outbox) → travaux → événements qu'ils
 * publient → abonnés, `rounds` fois.
 */
export async function settleBackground(server: TestServer, rounds = 2): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    server.platform.dispatcher.kick();
    await server.platform.dispatcher.idle();
    server.platform.jobs.kick();
    await server.platform.jobs.idle();
  }
  server.platform.dispatcher.kick();
  await server.platform.dispatcher.idle();
}

export interface TestTenant {
  slug: string;
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/** Nouveau tenant isolé avec un administrateur connecté (les fichiers de test partagent la base du serveur). */
export async function newTenant(server: TestServer, options: { superAdmin?: boolean } = {}): Promise<TestTenant> {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  const email = `admin@${slug}.test`;
  const password = 'correct horse battery staple';
  const { id, tenantId } = await createUser(server.platform, { email, password, tenant: slug, superAdmin: options.superAdmin ?? true });
  server.tenants.add(tenantId);
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, tenant: slug } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const body = res.json();
  return { slug, tenantId, userId: id, email, password, token: body.accessToken, refreshToken: body.refreshToken };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Client HTTP minimal lié à un jeton. */
export function client(server: TestServer, token?: string) {
  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    server.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => call('POST', url, payload ?? {}, headers),
    patch: (url: string, payload: unknown, headers?: Record<string, string>) => call('PATCH', url, payload, headers),
    put: (url: string, payload: unknown, headers?: Record<string, string>) => call('PUT', url, payload, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}

export type Client = ReturnType<typeof client>;

/** Encode un objet pour une chaîne de requête. */
export function qs(params: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
}

/**
 * Instruction exécutée par le test en propriétaire de la base (inspection, falsification simulée) : la garde de la
 * connexion racine refuse sinon toute instruction hors d'une transaction sous rôle.
 */
export function ownerSql<R>(platform: Platform, query: RawBuilder<R>): Promise<QueryResult<R>> {
  return ownerWork(() => query.execute(platform.db));
}

/** Instruction du test dans une transaction du tenant (rôle applicatif, RLS) : lecture ou retouche de ses données. */
export function tenantSql<R>(platform: Platform, tenantId: string, query: RawBuilder<R>): Promise<QueryResult<R>> {
  return inTenant(platform.db, { tenantId }, (trx) => query.execute(trx));
}

/**
 * Falsification simulée du journal d'audit : le propriétaire désactive, le temps de sa transaction, les déclencheurs
 * qui protègent le journal, puis exécute l'instruction (c'est l'attaquant que `audit verify` doit démasquer).
 */
export function tamperAudit(platform: Pick<Platform, 'db'>, statement: RawBuilder<unknown>): Promise<void> {
  return ownerWork(() => platform.db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`.execute(trx);
    await statement.execute(trx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard`.execute(trx);
  }));
}
