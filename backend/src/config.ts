// Configuration du processus depuis l'environnement (les valeurs métier vivent dans les réglages, pas ici).
import { resolve } from 'node:path';

export interface ProcessConfig {
  host: string;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  logDir: string;
  demo: boolean;
  /**
   * travaux de fond exécutés en même temps par ce nœud, imposés par OPSFLUX_JOB_CONCURRENCY ; absent : le réglage de
   * plateforme `jobs.concurrency` (32 par défaut), modifiable depuis la console
   */
  jobConcurrency?: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ProcessConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    logDir: resolve(env.LOG_DIR ?? 'logs'),
    demo: env.OPSFLUX_DEMO !== '0',
    jobConcurrency: positiveInteger(env.OPSFLUX_JOB_CONCURRENCY, 'OPSFLUX_JOB_CONCURRENCY'),
  };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`${name} must be an integer between 1 and 1000, got ${value}`);
  return n;
}
