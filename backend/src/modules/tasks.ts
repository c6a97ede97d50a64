// Tâches planifiées des modules (manifeste : nom et expression cron, en UTC) : à chaque passe, pour chaque tenant où
// le module est actif, le dernier créneau échu (s'il date de moins de `modules.tasks.catchUpMinutes`) est réservé
// puis exécuté, dans une transaction du tenant, avec les droits du système. Une erreur est gardée sur l'exécution ;
// l'écriture est annulée.
import { CronExpressionParser } from 'cron-parser';
import { sql } from 'kysely';
import type { Settings } from '../config/settings.js';
import { DrainWorker } from '../background/drain-loop.js';
import { activeTenants } from '../tenancy/tenants.js';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import { systemContext } from '../engine/context.js';
import type { CatalogOf, TenantTx } from '../engine/tenant-work.js';
import { notFound } from '../errors/problem.js';
import { moduleCall } from './context.js';
import type { ModuleRuntime } from './runtime.js';

export interface ModuleTaskDeps {
  db: Db;
  settings: Settings;
  catalog: CatalogOf;
  tenantTx: TenantTx;
  moduleRuntime: ModuleRuntime;
}

/** Dernier créneau de `cron` au plus tard à `now`. */
export function lastSlot(cron: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: 'UTC' }).prev().toDate();
}

export function validCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

export interface TaskRun {
  tenantId: string;
  module: string;
  task: string;
  slot: string;
  ran: boolean;
  error?: string;
}

export class ModuleTaskScheduler extends DrainWorker {
  private clock: () => Date = () => new Date();

  constructor(private readonly deps: ModuleTaskDeps, onError: (error: unknown) => void = () => undefined) {
    super(onError);
  }

  override start(intervalMs = 30_000): void {
    super.start(intervalMs);
  }

  /** Une passe à l'instant donné (les tests avancent le temps). */
  async runDue(now = this.clock()): Promise<TaskRun[]> {
    const runs: TaskRun[] = [];
    const catchUpMs = (await this.deps.settings.platformValue<number>('modules.tasks.catchUpMinutes')) * 60_000;
    for (const tenant of await activeTenants(this.deps.db)) {
      const catalog = await this.deps.catalog(tenant.id);
      for (const name of catalog.modules) {
        for (const task of this.deps.moduleRuntime.loaded(name)?.manifest.tasks ?? []) {
          const slot = lastSlot(task.cron, now);
          if (now.getTime() - slot.getTime() > catchUpMs) continue;
          runs.push(await this.run(tenant.id, name, task.name, slot));
        }
      }
    }
    return runs;
  }

  /** Exécute une tâche d'un module actif du tenant pour un créneau, si aucun nœud ne l'a déjà réservé. */
  async run(tenantId: string, module: string, task: string, slot: Date): Promise<TaskRun> {
    const result: TaskRun = { tenantId, module, task, slot: slot.toISOString(), ran: false };
    const claimed = await inTenant(this.deps.db, { tenantId }, async (trx) => (await sql`INSERT INTO task_run (tenant_id, module, task, slot)
      VALUES (app_tenant(), ${module}, ${task}, ${slot.toISOString()}::timestamptz) ON CONFLICT DO NOTHING RETURNING slot`.execute(trx)).rows.length > 0);
    if (!claimed) return result;
    const handler = this.deps.moduleRuntime.loaded(module)?.definition.tasks?.find((t) => t.name === task);
    const ctx = systemContext(tenantId, `task-${module}-${task}-${slot.toISOString()}`);
    try {
      const catalog = await this.deps.catalog(tenantId);
      if (!handler) throw notFound(`module ${module} has no task ${task}`);
      await this.deps.tenantTx(ctx, (trx) => moduleCall(() => handler.handler(this.deps.moduleRuntime.context(module, trx, ctx, catalog))), { write: true });
      result.ran = true;
    } catch (error) {
      result.error = (error as Error).message;
    }
    await inTenant(this.deps.db, { tenantId }, (trx) => sql`UPDATE task_run SET finished_at = now(), error = ${result.error ?? null}
      WHERE module = ${module} AND task = ${task} AND slot = ${slot.toISOString()}::timestamptz`.execute(trx));
    return result;
  }

  protected async pass(): Promise<void> {
    await this.runDue();
  }
}
