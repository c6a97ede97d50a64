// Planifications cron : une ligne par planification (déclarée par le code ou par un administrateur). À chaque passe,
// les planifications échues sont verrouillées (SKIP LOCKED), leur travail déposé et leur prochain créneau avancé dans
// la même transaction : un créneau donne un seul travail, quel que soit le nombre de nœuds. Les créneaux manqués
// pendant un arrêt ne sont pas rattrapés un par un : un seul travail part, puis le prochain créneau à venir.
import { CronExpressionParser } from 'cron-parser';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { DrainWorker } from '../../background/drain-loop.js';
import type { Db } from '../../db/database.js';
import { inPlatform, platformStatement } from '../../db/transaction.js';
import { ProblemError } from '../../errors/problem.js';
import type { JobQueue } from './queue.js';

export interface ScheduleDeclaration {
  /** clé stable (`jobs.cleanup`, `crm.digest`) */
  key: string;
  job: string;
  cron: string;
  timezone?: string;
  payload?: Record<string, unknown>;
}

/** Créneau suivant strictement après `after` (cron à cinq champs, dans le fuseau donné). */
export function nextSlot(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}

/** Message d'erreur d'une expression cron ou d'un fuseau, sinon undefined. */
export function cronProblem(cron: string, timezone: string): string | undefined {
  if (cron.trim().split(/\s+/).length !== 5) return 'Use five fields: minute hour day-of-month month day-of-week';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    return `Unknown time zone ${timezone}`;
  }
  try {
    nextSlot(cron, timezone, new Date());
    return undefined;
  } catch (error) {
    return `Invalid cron expression: ${(error as Error).message}`;
  }
}

interface DueRow {
  id: string;
  tenant_id: string | null;
  job: string;
  cron: string;
  timezone: string;
  payload: Record<string, unknown>;
}

export class JobSchedules extends DrainWorker {
  private readonly declared: ScheduleDeclaration[] = [];

  constructor(private readonly db: Db, private readonly queue: JobQueue, private readonly onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  /** Planification de la plateforme déclarée par le code : créée au démarrage, son expression suit le code. */
  declare(...schedules: ScheduleDeclaration[]): void {
    this.declared.push(...schedules);
  }

  /** Enregistre les planifications déclarées (un nœud à la fois grâce à l'index unique ; idempotent). */
  async syncDeclared(now = new Date()): Promise<void> {
    for (const s of this.declared) {
      const timezone = s.timezone ?? 'UTC';
      await platformStatement(this.db, sql`
        INSERT INTO job_schedule (id, tenant_id, key, job, cron, timezone, payload, source, next_run_at)
        VALUES (${uuidv7()}, NULL, ${s.key}, ${s.job}, ${s.cron}, ${timezone}, ${JSON.stringify(s.payload ?? {})}::jsonb, 'core',
                ${nextSlot(s.cron, timezone, now).toISOString()}::timestamptz)
        ON CONFLICT (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), key) WHERE deleted_at IS NULL
        DO UPDATE SET job = EXCLUDED.job, payload = EXCLUDED.payload, updated_at = now(),
          next_run_at = CASE WHEN job_schedule.cron = EXCLUDED.cron AND job_schedule.timezone = EXCLUDED.timezone
                             THEN job_schedule.next_run_at ELSE EXCLUDED.next_run_at END,
          cron = EXCLUDED.cron, timezone = EXCLUDED.timezone`);
    }
  }

  override start(intervalMs = 10_000): void {
    super.start(intervalMs);
  }

  /** Dépose les travaux des planifications échues à `now` ; renvoie le nombre de travaux déposés. */
  async runDue(now = new Date()): Promise<number> {
    let started = 0;
    await this.queue.refreshLimits(); // hors transaction : la taille permise des charges est relue ici
    for (;;) {
      const batch = await inPlatform(this.db, async (trx) => {
        const { rows } = await sql<DueRow>`
          SELECT id, tenant_id, job, cron, timezone, payload FROM job_schedule
          WHERE active AND deleted_at IS NULL AND next_run_at <= ${now.toISOString()}::timestamptz
          ORDER BY next_run_at LIMIT 100 FOR UPDATE SKIP LOCKED`.execute(trx);
        for (const row of rows) {
          // travail précédent encore en attente ou en cours : ce créneau ne s'y ajoute pas (clé d'unicité)
          // charge refusée avant toute instruction (jobs.payload.maxKilobytes abaissé depuis) : ce créneau est signalé et sauté
          const jobId = await this.queue.enqueue(row.tenant_id, row.job, row.payload, { trx, singletonKey: `schedule:${row.id}`, scheduleId: row.id })
            .catch((error: unknown) => {
              if (!(error instanceof ProblemError)) throw error;
              this.onError(error);
              return null;
            });
          if (jobId) started++;
          await sql`UPDATE job_schedule SET next_run_at = ${nextSlot(row.cron, row.timezone, now).toISOString()}::timestamptz,
            last_run_at = ${now.toISOString()}::timestamptz, last_job_id = coalesce(${jobId}::uuid, last_job_id) WHERE id = ${row.id}`.execute(trx);
        }
        return rows.length;
      });
      if (batch < 100) return started;
    }
  }

  protected async pass(): Promise<void> {
    await this.runDue();
  }
}
