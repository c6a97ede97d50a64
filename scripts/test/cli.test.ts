import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../backend/src/db/data-dir-lock.js';

const run = promisify(execFile);
let dir: string;

async function opsflux(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['scripts/bin/opsflux.js', ...args], { env: { ...process.env, DATABASE_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsflux-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('opsflux CLI', () => {
  it('migrates an empty data directory', async () => {
    const res = await opsflux('migrate', '--data-dir', dir);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('core 1 core-schema');
  });

  it('creates an administrator, then verifies the audit trail, in JSON', async () => {
    expect((await opsflux('admin', 'create', '--email', 'ops@cli.test', '--password', 'long-enough-password', '--data-dir', dir)).code).toBe(0);
    const res = await opsflux('audit', 'verify', '--json', '--data-dir', dir);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.ok).toBe(true);
    expect(report.tenants[0].rows).toBeGreaterThan(0);
  });

  it('fails with one line and exit 1 on a refused password', async () => {
    const res = await opsflux('admin', 'create', '--email', 'x@cli.test', '--password', 'short', '--data-dir', dir);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual(['opsflux: password must have at least 10 characters']);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await opsflux('frobnicate')).code).toBe(2);
    expect((await opsflux('migrate', '--bogus')).code).toBe(2);
  });

  it('refuses a data directory held by a running server', async () => {
    const lock = await acquireDataDirLock(dir);
    try {
      const res = await opsflux('migrate', '--data-dir', dir);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/in use by process \d+.*stop the server or use --database-url/);
    } finally {
      await lock.release();
    }
  });
});
