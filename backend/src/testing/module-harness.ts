// Banc d'essai des modules : une vraie plateforme (PGlite en mémoire, ou le serveur de OPSFLUX_TEST_DATABASE_URL) qui
// écoute sur le bouclage, un tenant neuf et son administrateur, et le client typé du SDK. Utilisé par les tests que
// `opsflux module new` génère, et par tout auteur de module.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createClient, type OpsFluxClient } from '@opsflux/sdk';
import type { QueryResult, RawBuilder } from 'kysely';
import { Platform } from '../core/platform.js';
import { inTenant } from '../db/transaction.js';
import { buildApp } from '../http/app.js';
import { createUser } from '../iam/bootstrap.js';

export interface ModuleHarness {
  client: OpsFluxClient;
  /** tenant neuf du banc d'essai */
  tenantId: string;
  baseUrl: string;
  token: string;
  platform: Platform;
  /** Instruction dans une transaction du tenant du banc (rôle applicatif, RLS) : pour lire ce que l'API ne montre pas. */
  sql<R>(query: RawBuilder<R>): Promise<QueryResult<R>>;
  close(): Promise<void>;
}

/** `modulesDir` : dossier qui contient le module à essayer (et ses dépendances). */
export async function moduleHarness(modulesDir: string): Promise<ModuleHarness> {
  const platform = await Platform.open({ url: process.env.OPSFLUX_TEST_DATABASE_URL || undefined, modulesDir, dispatch: false });
  const app = await buildApp(platform);
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const slug = `m-${randomBytes(5).toString('hex')}`;
    const email = `admin@${slug}.test`;
    const password = randomBytes(12).toString('base64url');
    const { tenantId } = await createUser(platform, { email, password, tenant: slug, superAdmin: true });
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, tenant: slug }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    return {
      client: createClient({ baseUrl, token: accessToken }),
      tenantId,
      baseUrl,
      token: accessToken,
      platform,
      sql: (query) => inTenant(platform.db, { tenantId }, (trx) => query.execute(trx)),
      async close() {
        await app.close();
        await platform.close();
      },
    };
  } catch (error) {
    await app.close();
    await platform.close();
    throw error;
  }
}
