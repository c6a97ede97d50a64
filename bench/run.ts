// `npm run bench` : OpsFlux contre une référence Fastify + SQL écrit à la main, sur le serveur PostgreSQL puis sur PGlite.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import pg from 'pg';
import { startBaseline } from './baseline.js';
import { prepare } from './load.js';
import { measure, SCENARIOS, type Measure, type Scenario } from './scenarios.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgresql,pglite').split(',');

interface Row {
  backend: string;
  scenario: Scenario;
  opsflux: Measure;
  baseline: Measure;
  ratio: number;
}

async function serverDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch {
    console.warn(`PostgreSQL server unreachable at ${adminUrl}: server figures skipped`);
    return null;
  }
  const name = `opsflux_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function bench(backend: string, databaseUrl: string | undefined): Promise<Row[]> {
  console.log(`\n[${backend}] loading ${ROWS.toLocaleString('en')} rows…`);
  const started = Date.now();
  const fixture = await prepare(databaseUrl, ROWS);
  console.log(`[${backend}] loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const baseline = await startBaseline(fixture, databaseUrl);
  const ids = fixture.ids.filter((_, i) => i % Math.max(1, Math.floor(ROWS / 1000)) === 0);
  const rows: Row[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const opsflux = await measure('api', scenario, { base: fixture.url, token: fixture.token, ids }, SECONDS, CONNECTIONS);
      const reference = await measure('baseline', scenario, { base: baseline.url, ids }, SECONDS, CONNECTIONS);
      for (const [who, m] of [['opsflux', opsflux], ['baseline', reference]] as const) {
        if (m.errors > m.requests * 0.01) throw new Error(`[${backend}] ${scenario} (${who}): ${m.errors} failed requests of ${m.requests}`);
      }
      const row = { backend, scenario, opsflux, baseline: reference, ratio: Math.round((opsflux.rps / reference.rps) * 100) / 100 };
      rows.push(row);
      console.log(`[${backend}] ${scenario.padEnd(6)} ${String(opsflux.rps).padStart(6)} req/s (baseline ${reference.rps}, ratio ${row.ratio})`);
    }
  } finally {
    await baseline.close();
    await fixture.app.close();
    await fixture.platform.close();
  }
  return rows;
}

const results: Row[] = [];
const server = BACKENDS.includes('postgresql') ? await serverDatabase() : null;
if (server) {
  try {
    results.push(...(await bench('postgresql', server.url)));
  } finally {
    await server.drop();
  }
}
if (BACKENDS.includes('pglite')) results.push(...(await bench('pglite', undefined)));

const header = ['backend', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'baseline p99', 'ratio'];
const lines = results.map((r) => [r.backend, r.scenario, r.opsflux.rps, r.opsflux.p50, r.opsflux.p99, r.baseline.rps, r.baseline.p99, r.ratio].map(String));
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(format).join('\n')}`);

await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/latest.json', `${JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  settings: { rows: ROWS, seconds: SECONDS, connections: CONNECTIONS },
  results,
}, null, 2)}\n`);
console.log('\nwritten bench/results/latest.json');
process.exit(0);
