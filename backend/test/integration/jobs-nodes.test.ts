// Plusieurs processus sur la même base PostgreSQL : une planification donne un seul travail par créneau, une rafale
// de travaux est partagée sans doublon, et un processus tué pendant un travail le voit repris une fois par un autre
// nœud à l'échéance de son bail. PGlite n'a qu'un processus : serveur seulement.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, onServer, startServer, type TestServer, type TestTenant } from '../support/platform.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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

const probes = async (jobId?: string) => (await sql<{ job_id: string; node: string; attempt: number; phase: string }>`
  SELECT job_id, node, attempt, phase FROM job_probe p JOIN job j ON j.id = p.job_id
  WHERE j.tenant_id = ${tenant.tenantId} ${jobId ? sql`AND p.job_id = ${jobId}` : sql``} ORDER BY p.at`.execute(server.platform.db)).rows;
const jobState = async (id: string) => (await sql<{ state: string; attempts: number }>`SELECT state, attempts FROM job WHERE id = ${id}`.execute(server.platform.db)).rows[0];

describe.runIf(onServer)('jobs across several processes', () => {
  beforeAll(async () => {
    server = await startServer();
    tenant = await newTenant(server);
    await sql`CREATE TABLE IF NOT EXISTS job_probe (job_id uuid NOT NULL, node text NOT NULL, attempt integer NOT NULL, phase text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`.execute(server.platform.db);
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
    await startNode('b');
    await expect.poll(async () => (await jobState(id!))?.state, { timeout: 20_000 }).toBe('succeeded');
    const trace = (await probes(id!)).map((p) => `${p.node}:${p.attempt}:${p.phase}`);
    expect(trace).toEqual(['a:1:started', 'b:2:started', 'b:2:done']);
    expect((await jobState(id!))?.attempts).toBe(2);
  });

  it('starts one job per schedule slot and shares a burst of jobs without duplicates across two nodes', async () => {
    await startNode('c');
    const scheduleId = uuidv7();
    await sql`INSERT INTO job_schedule (id, tenant_id, key, job, cron, next_run_at) VALUES (${scheduleId}, ${tenant.tenantId}, 'every-minute', 'test.node.record', '* * * * *', now() - interval '1 second')`.execute(server.platform.db);
    const ids = await Promise.all(Array.from({ length: 40 }, () => server.platform.jobs.enqueue(tenant.tenantId, 'test.node.record')));
    await expect.poll(async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM job WHERE id = ANY(${ids}::uuid[]) AND state = 'succeeded'`.execute(server.platform.db)).rows[0]!.n, { timeout: 20_000 }).toBe(40);
    const done = (await probes()).filter((p) => ids.includes(p.job_id));
    expect(new Set(done.map((p) => p.job_id)).size).toBe(40);
    expect(done).toHaveLength(40);
    // les deux nœuds ont passé plusieurs fois sur la planification : un seul travail pour le créneau
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const runs = (await sql<{ id: string; state: string }>`SELECT id, state FROM job WHERE schedule_id = ${scheduleId}`.execute(server.platform.db)).rows;
    expect(runs).toHaveLength(1);
    await expect.poll(async () => (await jobState(runs[0]!.id))?.state, { timeout: 10_000 }).toBe('succeeded');
    expect(await probes(runs[0]!.id)).toHaveLength(1);
  });
});
