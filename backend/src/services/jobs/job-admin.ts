// Administration des travaux d'un tenant : historique (état, tentatives, durée, résultat, erreur), lancement manuel
// d'un type permis, annulation d'un travail en attente, nouvelle exécution d'un travail échoué, planifications cron.
// Tout est lu et écrit dans une transaction du tenant de l'appelant (RLS).
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { appendAudit } from '../../audit/writer.js';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { FieldError } from '@opsflux/sdk';
import { ProblemError, notFound, validationFailed } from '../../errors/problem.js';
import type { Locale } from '../../text/messages.js';
import type { JobQueue } from './queue.js';
import { cronProblem, nextSlot } from './schedules.js';
import type { JobState } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[a-z][a-z0-9_.-]{0,99}$/;

export interface JobFilter {
  state?: JobState;
  name?: string;
  scheduleId?: string;
  cursor?: string;
  limit: number;
}

const JOB_COLUMNS = sql`id, tenant_id AS "tenantId", name, payload, state, priority, run_at AS "runAt", attempts, max_attempts AS "maxAttempts",
  schedule_id AS "scheduleId", started_at AS "startedAt", finished_at AS "finishedAt", duration_ms AS "durationMs", result, error,
  created_by AS "createdBy", created_at AS "createdAt"`;
const SCHEDULE_COLUMNS = sql`id, key, job, cron, timezone, payload, source, active, next_run_at AS "nextRunAt", last_run_at AS "lastRunAt",
  last_job_id AS "lastJobId", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface ScheduleInput {
  key?: unknown;
  job?: unknown;
  cron?: unknown;
  timezone?: unknown;
  payload?: unknown;
  active?: unknown;
}

export class JobAdmin {
  constructor(private readonly db: Db, private readonly queue: JobQueue) {}

  /** Lecture d'une instruction dans une transaction du tenant de l'appelant (RLS). */
  private read<R>(ctx: RequestContext, query: RawBuilder<R>) {
    return inTenant(this.db, ctx, (trx) => query.execute(trx), { singleStatement: true });
  }

  async list(ctx: RequestContext, filter: JobFilter) {
    const { rows } = await this.read(ctx, sql<Record<string, unknown>>`SELECT ${JOB_COLUMNS} FROM job
      WHERE tenant_id = ${ctx.tenantId}
        ${filter.state ? sql`AND state = ${filter.state}` : sql``}
        ${filter.name ? sql`AND name = ${filter.name}` : sql``}
        ${filter.scheduleId ? sql`AND schedule_id = ${filter.scheduleId}` : sql``}
        ${filter.cursor ? sql`AND id < ${filter.cursor}` : sql``}
      ORDER BY id DESC LIMIT ${filter.limit + 1}`);
    const more = rows.length > filter.limit;
    const data = rows.slice(0, filter.limit);
    return { data, meta: { nextCursor: more ? String(data.at(-1)!.id) : null } };
  }

  async get(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound('Unknown job');
    const { rows } = await this.read(ctx, sql<Record<string, unknown>>`SELECT ${JOB_COLUMNS} FROM job WHERE id = ${id} AND tenant_id = ${ctx.tenantId}`);
    if (!rows[0]) throw notFound('Unknown job');
    return rows[0];
  }

  /** Lancement manuel d'un type de travail permis aux administrateurs. */
  async start(ctx: RequestContext, name: unknown, payload: unknown, runAt?: unknown) {
    const errors: FieldError[] = [];
    const definition = typeof name === 'string' ? this.queue.definition(name) : undefined;
    if (!definition?.manual) errors.push({ field: 'name', code: 'unknown_job', message: 'Not a job type administrators can start (see GET /api/v1/jobs/types)' });
    if (payload !== undefined && !isObject(payload)) errors.push({ field: 'payload', code: 'type', message: 'Must be a JSON object' });
    const at = runAt === undefined ? undefined : new Date(String(runAt));
    if (at && Number.isNaN(at.getTime())) errors.push({ field: 'runAt', code: 'format', message: 'Must be an ISO 8601 date-time' });
    // taille permise relue avant la transaction (réglage jobs.payload.maxKilobytes)
    await this.queue.refreshLimits();
    const tooLarge = isObject(payload) ? this.queue.payloadError(JSON.stringify(payload), ctx.locale) : undefined;
    if (tooLarge) errors.push(tooLarge);
    if (errors.length) throw validationFailed(errors);
    const id = await inTenant(this.db, ctx, async (trx) => {
      const jobId = await this.queue.enqueue(ctx.tenantId, definition!.name, (payload ?? {}) as Record<string, unknown>, { trx, runAt: at, createdBy: ctx.userId });
      await appendAudit(trx, ctx, [{ action: 'job.started', entity: 'job', recordId: jobId, changes: { name: definition!.name } }]);
      return jobId!;
    });
    return this.get(ctx, id);
  }

  async cancel(ctx: RequestContext, id: string): Promise<void> {
    const job = await this.get(ctx, id);
    await inTenant(this.db, ctx, async (trx) => {
      const { rows } = await sql`UPDATE job SET state = 'cancelled', finished_at = now() WHERE id = ${id} AND state = 'queued' RETURNING id`.execute(trx);
      if (!rows.length) throw new ProblemError(409, 'job_not_queued', `Only a queued job can be cancelled (this one is ${String(job.state)})`);
      await appendAudit(trx, ctx, [{ action: 'job.cancelled', entity: 'job', recordId: id }]);
    });
  }

  /** Nouvelle exécution d'un travail échoué ou annulé : un nouveau travail, même type et même charge. */
  async retry(ctx: RequestContext, id: string) {
    const job = await this.get(ctx, id);
    if (job.state !== 'failed' && job.state !== 'cancelled') throw new ProblemError(409, 'job_not_finished', 'Only a failed or cancelled job can be run again');
    await this.queue.refreshLimits();
    const copy = await inTenant(this.db, ctx, async (trx) => {
      const jobId = await this.queue.enqueue(ctx.tenantId, String(job.name), job.payload as Record<string, unknown>, { trx, createdBy: ctx.userId, scheduleId: (job.scheduleId as string | null) ?? null });
      await appendAudit(trx, ctx, [{ action: 'job.retried', entity: 'job', recordId: jobId, changes: { retryOf: id } }]);
      return jobId!;
    });
    return this.get(ctx, copy);
  }

  async schedules(ctx: RequestContext) {
    const { rows } = await this.read(ctx, sql`SELECT ${SCHEDULE_COLUMNS} FROM job_schedule WHERE tenant_id = ${ctx.tenantId} AND deleted_at IS NULL ORDER BY key`);
    return { data: rows };
  }

  async schedule(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound('Unknown schedule');
    const { rows } = await this.read(ctx, sql<Record<string, unknown>>`SELECT ${SCHEDULE_COLUMNS} FROM job_schedule
      WHERE id = ${id} AND tenant_id = ${ctx.tenantId} AND deleted_at IS NULL`);
    if (!rows[0]) throw notFound('Unknown schedule');
    return rows[0];
  }

  async createSchedule(ctx: RequestContext, input: ScheduleInput) {
    await this.queue.refreshLimits();
    const value = this.checkSchedule(input, true, false, ctx.locale);
    const id = uuidv7();
    await inTenant(this.db, ctx, async (trx) => {
      const { rows } = await sql`INSERT INTO job_schedule (id, tenant_id, key, job, cron, timezone, payload, active, next_run_at, created_by)
        VALUES (${id}, ${ctx.tenantId}, ${value.key}, ${value.job}, ${value.cron}, ${value.timezone}, ${JSON.stringify(value.payload)}::jsonb,
                ${value.active}, ${nextSlot(value.cron!, value.timezone!, new Date()).toISOString()}::timestamptz, ${ctx.userId})
        ON CONFLICT (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), key) WHERE deleted_at IS NULL DO NOTHING RETURNING id`.execute(trx);
      if (!rows.length) throw new ProblemError(409, 'duplicate_key', 'A schedule with this key exists', [{ field: 'key', code: 'unique', message: 'Already used' }]);
      await appendAudit(trx, ctx, [{ action: 'job_schedule.created', entity: 'job_schedule', recordId: id, changes: value }]);
    });
    return this.schedule(ctx, id);
  }

  async updateSchedule(ctx: RequestContext, id: string, input: ScheduleInput) {
    const current = await this.schedule(ctx, id);
    const onlyActive = Object.keys(input).every((k) => k === 'active');
    if (current.source !== 'admin' && !onlyActive) throw new ProblemError(409, 'schedule_from_code', 'This schedule is declared by the code: only "active" can change');
    await this.queue.refreshLimits();
    const value = this.checkSchedule({ ...current, ...input }, false, current.source !== 'admin', ctx.locale);
    await inTenant(this.db, ctx, async (trx) => {
      await sql`UPDATE job_schedule SET job = ${value.job}, cron = ${value.cron}, timezone = ${value.timezone}, payload = ${JSON.stringify(value.payload)}::jsonb,
        active = ${value.active}, next_run_at = ${nextSlot(value.cron!, value.timezone!, new Date()).toISOString()}::timestamptz, updated_at = now()
        WHERE id = ${id}`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'job_schedule.updated', entity: 'job_schedule', recordId: id, changes: diff(current, value) }]);
    });
    return this.schedule(ctx, id);
  }

  async deleteSchedule(ctx: RequestContext, id: string): Promise<void> {
    await this.schedule(ctx, id);
    await inTenant(this.db, ctx, async (trx) => {
      await sql`UPDATE job_schedule SET deleted_at = now(), active = false WHERE id = ${id}`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'job_schedule.deleted', entity: 'job_schedule', recordId: id }]);
    });
  }

  /** Exécution immédiate d'une planification, hors de son créneau. */
  async runSchedule(ctx: RequestContext, id: string) {
    const schedule = await this.schedule(ctx, id);
    await this.queue.refreshLimits();
    const jobId = await inTenant(this.db, ctx, async (trx) => {
      const created = await this.queue.enqueue(ctx.tenantId, String(schedule.job), schedule.payload as Record<string, unknown>, { trx, scheduleId: id, createdBy: ctx.userId });
      await appendAudit(trx, ctx, [{ action: 'job_schedule.run', entity: 'job_schedule', recordId: id, changes: { jobId: created } }]);
      return created!;
    });
    return this.get(ctx, jobId);
  }

  /** `fromCode` : planification déclarée par le code, dont le type de travail n'a pas à être manuel. */
  private checkSchedule(input: ScheduleInput, creating: boolean, fromCode = false, locale: Locale = 'en') {
    const errors: FieldError[] = [];
    const key = input.key;
    if (creating && (typeof key !== 'string' || !KEY.test(key))) errors.push({ field: 'key', code: 'pattern', message: 'Lowercase letters, digits, dot, dash or underscore, starting with a letter' });
    const definition = typeof input.job === 'string' ? this.queue.definition(input.job) : undefined;
    if (!fromCode && !definition?.manual) errors.push({ field: 'job', code: 'unknown_job', message: 'Not a job type administrators can schedule (see GET /api/v1/jobs/types)' });
    const timezone = input.timezone ?? 'UTC';
    if (typeof input.cron !== 'string') errors.push({ field: 'cron', code: 'required', message: 'A cron expression is required' });
    else if (typeof timezone !== 'string') errors.push({ field: 'timezone', code: 'type', message: 'Must be an IANA time zone' });
    else {
      const problem = cronProblem(input.cron, timezone);
      if (problem) errors.push({ field: problem.startsWith('Unknown time zone') ? 'timezone' : 'cron', code: 'invalid', message: problem });
    }
    if (input.payload !== undefined && !isObject(input.payload)) errors.push({ field: 'payload', code: 'type', message: 'Must be a JSON object' });
    const tooLarge = isObject(input.payload) ? this.queue.payloadError(JSON.stringify(input.payload), locale) : undefined;
    if (tooLarge) errors.push(tooLarge);
    if (input.active !== undefined && typeof input.active !== 'boolean') errors.push({ field: 'active', code: 'type', message: 'Must be true or false' });
    if (errors.length) throw validationFailed(errors);
    return { key: key as string, job: input.job as string, cron: input.cron as string, timezone: timezone as string, payload: (input.payload ?? {}) as Record<string, unknown>, active: (input.active ?? true) as boolean };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['job', 'cron', 'timezone', 'payload', 'active']) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}
