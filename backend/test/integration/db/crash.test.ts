// Arrêt brutal (kill -9) d'un nœud pendant que 16 clients écrivent : après redémarrage, chaque écriture acquittée
// est là et auditée, chaque événement de l'outbox part au moins une fois vers son webhook, un travail déclaré « au
// plus une fois » ne tourne jamais deux fois (un travail rejouable, lui, finit par réussir), et `opsflux audit verify`
// lancé nœud arrêté ne prend pas les lignes d'audit en attente pour une altération ; une ligne modifiée, si.
// Serveur PostgreSQL seulement : PGlite n'a qu'un processus, qu'on ne tue pas au milieu d'une écriture de sa base.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, onServer, ownerSql, startServer, tamperAudit, tenantSql, type TestServer, type TestTenant } from '../../support/platform.js';
import { startReceiver, waitFor, type Receiver } from '../../support/webhook-receiver.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WRITERS = 16;
let server: TestServer;
let tenant: TestTenant;
let receiver: Receiver;
const nodes: ChildProcess[] = [];

/** Démarre un nœud ; renvoie le processus et son port HTTP. */
async function startNode(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/test/fixtures/crash/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: process.env.OPSFLUX_TEST_DATABASE_URL, TENANT_ID: tenant.tenantId, RECEIVER: `127.0.0.1:${receiver.port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nodes.push(child);
  let logs = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start:\n${logs}`)), 90_000);
    const watch = (chunk: Buffer) => {
      logs += chunk.toString();
      const ready = /ready (\d+)/.exec(logs);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code) => reject(new Error(`the node exited (${code}):\n${logs}`)));
  });
  return { child, port };
}

/** `opsflux audit verify` en ligne de commande, nœud arrêté ; renvoie son code de sortie et sa sortie. */
function verifyFromCli(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/bin/opsflux.js', 'audit', 'verify', '--tenant', tenant.slug], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: process.env.OPSFLUX_TEST_DATABASE_URL }, encoding: 'utf8', timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const probes = async () =>
  (await ownerSql(server.platform, sql<{ job_id: string; runs: number }>`SELECT job_id, count(*)::int AS runs FROM crash_probe GROUP BY job_id`)).rows;

beforeAll(async () => {
  if (!onServer) return;
  receiver = await startReceiver();
  server = await startServer();
  tenant = await newTenant(server);
  // les travaux et événements de ce tenant sont pour les nœuds du test seulement, pas pour la file du serveur de test
  server.tenants.delete(tenant.tenantId);
  await ownerSql(server.platform, sql`CREATE TABLE IF NOT EXISTS crash_probe (job_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
}, 120_000);

afterAll(async () => {
  for (const node of nodes) node.kill('SIGKILL');
  await receiver?.close();
  await server?.close();
});

describe.runIf(onServer)('crash of a node under load', () => {
  it('keeps every acknowledged write audited, delivers every event, never reruns an at-most-once job, and tells a crash from tampering', async () => {
    const first = await startNode();
    const base = `http://127.0.0.1:${first.port}/api/v1`;
    const headers = { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    await post('/data/webhook', { name: 'crash', url: receiver.url('/crash'), events: ['tag.created'] });

    const created: string[] = [];
    const jobs: Record<'crash.once' | 'crash.again', string[]> = { 'crash.once': [], 'crash.again': [] };
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        try {
          created.push((await post('/data/tag', { name: `crash-${w}-${n}` })).id);
          if (n % 4 === 0) {
            const name = w % 2 ? 'crash.once' : 'crash.again';
            jobs[name].push((await post('/jobs', { name })).id);
          }
        } catch {
          return; // nœud tué : la réponse n'est pas venue, l'écriture n'est pas acquittée
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    // tué en pleine charge : des créations acquittées, et des travaux en cours d'exécution
    await waitFor(async () => created.length >= 120 && (await probes()).length >= 4, 90_000, 'load on the node');
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(created.length).toBeGreaterThanOrEqual(120);

    // nœud arrêté : les lignes d'audit restées en attente sont chaînées, pas prises pour une altération
    const calm = verifyFromCli();
    expect(calm.output).toContain('audit trail intact');
    expect(calm.status, calm.output).toBe(0);

    // chaque création acquittée est là, avec sa ligne d'audit
    const tags = sql.table((await server.platform.catalog(tenant.tenantId)).get('tag')!.table);
    const stored = await tenantSql(server.platform, tenant.tenantId, sql<{ id: string; audited: boolean }>`
      SELECT t.id, EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = t.tenant_id AND a.record_id = t.id AND a.action = 'create' AND a.seq IS NOT NULL) AS audited
      FROM ${tags} t WHERE t.tenant_id = ${tenant.tenantId} AND t.id = ANY(${created}::uuid[])`);
    expect(stored.rows).toHaveLength(created.length);
    expect(stored.rows.filter((r) => !r.audited)).toEqual([]);

    // redémarrage : l'outbox restante part, chaque événement acquitté arrive au moins une fois
    const second = await startNode();
    const delivered = () => new Set(receiver.at('/crash').map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id));
    await waitFor(() => created.every((id) => delivered().has(id)), 120_000, 'a delivery for every acknowledged create');
    // les travaux rejouables finissent ; ceux « au plus une fois » ne sont jamais repris. Un travail interrompu par la
    // panne a déjà laissé sa trace : on attend aussi que le second nœud l'ait repris jusqu'au bout (état final)
    const jobStates = async () => (await tenantSql(server.platform, tenant.tenantId, sql<{ name: string; state: string; n: number }>`
      SELECT name, state, count(*)::int AS n FROM job WHERE tenant_id = ${tenant.tenantId} AND name LIKE 'crash.%' GROUP BY name, state`)).rows;
    const unfinished = async () => (await jobStates()).filter((r) => r.name === 'crash.again' && r.state !== 'succeeded');
    await waitFor(async () => {
      const ran = new Map((await probes()).map((p) => [p.job_id, p.runs]));
      return jobs['crash.again'].every((id) => (ran.get(id) ?? 0) >= 1) && jobs['crash.once'].every((id) => ran.has(id)) && (await unfinished()).length === 0;
    }, 120_000, 'every acknowledged job ran, and every retryable one succeeded');
    const runs = new Map((await probes()).map((p) => [p.job_id, p.runs]));
    expect(jobs['crash.once'].length).toBeGreaterThan(0);
    expect(jobs['crash.once'].filter((id) => runs.get(id) !== 1)).toEqual([]);
    expect(await unfinished()).toEqual([]);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));

    // une ligne d'audit modifiée (protection désactivée le temps de la transaction de l'attaquant) est signalée
    await tamperAudit(server.platform, sql`UPDATE audit_log SET changes = '{"name":{"from":null,"to":"forged"}}'
      WHERE tenant_id = ${tenant.tenantId} AND record_id = ${created[0]!} AND action = 'create'`);
    const tampered = verifyFromCli();
    expect(tampered.output).toContain('TAMPERED');
    expect(tampered.status, tampered.output).toBe(1);
  }, 600_000);
});
