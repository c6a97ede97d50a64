// Deux nœuds d'API sur la même base PostgreSQL : un second processus serveur suit, sans redémarrer, les installations
// et (dés)activations faites sur le premier (LISTEN/NOTIFY). PGlite n'a qu'un processus : serveur seulement.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, onServer, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MODULES = fileURLToPath(new URL('../../fixtures/nodes/', import.meta.url));

let nodeA: TestServer;
let tenant: TestTenant;
let api: Client;
let nodeB: ChildProcess | undefined;
let baseB = '';
let logs = '';

const freePort = () => new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

async function onB(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseB}${path}`, { ...init, headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json', ...init.headers } });
}

/** Attend que le second nœud réponde `status` (la notification est asynchrone). */
async function eventually(path: string, status: number): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await onB(path);
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(onServer)('two API nodes', () => {
  beforeAll(async () => {
    nodeA = await startServer({ modulesDir: MODULES });
    tenant = await newTenant(nodeA);
    api = client(nodeA, tenant.token);
    const port = await freePort();
    const logDir = mkdtempSync(join(tmpdir(), 'opsflux-node-b-'));
    nodeB = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: process.env.OPSFLUX_TEST_DATABASE_URL, PORT: String(port), HOST: '127.0.0.1', LOG_DIR: logDir, OPSFLUX_MODULES_DIR: MODULES, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nodeB.once('exit', () => rmSync(logDir, { recursive: true, force: true }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node B did not start:\n${logs}`)), 60_000);
      const watch = (chunk: Buffer) => {
        logs += chunk.toString();
        if (logs.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      nodeB!.stdout!.on('data', watch);
      nodeB!.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      nodeB!.once('exit', (code) => reject(new Error(`node B exited (${code}):\n${logs}`)));
    });
    baseB = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await api?.post('/api/v1/modules/delta/uninstall', { keepData: false });
    nodeB?.kill('SIGTERM');
    await nodeA?.close();
  });

  it('applies an install, a deactivation and a reactivation on the other node without a restart', async () => {
    expect((await onB('/api/v1/data/delta_item')).status).toBe(404);
    expect((await api.post('/api/v1/modules/delta/install')).json().state).toBe('active');
    // le code du module est chargé par le second nœud : son crochet s'applique là-bas aussi
    expect((await eventually('/api/v1/data/delta_item', 200)).status).toBe(200);
    const created = await onB('/api/v1/data/delta_item', { method: 'POST', body: JSON.stringify({ name: 'from b' }) });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { shout: string }).shout).toBe('FROM B');
    expect((await api.post('/api/v1/modules/delta/deactivate')).json().state).toBe('inactive');
    expect((await eventually('/api/v1/data/delta_item', 404)).status).toBe(404);
    expect((await api.post('/api/v1/modules/delta/activate')).json().state).toBe('active');
    const back = await eventually('/api/v1/data/delta_item', 200);
    expect(((await back.json()) as { data: { name: string }[] }).data.map((d) => d.name)).toEqual(['from b']);
  });
});
