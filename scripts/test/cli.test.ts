// CLI lancée comme un utilisateur le ferait (`node scripts/bin/opsflux.js …`) sur une base embarquée temporaire.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../backend/src/db/data-dir-lock.js';
import { openDatabase } from '../../backend/src/db/database.js';
import { ownerWork } from '../../backend/src/db/role-scope.js';
import { readArchive } from '../../backend/src/modules/archive.js';
import { tamperAudit } from '../../backend/test/support/platform.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/opsflux.js', import.meta.url));
/** dossier migré une fois pour le fichier ; chaque test travaille sur sa propre copie */
let template: string;
const dirs: string[] = [];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const MODULES = fileURLToPath(new URL('../../backend/test/fixtures/modules/', import.meta.url));
const WORK = fileURLToPath(new URL('../../.tmp/', import.meta.url));
const REPOSITORY_MODULES = fileURLToPath(new URL('../../modules/', import.meta.url));

async function opsflux(...args: string[]): Promise<Result> {
  return opsfluxWith({ OPSFLUX_MODULES_DIR: MODULES }, ...args);
}

async function opsfluxWith(extra: Record<string, string>, ...args: string[]): Promise<Result> {
  // ni serveur ni dossier hérités de l'environnement du développeur
  const env = { ...process.env, DATABASE_URL: '', DATA_DIR: '', ...extra };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Une seule ligne « opsflux: … » sur stderr. */
const oneLine = (res: Result) => {
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^opsflux: \S/);
  return lines[0]!;
};

/** Dossier de données à ce test seul : vide, ou copie du dossier migré (aucun test ne voit ce qu'un autre a écrit). */
async function dataDir(state: 'empty' | 'migrated' = 'migrated'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opsflux-cli-'));
  dirs.push(dir);
  if (state === 'migrated') await cp(template, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  template = await mkdtemp(join(tmpdir(), 'opsflux-cli-template-'));
  dirs.push(template);
  expect(await opsflux('migrate', '--data-dir', template)).toMatchObject({ code: 0, stderr: '' });
}, 180_000);
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

// chaque commande ouvre la base embarquée : sur une machine chargée (CI à deux cœurs), des dizaines de secondes par test
describe('opsflux CLI', { timeout: 180_000 }, () => {
  it('migrates an empty data directory, in text then in JSON', async () => {
    const dir = await dataDir('empty');
    const text = await opsflux('migrate', '--data-dir', dir);
    expect(text).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/up to date[^]*core 1 core-schema/) });
    const json = await opsflux('migrate', '--json', '--data-dir', dir);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout).migrations).toContainEqual(expect.objectContaining({ scope: 'core', version: 1, name: 'core-schema' }));
  });

  it('creates an administrator, then verifies the audit trail in JSON', async () => {
    const dir = await dataDir();
    const created = await opsflux('admin', 'create', '--email', 'Ops@CLI.test', '--password', 'long-enough-password', '--json', '--data-dir', dir);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'ops@cli.test', tenant: 'default' });
    const res = await opsflux('audit', 'verify', '--json', '--data-dir', dir);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(res.stdout);
    expect(report.ok).toBe(true);
    expect(report.tenants.find((t: { slug: string }) => t.slug === 'default').rows).toBeGreaterThan(0);
  });

  it('creates a tenant once', async () => {
    const dir = await dataDir();
    const res = await opsflux('tenant', 'create', 'acme', '--data-dir', dir);
    expect(res).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^tenant acme created/) });
    const again = await opsflux('tenant', 'create', 'acme', '--data-dir', dir);
    expect(again.code).toBe(1);
    expect(oneLine(again)).toBe('opsflux: tenant "acme" already exists');
  });

  it('fails with one line and exit 1 on a refused password', async () => {
    const dir = await dataDir();
    const res = await opsflux('admin', 'create', '--email', 'x@cli.test', '--password', 'short', '--data-dir', dir);
    expect(res.code).toBe(1);
    expect(oneLine(res)).toBe('opsflux: password: At least 10 characters.');
  });

  it('reads and writes settings for the platform and for a tenant, validated and audited', async () => {
    const dir = await dataDir();
    // les réglages de la plateforme vivent dans le tenant « default », que crée le premier administrateur
    expect(await opsflux('admin', 'create', '--email', 'ops@cli.test', '--password', 'long-enough-password', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    expect(await opsflux('tenant', 'create', 'acme', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    expect((await opsflux('config', 'get', 'security.lockout.threshold', '--data-dir', dir)).stdout.trim()).toBe('10');
    expect(await opsflux('config', 'set', 'security.lockout.threshold', '20', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    expect(await opsflux('config', 'set', 'security.lockout.threshold', '5', '--tenant', 'acme', '--data-dir', dir)).toMatchObject({ code: 0 });
    expect((await opsflux('config', 'get', 'security.lockout.threshold', '--data-dir', dir)).stdout.trim()).toBe('20');
    expect((await opsflux('config', 'get', 'security.lockout.threshold', '--tenant', 'acme', '--data-dir', dir)).stdout.trim()).toBe('5');
    const list = await opsflux('config', 'list', '--json', '--tenant', 'acme', '--data-dir', dir);
    expect(JSON.parse(list.stdout)).toContainEqual({ key: 'security.lockout.threshold', scope: 'tenant', value: 5 });
    const refused = await opsflux('config', 'set', 'security.lockout.threshold', '1000', '--data-dir', dir);
    expect(refused.code).toBe(1);
    expect(oneLine(refused)).toMatch(/^opsflux: value: Invalid value\. must be <= 100$/);
    expect(oneLine(await opsflux('config', 'get', 'no.such', '--data-dir', dir))).toBe('opsflux: unknown setting "no.such"');
    expect((await opsflux('audit', 'verify', '--data-dir', dir)).code).toBe(0);
  });

  it('imports a file with a report of refused rows, then exports as JSON and Excel', async () => {
    const dir = await dataDir();
    const file = join(dir, 'categories.csv');
    await writeFile(file, 'eid;Nom;Description\nCLI-1;Outils;Tout pour bricoler\nCLI-2;;sans nom\n');
    const refused = await opsflux('import', 'category', file, '--data-dir', dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('failed (nothing written): 2 rows read, 1 created, 0 updated, 1 skipped, 1 errors');
    expect(refused.stdout).toContain('row 3 name: This field is required.');
    const skipped = await opsflux('import', 'category', file, '--on-error', 'skip', '--json', '--data-dir', dir);
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ status: 'succeeded', written: true, counts: { created: 1, skipped: 1 }, errors: [{ row: 3, field: 'name' }] });
    // le fichier de l'utilisateur n'est pas supprimé après l'import
    expect(await readFile(file, 'utf8')).toContain('CLI-1');
    const json = await opsflux('export', 'category', '--format', 'json', '--filter', '{"eid":{"like":"CLI-%"}}', '--fields', 'eid,name', '--data-dir', dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ eid: 'CLI-1', name: 'Outils' })]);
    const out = join(dir, 'categories.xlsx');
    expect((await opsflux('export', 'category', '--format', 'xlsx', '--out', out, '--data-dir', dir)).code).toBe(0);
    expect((await readFile(out)).subarray(0, 2).toString()).toBe('PK');
    expect(oneLine(await opsflux('export', 'category', '--filter', '{"nope":1}', '--data-dir', dir))).toContain('nope');
    expect((await opsflux('import', 'nothing', file, '--data-dir', dir)).code).toBe(2);
  });

  it('exits 2 with one line on usage errors', async () => {
    const cases = [['frobnicate'], ['migrate', '--bogus'], ['migrate', 'extra'], ['tenant', 'create'], ['migrate', '--email', 'a@b.c'], []];
    const results = await Promise.all(cases.map((args) => opsflux(...args)));
    for (const res of results) {
      expect(res.code).toBe(2);
      oneLine(res);
    }
    expect(results[0]!.stderr).toContain('unknown command "frobnicate"');
    const help = await opsflux('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('audit verify');
  });

  it('reports a tampered audit trail with exit 1', async () => {
    const dir = await dataDir();
    // un journal intact d'abord : la création de l'administrateur l'écrit, et il se vérifie
    expect(await opsflux('admin', 'create', '--email', 'ops@cli.test', '--password', 'long-enough-password', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    expect(await opsflux('audit', 'verify', '--tenant', 'default', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    // altération en propriétaire, directement dans la base embarquée (la CLI n'est pas lancée pendant ce temps)
    const database = await openDatabase({ dataDir: dir });
    try {
      await tamperAudit(database, sql`UPDATE audit_log SET action = 'forged' WHERE seq = 1`);
    } finally {
      await database.close();
    }
    const res = await opsflux('audit', 'verify', '--tenant', 'default', '--data-dir', dir);
    // objet entier : en cas d'échec, stdout et stderr apparaissent dans le diff
    expect(res).toMatchObject({ code: 1, stderr: '', stdout: expect.stringMatching(/row 1: modified[^]*TAMPERED/) });
  });

  // six commandes de suite : plus de temps que les autres
  it('moves the keys out of the database: rotate in the database, rotate into a key file, retire, then start in production', { timeout: 360_000 }, async () => {
    const dir = await dataDir();
    const keyDir = await mkdtemp(join(tmpdir(), 'opsflux-cli-keys-'));
    dirs.push(keyDir);
    const keyFile = join(keyDir, 'keys.json');
    const withFile = { OPSFLUX_MODULES_DIR: MODULES, OPSFLUX_KEY_FILE: keyFile };
    expect(await opsflux('tenant', 'create', 'default', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    expect(await opsflux('config', 'set', 'mail.smtp.password', '"smtp-password"', '--data-dir', dir)).toMatchObject({ code: 0, stderr: '' });
    // sans fichier de clés (développement) : clés neuves dans la base, le secret de plateforme re-scellé
    const inDatabase = await opsflux('secrets', 'rotate', '--data-dir', dir);
    expect(inDatabase).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^encryption: new current key [0-9a-f]{16} \(database\)$/m) });
    expect(inDatabase.stdout).toMatch(/^platform: 1 secret re-sealed \(settings 1\)$/m);
    // fichier de clés : créé avec les clés de la base, puis une clé neuve par sorte
    const toFile = await opsfluxWith(withFile, 'secrets', 'rotate', '--json', '--data-dir', dir);
    expect(toFile).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(toFile.stdout);
    expect(report.keys.map((k: { origin: string; created: boolean }) => [k.origin, k.created])).toEqual([['file', true], ['file', true], ['file', true]]);
    expect(report.platform.total).toEqual({ stale: 1, unreadable: 0, databaseOnly: 0 });
    const file = JSON.parse(await readFile(keyFile, 'utf8'));
    expect(file.keys.encryption.map((k: { id: string }) => k.id)[0]).toBe(report.keys[0].keyId);
    expect(file.keys.encryption).toHaveLength(3);
    // retrait : anciennes clés hors du fichier, clés de la base supprimées
    const retired = await opsfluxWith(withFile, 'secrets', 'retire', '--data-dir', dir);
    expect(retired).toMatchObject({ code: 0, stderr: '' });
    expect(retired.stdout).toMatch(/^retired keys: encryption 2, jwt 2, cursor 2 \(key file .*keys\.json\)$/m);
    expect(retired.stdout).toMatch(/^deleted 6 keys from the database$/m);
    // production : démarre avec le fichier seul ; l'écriture ouvre l'ancienne valeur (pour l'audit) sous la nouvelle clé
    const production = await opsfluxWith({ ...withFile, NODE_ENV: 'production' }, 'config', 'set', 'mail.smtp.password', '"other-password"', '--data-dir', dir);
    expect(production).toMatchObject({ code: 0, stderr: '' });
  });

  it('refuses a data directory held by a running server', async () => {
    const dir = await dataDir();
    const lock = await acquireDataDirLock(dir);
    try {
      const res = await opsflux('migrate', '--data-dir', dir);
      expect(res.code).toBe(1);
      expect(oneLine(res)).toMatch(/in use by process \d+: stop the server or use --database-url$/);
    } finally {
      await lock.release();
    }
  });
});

describe('opsflux module', { timeout: 180_000 }, () => {
  let data: string;
  let work: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'opsflux-cli-modules-'));
    await mkdir(WORK, { recursive: true });
    work = await mkdtemp(join(WORK, 'cli-'));
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('installs a module with its dependencies on a fresh database, then refuses what would break it', async () => {
    const list = await opsflux('module', 'list', '--json', '--data-dir', data);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).data).toContainEqual(expect.objectContaining({ name: 'alpha', state: 'available' }));
    const installed = await opsflux('module', 'install', 'beta', '--data-dir', data);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    expect(installed.stdout.trim().split('\n')).toEqual(['alpha 1.0.0: available → active', 'beta 1.0.0: available → active']);
    const refused = await opsflux('module', 'deactivate', 'alpha', '--data-dir', data);
    expect(refused.code).toBe(1);
    expect(oneLine(refused)).toBe('opsflux: beta depends on alpha and is active: deactivate it first');
    expect((await opsflux('module', 'deactivate', 'beta', '--data-dir', data)).stdout.trim()).toBe('beta 1.0.0: active → inactive');
    expect((await opsflux('module', 'uninstall', 'beta', '--drop-data', '--data-dir', data)).stdout.trim()).toBe('beta 1.0.0: inactive → available');
    expect(oneLine(await opsflux('module', 'install', 'cyc_a', '--data-dir', data))).toBe('opsflux: dependency cycle: cyc_a → cyc_b → cyc_a');
    expect(oneLine(await opsflux('module', 'install', 'nosuch', '--data-dir', data))).toBe('opsflux: Unknown module "nosuch"');
    expect((await opsflux('audit', 'verify', '--data-dir', data)).code).toBe(0);
  });

  it('installs the sales module of the repository on a fresh database, crm and inventory first', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'opsflux-cli-sales-'));
    try {
      const shipped = { OPSFLUX_MODULES_DIR: REPOSITORY_MODULES };
      const res = await opsfluxWith(shipped, 'module', 'install', 'sales', '--json', '--data-dir', fresh);
      expect(res).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(res.stdout)).toMatchObject({ name: 'sales', state: 'active', dependencies: { crm: '^1.0.0', inventory: '^1.0.0' } });
      const database = await openDatabase({ dataDir: fresh });
      try {
        const { rows } = await ownerWork(() => sql<{ name: string }>`SELECT changes->'name'->>'to' AS name FROM audit_log WHERE action = 'module.install' ORDER BY id`.execute(database.db));
        expect(rows.map((r) => r.name)).toEqual(['crm', 'inventory', 'sales']);
      } finally {
        await database.close();
      }
      const refused = await opsfluxWith(shipped, 'module', 'deactivate', 'inventory', '--data-dir', fresh);
      expect(oneLine(refused)).toBe('opsflux: sales depends on inventory and is active: deactivate it first');
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('scaffolds a module that passes its own tests, and packs it', async () => {
    expect((await opsflux('module', 'new', 'Bad-Name', '--dir', work)).code).toBe(2);
    const created = await opsflux('module', 'new', 'cli_demo', '--dir', work);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const dir = join(work, 'cli_demo');
    expect(oneLine(await opsflux('module', 'new', 'cli_demo', '--dir', work))).toMatch(/already exists$/);
    // les tests générés, lancés comme l'auteur le ferait, dans le dossier du module
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
    const own = await run(process.execPath, [vitest, 'run'], { cwd: dir, env: { ...process.env, OPSFLUX_TEST_DATABASE_URL: '' }, timeout: 120_000 });
    expect(own.stdout).toMatch(/2 passed/);
    const out = join(work, 'cli_demo.tgz');
    const packed = await opsflux('module', 'pack', dir, '--out', out, '--json');
    expect(packed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(packed.stdout)).toMatchObject({ file: out, name: 'cli_demo', version: '0.1.0' });
    const files = await readArchive(await readFile(out));
    expect([...files.keys()].sort()).toEqual(['README.md', 'dist/backend.mjs', 'i18n/en.json', 'i18n/fr.json', 'metadata.json', 'migrations/001-init.sql']);
    expect(files.get('dist/backend.mjs')!.toString()).not.toContain('@opsflux/sdk');
  });
});
