// Point d'entrée du serveur : `npm start`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from './config.js';
import { Platform } from './core/platform.js';
import { buildApp } from './http/app.js';
import { ensureFirstAdmin } from './iam/bootstrap.js';

const config = readConfig();
mkdirSync(config.logDir, { recursive: true });

const platform = await Platform.open({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
await ensureFirstAdmin(platform, process.env, (line) => console.log(line));
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
