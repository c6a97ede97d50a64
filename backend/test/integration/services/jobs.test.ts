// Travaux de fond : lancement manuel et historique (durée, résultat), nouvelles tentatives espacées puis échec
// définitif porté au journal des erreurs, délai dépassé (signal d'abandon), dépôt annulé avec sa transaction, clé
// d'unicité, bail échu d'un nœud disparu (le travail repart une fois), planifications cron (un travail par créneau),
// annulation, nouvelle exécution, cloisonnement entre tenants, refus aux non-administrateurs, entrées invalides.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { JobFailure } from '../../../src/services/jobs/queue.js';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
const calls = new Map<string, number>();
const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
const attemptTimes = new Map<string, number[]>();
let abortedSeen = false;

beforeAll(async () => {
  server = await startServer({ jobs: { leaseGraceMs: 200 } });
  const jobs = server.platform.jobs;
  jobs.register<{ text?: string }>({ name: 'test.echo', manual: true, handler: async (job) => ({ echo: job.payload.text ?? null, tenant: job.tenantId }) });
  jobs.register({
    name: 'test.flaky', manual: true, maxAttempts: 3, backoffMs: 100,
    handler: async (job) => {
      count(`flaky:${job.id}`);
      attemptTimes.set(job.id, [...(attemptTimes.get(job.id) ?? []), Date.now()]);
      if (job.payload.succeedAt !== job.attempt) throw new TypeError(`flaky failure on attempt ${job.attempt}`);
      return { attempt: job.attempt };
    },
  });
  jobs.register({ name: 'test.remote', maxAttempts: 1, handler: async () => { throw new JobFailure('remote answered 503'); } });
  jobs.register({
    name: 'test.slow', maxAttempts: 2, backoffMs: 10, timeoutMs: 150,
    handler: (job) => new Promise((resolve) => {
      if (job.attempt === 2) return resolve({ fast: true });
      job.signal.addEventListener('abort', () => { abortedSeen = true; });
    }),
  });
  jobs.register({ name: 'test.once', handler: async (job) => { count(`once:${job.id}`); return { attempt: job.attempt }; } });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterAll(async () => {
  await server?.close();
});

const job = async (id: string) => (await admin.get(`/api/v1/jobs/${id}`)).json();
const settled = async (id: string) => {
  await server.platform.jobs.idle();
  await expect.poll(async () => (await job(id)).state, { timeout: 10_000 }).toMatch(/succeeded|failed|cancelled/);
  return job(id);
};

describe('background jobs', () => {
  it('starts a manual job from the API and keeps its result, duration and attempts', async () => {
    const types = (await admin.get('/api/v1/jobs/types')).json().data as Array<{ name: string; manual: boolean }>;
    expect(types.find((t) => t.name === 'test.echo')).toMatchObject({ manual: true });
    expect(types.find((t) => t.name === 'audit.verify')).toMatchObject({ manual: true });
    const res = await admin.post('/api/v1/jobs', { name: 'test.echo', payload: { text: 'bonjour' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'test.echo', createdBy: tenant.userId });
    const done = await settled(res.json().id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { echo: 'bonjour', tenant: tenant.tenantId }, error: null });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(new Date(done.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(done.startedAt).getTime());
    const history = (await admin.get('/api/v1/jobs?name=test.echo&state=succeeded')).json().data;
    expect(history.map((j: { id: string }) => j.id)).toContain(res.json().id);
  });

  it('runs the audit verification as a job', async () => {
    const started = (await admin.post('/api/v1/jobs', { name: 'audit.verify' })).json();
    await server.platform.chainer.idle();
    const done = await settled(started.id);
    expect(done.state, done.error).toBe('succeeded');
    expect(done.result.problems).toBe(0);
  });

  it('retries a failing job with growing delays, then succeeds', async () => {
    const started = (await admin.post('/api/v1/jobs', { name: 'test.flaky', payload: { succeedAt: 3 } })).json();
    const done = await settled(started.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 3, result: { attempt: 3 } });
    expect(calls.get(`flaky:${started.id}`)).toBe(3);
    // 100 ms puis 200 ms d'attente (backoff doublé)
    const [t1, t2, t3] = attemptTimes.get(started.id)!;
    expect(t2! - t1!).toBeGreaterThanOrEqual(90);
    expect(t3! - t2!).toBeGreaterThanOrEqual(190);
  });

  it('fails for good after the last attempt, keeps the error and reports it to the error log; an expected failure is not reported', async () => {
    const started = (await admin.post('/api/v1/jobs', { name: 'test.flaky', payload: { succeedAt: 99 } })).json();
    const done = await settled(started.id);
    expect(done).toMatchObject({ state: 'failed', attempts: 3 });
    expect(done.error).toMatch(/TypeError: flaky failure on attempt 3/);
    await expect.poll(async () => (await admin.get('/api/v1/errors')).json().data.map((g: { route: string }) => g.route), BACKGROUND).toContain('job:test.flaky');
    const group = (await admin.get('/api/v1/errors')).json().data.find((g: { route: string }) => g.route === 'job:test.flaky');
    expect(group).toMatchObject({ source: 'background', kind: 'TypeError', count: 1 });

    const remote = await server.platform.jobs.enqueue(tenant.tenantId, 'test.remote');
    expect((await settled(remote!)).error).toBe('JobFailure: remote answered 503');
    expect((await admin.get('/api/v1/errors')).json().data.some((g: { route: string }) => g.route === 'job:test.remote')).toBe(false);
  });

  it('aborts an attempt that exceeds its timeout and retries it', async () => {
    const id = await server.platform.jobs.enqueue(tenant.tenantId, 'test.slow');
    const done = await settled(id!);
    expect(abortedSeen).toBe(true);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, result: { fast: true } });
  });

  it('enqueues inside a transaction: nothing is queued when it rolls back', async () => {
    let rolledBackId: string | null = null;
    await expect(inTenant(server.platform.db, { tenantId: tenant.tenantId }, async (trx) => {
      rolledBackId = await server.platform.jobs.enqueue(tenant.tenantId, 'test.echo', {}, { trx });
      throw new Error('business write refused');
    })).rejects.toThrow('business write refused');
    expect(rolledBackId).not.toBeNull();
    expect((await admin.get(`/api/v1/jobs/${rolledBackId}`)).statusCode).toBe(404);
    const kept = await inTenant(server.platform.db, { tenantId: tenant.tenantId }, (trx) => server.platform.jobs.enqueue(tenant.tenantId, 'test.echo', { text: 'kept' }, { trx }));
    expect((await settled(kept!)).result.echo).toBe('kept');
  });

  it('keeps one pending job per singleton key', async () => {
    const later = new Date(Date.now() + 3_600_000);
    const first = await server.platform.jobs.enqueue(tenant.tenantId, 'test.echo', {}, { singletonKey: 'nightly', runAt: later });
    const second = await server.platform.jobs.enqueue(tenant.tenantId, 'test.echo', {}, { singletonKey: 'nightly', runAt: later });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect((await admin.post(`/api/v1/jobs/${first}/cancel`)).statusCode).toBe(204);
    expect(await server.platform.jobs.enqueue(tenant.tenantId, 'test.echo', {}, { singletonKey: 'nightly', runAt: later })).not.toBeNull();
  });

  it('runs again, once, a job whose node died while running it', async () => {
    const id = uuidv7();
    // un nœud disparu a réservé le travail : bail échu, une tentative consommée
    await tenantSql(server.platform, tenant.tenantId, sql`INSERT INTO job (id, tenant_id, name, state, attempts, max_attempts, locked_by, locked_until, started_at)
      VALUES (${id}, ${tenant.tenantId}, 'test.once', 'running', 1, 3, 'dead-node:1', now() - interval '1 second', now() - interval '1 minute')`);
    server.platform.jobs.kick();
    const done = await settled(id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, result: { attempt: 2 } });
    await server.platform.jobs.idle();
    expect(calls.get(`once:${id}`)).toBe(1);
  });

  it('cancels a queued job, refuses to cancel a finished one and runs a failed one again', async () => {
    const queued = (await admin.post('/api/v1/jobs', { name: 'test.echo', runAt: new Date(Date.now() + 3_600_000).toISOString() })).json();
    expect((await admin.post(`/api/v1/jobs/${queued.id}/cancel`)).statusCode).toBe(204);
    expect((await job(queued.id)).state).toBe('cancelled');
    const again = await admin.post(`/api/v1/jobs/${queued.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('job_not_queued');
    const failed = (await admin.post('/api/v1/jobs', { name: 'test.flaky', payload: { succeedAt: 1 } })).json();
    expect((await admin.post(`/api/v1/jobs/${failed.id}/retry`)).statusCode).toBe(409);
    const retried = await admin.post(`/api/v1/jobs/${queued.id}/retry`);
    expect(retried.statusCode).toBe(201);
    expect(retried.json().id).not.toBe(queued.id);
    expect((await settled(retried.json().id)).state).toBe('succeeded');
  });
});

describe('cron schedules', () => {
  it('validates schedules field by field', async () => {
    const bad = await admin.post('/api/v1/job-schedules', { key: 'Bad Key', job: 'test.remote', cron: '*/5 * * *', timezone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['cron', 'job', 'key']);
    const zone = await admin.post('/api/v1/job-schedules', { key: 'zone', job: 'test.echo', cron: '0 6 * * *', timezone: 'Mars/Olympus' });
    expect(zone.json().errors).toEqual([expect.objectContaining({ field: 'timezone' })]);
    const seconds = await admin.post('/api/v1/job-schedules', { key: 'secs', job: 'test.echo', cron: '* * * * * *' });
    expect(seconds.json().errors).toEqual([expect.objectContaining({ field: 'cron' })]);
    expect((await admin.post('/api/v1/job-schedules', { key: 'x', job: 'test.echo', cron: '0 6 * * *', extra: 1 })).statusCode).toBe(400);
  });

  it('starts one job per slot, whatever the number of passes, in the schedule time zone', async () => {
    const created = await admin.post('/api/v1/job-schedules', { key: 'morning', job: 'test.echo', cron: '0 6 * * *', timezone: 'Europe/Paris', payload: { text: 'morning' } });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json();
    // 6 h à Paris : 4 h ou 5 h UTC selon la saison
    expect([4, 5]).toContain(new Date(schedule.nextRunAt).getUTCHours());
    expect((await admin.post('/api/v1/job-schedules', { key: 'morning', job: 'test.echo', cron: '0 7 * * *' })).statusCode).toBe(409);
    const slot = new Date(new Date(schedule.nextRunAt).getTime() + 1000);
    const passes = await Promise.all([server.platform.schedules.runDue(slot), server.platform.schedules.runDue(slot)]);
    expect(passes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await server.platform.schedules.runDue(slot)).toBe(0);
    const runs = (await admin.get(`/api/v1/jobs?scheduleId=${schedule.id}`)).json().data;
    expect(runs).toHaveLength(1);
    expect((await settled(runs[0].id)).result.echo).toBe('morning');
    const after = (await admin.get(`/api/v1/job-schedules/${schedule.id}`)).json();
    expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(slot.getTime());
    expect(after.lastJobId).toBe(runs[0].id);
  });

  it('runs a schedule on demand, pauses it and deletes it', async () => {
    const schedule = (await admin.post('/api/v1/job-schedules', { key: 'hourly', job: 'test.echo', cron: '0 * * * *' })).json();
    const run = await admin.post(`/api/v1/job-schedules/${schedule.id}/run`);
    expect(run.statusCode).toBe(201);
    expect(run.json().scheduleId).toBe(schedule.id);
    const paused = await admin.patch(`/api/v1/job-schedules/${schedule.id}`, { active: false });
    expect(paused.json()).toMatchObject({ active: false, cron: '0 * * * *' });
    await server.platform.schedules.runDue(new Date(Date.now() + 2 * 3_600_000));
    // en pause : seule l'exécution demandée à la main figure dans ses travaux
    expect((await admin.get(`/api/v1/jobs?scheduleId=${schedule.id}`)).json().data).toHaveLength(1);
    expect((await admin.patch(`/api/v1/job-schedules/${schedule.id}`, { cron: 'nope' })).statusCode).toBe(400);
    const history = (await admin.get('/api/v1/audit?entity=job_schedule')).json().data.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining(['job_schedule.created', 'job_schedule.run', 'job_schedule.updated']));
    expect((await admin.delete(`/api/v1/job-schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/job-schedules/${schedule.id}`)).statusCode).toBe(404);
    expect((await admin.get('/api/v1/job-schedules')).json().data.map((s: { key: string }) => s.key)).not.toContain('hourly');
  });
});

describe('job access', () => {
  it('hides jobs and schedules of other tenants and refuses non-administrators', async () => {
    const mine = (await admin.post('/api/v1/jobs', { name: 'test.echo' })).json();
    const schedule = (await admin.get('/api/v1/job-schedules')).json().data[0];
    const other = await newTenant(server);
    const stranger = client(server, other.token);
    expect((await stranger.get(`/api/v1/jobs/${mine.id}`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/v1/jobs/${mine.id}/cancel`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/jobs')).json().data).toEqual([]);
    expect((await stranger.get(`/api/v1/job-schedules/${schedule.id}`)).statusCode).toBe(404);
    expect((await stranger.delete(`/api/v1/job-schedules/${schedule.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/jobs/not-a-uuid')).statusCode).toBe(404);
    const kit = memberKit(server, tenant, admin);
    const member = await kit.member('job-viewer');
    expect((await member.api.get('/api/v1/jobs')).statusCode).toBe(403);
    expect((await member.api.post('/api/v1/jobs', { name: 'test.echo' })).statusCode).toBe(403);
    expect((await client(server).get('/api/v1/jobs')).statusCode).toBe(401);
  });

  it('refuses job types that are not manual and invalid input', async () => {
    const hidden = await admin.post('/api/v1/jobs', { name: 'test.remote' });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().errors[0]).toMatchObject({ field: 'name', code: 'unknown_job' });
    const bad = await admin.post('/api/v1/jobs', { name: 'test.echo', payload: [1], runAt: 'tomorrow' });
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['payload', 'runAt']);
    expect((await admin.get('/api/v1/jobs?state=exploded')).statusCode).toBe(400);
  });
});
