// Plusieurs processus sur la même base PostgreSQL : une planification donne un seul travail par créneau, une rafale
// de travaux est partagée sans doublon, et un processus tué pendant un travail le voit repris une fois par un autre
// nœud à l'échéance de son bail. PGlite n'a qu'un processus : serveur seulement.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, ownerSql, onServer, startServer, type TestServer, type TestTenant, tenantSql } from '../../support/platform.js';
import { BACKGROUND } from '../../support/timeouts.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const NODE_SCRIPT = 'backend/test/fixtures/jobs/job-node.ts';
let server: TestServer;
let tenant: TestTenant;
const nodes: ChildProcess[] = [];

async function startNode(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: process.env.OPSFLUX_TEST_DATABASE_URL, NODE_NAME: name, TENANT_ID: tenant.tenantId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nodes.push(child);
  let logs = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${logs}`)), 60_000);
    const watch = (chunk: Buffer) => {
      logs += chunk.toString();
      if (logs.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${logs}`)));
  });
  return child;
}

/** Arrêt propre d'un nœud : ses passes en cours finissent, sa connexion se ferme ; plus rien ne viendra de lui. */
async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const probes = async (jobId?: string) => (await tenantSql(server.platform, tenant.tenantId, sql<{ job_id: string; node: string; attempt: number; phase: string }>`
  SELECT job_id, node, attempt, phase FROM job_probe p JOIN job j ON j.id = p.job_id
  WHERE j.tenant_id = ${tenant.tenantId} ${jobId ? sql`AND p.job_id = ${jobId}` : sql``} ORDER BY p.at`)).rows;
const jobState = async (id: string) => (await tenantSql(server.platform, tenant.tenantId, sql<{ state: string; attempts: number }>`SELECT state, attempts FROM job WHERE id = ${id}`)).rows[0];

describe.runIf(onServer)('jobs across several processes', () => {
  beforeAll(async () => {
    server = await startServer();
    tenant = await newTenant(server);
    await ownerSql(server.platform, sql`CREATE TABLE IF NOT EXISTS job_probe (job_id uuid NOT NULL, node text NOT NULL, attempt integer NOT NULL, phase text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    // lue avec les travaux du tenant (RLS), sous le rôle applicatif
    await ownerSql(server.platform, sql`GRANT SELECT ON job_probe TO opsflux_app`);
  });
  afterAll(async () => {
    for (const node of nodes) node.kill('SIGKILL');
    await server?.close();
  });

  it('runs a job again, once, on another node when the node running it is killed', async () => {
    const a = await startNode('a');
    // ce nœud ne connaît pas le type : délai donné au dépôt (bail de 2,3 s)
    const id = await server.platform.jobs.enqueue(tenant.tenantId, 'test.node.slow', {}, { timeoutMs: 2000 });
    await expect.poll(async () => (await probes(id!)).length, { timeout: 15_000 }).toBe(1);
    a.kill('SIGKILL');
    const b = await startNode('b');
    await expect.poll(async () => (await jobState(id!))?.state, { timeout: 20_000 }).toBe('succeeded');
    const trace = (await probes(id!)).map((p) => `${p.node}:${p.attempt}:${p.phase}`);
    expect(trace).toEqual(['a:1:started', 'b:2:started', 'b:2:done']);
    expect((await jobState(id!))?.attempts).toBe(2);
    await stopNode(b);
  });

  it('starts one job per schedule slot and shares a burst of jobs without duplicates across two nodes', async () => {
    const twoNodes = [await startNode('c'), await startNode('d')];
    const scheduleId = uuidv7();
    // un seul créneau échu (next_run_at passé) ; le suivant tombe à la minute opposée de l'heure, bien après la fin du
    // test : le nombre de travaux attendu ne dépend pas d'un passage de minute pendant le test
    const farMinute = (new Date().getUTCMinutes() + 30) % 60;
    await tenantSql(server.platform, tenant.tenantId, sql`INSERT INTO job_schedule (id, tenant_id, key, job, cron, timezone, next_run_at) VALUES (${scheduleId}, ${tenant.tenantId}, 'hourly', 'test.node.record', ${`${farMinute} * * * *`}, 'UTC', now() - interval '1 second')`);
    const ids = await Promise.all(Array.from({ length: 40 }, () => server.platform.jobs.enqueue(tenant.tenantId, 'test.node.record')));
    await expect.poll(async () => (await tenantSql(server.platform, tenant.tenantId, sql<{ n: number }>`SELECT count(*)::int AS n FROM job WHERE id = ANY(${ids}::uuid[]) AND state = 'succeeded'`)).rows[0]!.n, { timeout: 20_000 }).toBe(40);
    const done = (await probes()).filter((p) => ids.includes(p.job_id));
    expect(new Set(done.map((p) => p.job_id)).size).toBe(40);
    expect(done).toHaveLength(40);
    const runsOfSchedule = async () => (await tenantSql(server.platform, tenant.tenantId, sql<{ id: string; state: string }>`SELECT id, state FROM job WHERE schedule_id = ${scheduleId}`)).rows;
    await expect.poll(async () => (await runsOfSchedule()).map((r) => r.state), BACKGROUND).toContain('succeeded');
    // les deux nœuds, qui passaient sur la planification toutes les 200 ms, sont arrêtés proprement : aucune passe
    // ne peut plus déposer un second travail pour ce créneau, le compte ci-dessous est définitif
    await Promise.all(twoNodes.map(stopNode));
    const runs = await runsOfSchedule();
    expect(runs).toEqual([{ id: expect.any(String), state: 'succeeded' }]);
    expect(await probes(runs[0]!.id)).toHaveLength(1);
    const { rows: [schedule] } = await tenantSql(server.platform, tenant.tenantId, sql<{ minute: number; future: boolean }>`
      SELECT extract(minute FROM next_run_at AT TIME ZONE 'UTC')::int AS minute, next_run_at > now() AS future FROM job_schedule WHERE id = ${scheduleId}`);
    expect(schedule).toEqual({ minute: farMinute, future: true });
  });
});
