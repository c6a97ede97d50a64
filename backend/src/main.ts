// Point d'entrée du serveur : `npm start`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from './config.js';
import { Platform } from './core/platform.js';
import { KeyConfigurationError } from './keys/keyring.js';
import { buildApp } from './http/app.js';
import { listTenants } from './tenancy/tenants.js';
import { loadDemo } from './demo/load-demo.js';
import { ensureFirstAdmin } from './iam/bootstrap.js';

const config = readConfig();
mkdirSync(config.logDir, { recursive: true });

const platform = await Platform.open({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, jobs: { concurrency: config.jobConcurrency } })
  .catch((error: unknown) => {
    if (!(error instanceof KeyConfigurationError)) throw error;
    // configuration des clés refusée (source hors de la base exigée, clé trop courte…) : le message seul, pas une pile
    console.error(`OpsFlux cannot start: ${error.message}`);
    process.exit(1);
  });
const fresh = (await listTenants(platform.db)).length === 0;
await ensureFirstAdmin(platform, process.env, (line) => console.log(line));
// démonstration : OPSFLUX_DEMO=1, ou par défaut au premier démarrage sur la base embarquée
if (process.env.OPSFLUX_DEMO === '1' || (process.env.OPSFLUX_DEMO === undefined && fresh && !config.databaseUrl)) {
  const demo = await loadDemo(platform, { password: process.env.OPSFLUX_DEMO_PASSWORD || undefined });
  if (demo.created) {
    console.log(`OpsFlux demo data loaded in tenant "${demo.tenant}" — users (password shown once: ${demo.password}):`);
    for (const user of demo.users) console.log(`  ${user.email.padEnd(32)} ${user.role}`);
  }
}
const app = await buildApp(platform, {
  logger: {
    level: process.env.LOG_LEVEL ?? 'info',
    transport: {
      targets: [
        { target: 'pino-roll', options: { file: join(config.logDir, 'opsflux'), frequency: 'daily', size: '20m', mkdir: true, limit: { count: 14 } } },
        { target: 'pino/file', options: { destination: 1 } },
      ],
    },
  },
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await platform.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
console.log(`OpsFlux ${platform.database.kind === 'pglite' ? `(embedded database in ${config.dataDir})` : '(PostgreSQL server)'} listening on http://${config.host}:${config.port}`);
