// Apprentissage planifié de la prédiction de saisie (chaque tenant actif, un échec n'arrête pas les autres) et oubli
// immédiat des habitudes d'un utilisateur qui coupe l'apprentissage (dans la transaction de sa préférence).
import type { Db } from '../../../db/database.js';
import type { HookBus, HookPayload } from '../../../events/hooks.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import type { JobSchedules } from '../../../services/jobs/schedules.js';
import { activeTenants } from '../../../tenancy/tenants.js';
import type { PredictService } from './service.js';
import { LEARNING_PREFERENCE } from './settings.js';
import { deleteUserHabits } from './store.js';

export const PREDICT_TRAIN_JOB = 'ai.local.predict.train';

export interface PredictJobDeps {
  db: Db;
  jobs: JobQueue;
  schedules: JobSchedules;
  hooks: HookBus;
  predict: Pick<PredictService, 'train'>;
}

export function installPredictJobs(deps: PredictJobDeps): void {
  deps.jobs.register<{ tenantId?: string }>({
    name: PREDICT_TRAIN_JOB,
    label: { en: 'Learn typing habits and word sequences', fr: 'Apprendre les habitudes de saisie et les enchaînements de mots' },
    timeoutMs: 30 * 60_000,
    manual: true,
    handler: async (job) => {
      const tenants = job.tenantId ? [{ id: job.tenantId, slug: job.tenantId }] : await activeTenants(deps.db);
      const failed: string[] = [];
      let habits = 0;
      let ngrams = 0;
      for (const tenant of tenants) {
        try {
          const report = await deps.predict.train(tenant.id);
          habits += report.habits;
          ngrams += report.ngrams;
        } catch {
          failed.push(tenant.slug);
        }
      }
      return { tenants: tenants.length, habits, ngrams, failed };
    },
  });
  deps.schedules.declare({ key: PREDICT_TRAIN_JOB, job: PREDICT_TRAIN_JOB, cron: '53 * * * *' });

  // préférence `ai.learning` passée à faux : les habitudes de l'utilisateur sont effacées avec elle
  const forget = async (p: HookPayload) => {
    const row = p.after;
    if (row?.key !== LEARNING_PREFERENCE || (row.value !== false && row.value !== 'false')) return;
    await deleteUserHabits(p.trx, String(row.user));
  };
  deps.hooks.on('afterCreate', 'user_preference', forget);
  deps.hooks.on('afterUpdate', 'user_preference', forget);
}
