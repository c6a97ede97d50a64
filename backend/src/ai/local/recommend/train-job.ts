// Apprentissage planifié des co-occurrences : chaque nuit, pour chaque tenant actif (ou le seul tenant qui le lance), dans une transaction du tenant
// (RLS : un modèle ne mélange jamais deux tenants). Un tenant en échec n'empêche pas les autres.
import type { Db } from '../../../db/database.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import type { JobSchedules } from '../../../services/jobs/schedules.js';
import { activeTenants } from '../../../tenancy/tenants.js';
import type { RecommendService } from './service.js';

export const RECOMMEND_TRAIN_JOB = 'ai.local.recommend.train';

export interface RecommendJobDeps {
  db: Db;
  jobs: JobQueue;
  schedules: JobSchedules;
  recommend: Pick<RecommendService, 'train'>;
}

export function registerRecommendTraining(deps: RecommendJobDeps): void {
  deps.jobs.register({
    name: RECOMMEND_TRAIN_JOB,
    label: { en: 'Learn the products bought together', fr: 'Apprendre les articles achetés ensemble' },
    timeoutMs: 30 * 60_000,
    manual: true,
    handler: async (job) => {
      // lancé par l'administrateur d'un tenant : ce tenant seul ; planifié pour la plateforme : chaque tenant actif
      const tenants = job.tenantId ? [{ id: job.tenantId, slug: job.tenantId }] : await activeTenants(deps.db);
      let trained = 0;
      const failed: string[] = [];
      for (const tenant of tenants) {
        try {
          trained += (await deps.recommend.train(tenant.id)).length;
        } catch {
          failed.push(tenant.slug);
        }
      }
      return { tenants: tenants.length, models: trained, failed };
    },
  });
  deps.schedules.declare({ key: RECOMMEND_TRAIN_JOB, job: RECOMMEND_TRAIN_JOB, cron: '41 2 * * *' });
}
