// Travaux du cœur : purge de l'historique des travaux (planifiée chaque nuit), vieillissement des notifications
// (toutes les cinq minutes) et vérification de la chaîne d'audit du tenant (lançable et planifiable par un
// administrateur ; un maillon brisé fait échouer le travail).
import { sql } from 'kysely';
import { verifyAudit } from '../../audit/verify.js';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import { platformStatement } from '../../db/transaction.js';
import type { NotificationService } from '../notifications/service.js';
import { JobFailure, type JobQueue } from './queue.js';
import type { JobSchedules } from './schedules.js';

export interface CoreJobDeps {
  db: Db;
  settings: Settings;
  jobs: JobQueue;
  schedules: JobSchedules;
  notifications: NotificationService;
}

export function installCoreJobs(deps: CoreJobDeps): void {
  deps.jobs.register({
    name: 'jobs.cleanup',
    label: { en: 'Purge the job history', fr: "Purger l'historique des travaux" },
    handler: async () => {
      const days = await deps.settings.platformValue<number>('jobs.retentionDays');
      const { numAffectedRows } = await platformStatement(deps.db, sql`DELETE FROM job WHERE state IN ('succeeded', 'failed', 'cancelled')
        AND finished_at < now() - make_interval(days => ${days})`);
      return { deleted: Number(numAffectedRows ?? 0) };
    },
  });
  deps.schedules.declare({ key: 'jobs.cleanup', job: 'jobs.cleanup', cron: '17 3 * * *' });

  deps.jobs.register({
    name: 'notifications.sweep',
    label: { en: 'Escalate and expire notifications', fr: 'Faire monter et expirer les notifications' },
    timeoutMs: 10 * 60_000,
    handler: async () => ({ ...(await deps.notifications.sweep(new Date())) }),
  });
  deps.schedules.declare({ key: 'notifications.sweep', job: 'notifications.sweep', cron: '*/5 * * * *' });

  deps.jobs.register({
    name: 'audit.verify',
    label: { en: 'Verify the audit trail', fr: "Vérifier la piste d'audit" },
    manual: true,
    timeoutMs: 30 * 60_000,
    handler: async (job) => {
      const report = await verifyAudit(deps.db, { tenant: job.tenantId ?? undefined });
      const [tenant] = report.tenants;
      const summary = { rows: tenant?.rows ?? 0, pending: tenant?.pending ?? 0, problems: tenant?.problems.length ?? 0 };
      if (!report.ok) throw new JobFailure(`Audit chain broken: ${summary.problems} problem(s) in ${summary.rows} rows`);
      return summary;
    },
  });
}
