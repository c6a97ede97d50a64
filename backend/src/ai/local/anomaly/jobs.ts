// Travaux de la détection d'anomalies : apprentissage planifié des références (chaque nuit, chaque tenant actif,
// un tenant en échec n'arrête pas les autres) et notation d'un enregistrement, déposée par l'événement d'écriture
// (outbox) d'une entité surveillée, dans la transaction du répartiteur (le dépôt part avec l'événement traité).
import type { Db } from '../../../db/database.js';
import { recordWrite, type OutboxDispatcher } from '../../../events/outbox.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import type { JobSchedules } from '../../../services/jobs/schedules.js';
import { activeTenants } from '../../../tenancy/tenants.js';
import type { AnomalyService } from './service.js';

export const ANOMALY_LEARN_JOB = 'ai.local.anomaly.learn';
export const ANOMALY_SCORE_JOB = 'ai.local.anomaly.score';

export interface AnomalyJobDeps {
  db: Db;
  jobs: JobQueue;
  schedules: JobSchedules;
  dispatcher: Pick<OutboxDispatcher, 'subscribe'>;
  anomalies: Pick<AnomalyService, 'learn' | 'scoreRecord' | 'watched'>;
}

interface ScorePayload {
  entity: string;
  id: string;
}

export function registerAnomalyJobs(deps: AnomalyJobDeps): void {
  deps.jobs.register({
    name: ANOMALY_LEARN_JOB,
    label: { en: 'Learn the usual values of the watched fields', fr: 'Apprendre les valeurs habituelles des champs surveillés' },
    timeoutMs: 30 * 60_000,
    manual: true,
    handler: async (job) => {
      const tenants = job.tenantId ? [{ id: job.tenantId, slug: job.tenantId }] : await activeTenants(deps.db);
      let fields = 0;
      const failed: string[] = [];
      for (const tenant of tenants) {
        try {
          fields += (await deps.anomalies.learn(tenant.id, `job-${job.id}`)).fields.length;
        } catch {
          failed.push(tenant.slug);
        }
      }
      return { tenants: tenants.length, fields, failed };
    },
  });
  deps.schedules.declare({ key: ANOMALY_LEARN_JOB, job: ANOMALY_LEARN_JOB, cron: '23 2 * * *' });

  deps.jobs.register<ScorePayload>({
    name: ANOMALY_SCORE_JOB,
    label: { en: 'Look for unusual values in a record', fr: 'Chercher des valeurs inhabituelles dans un enregistrement' },
    maxAttempts: 3,
    handler: async (job) => {
      const flag = await deps.anomalies.scoreRecord(job.tenantId!, job.payload.entity, job.payload.id, `job-${job.id}`);
      return { unusual: flag?.fields.map((f) => f.field) ?? [] };
    },
  });

  deps.dispatcher.subscribe('*', async (event, trx) => {
    const write = recordWrite(event);
    if (!write) return;
    const { entity, id } = write;
    const watched = await deps.anomalies.watched(event.tenantId, trx);
    if (!watched.some((w) => w.entity === entity)) return;
    await deps.jobs.enqueue(event.tenantId, ANOMALY_SCORE_JOB, { entity, id }, { trx });
  });
}
