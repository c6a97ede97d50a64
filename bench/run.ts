// `npm run bench` : OpsFlux contre une référence Fastify + SQL écrit à la main, sur le serveur PostgreSQL puis sur PGlite.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startBaseline } from './baseline.js';
import { prepare } from './load.js';
import { measure, SCENARIOS, type Measure, type Scenario } from './scenarios.js';
import { benchFrontend, FRONTEND_TARGETS, type FrontendResult } from './frontend.js';
import { benchTransfer, TRANSFER_TARGETS, type TransferResult } from './transfer.js';
import { benchWebhooks, WEBHOOK_TARGET, type WebhookBenchResult } from './webhooks.js';
import { benchHookRules, HOOK_RULES_TARGET, type HookRuleBenchResult } from './hook-rules.js';
import { benchAi, reportAi, type AiBenchResult } from './ai.js';
import { benchNlQuery, reportNlQuery, type NlQueryBenchResult } from './nl-query.js';
import { benchOcr, reportOcr } from './ocr.js';
import { benchAnalytics, reportAnalytics, type AnalyticsBenchResult } from './analytics.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SECONDS = Number(process.env.BENCH_DURATION ?? 8);
/** manches alternées OpsFlux / référence : la machine est partagée, son débit dérive ; on garde la médiane de chaque côté */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgresql,pglite').split(',');
const ONLY = process.env.BENCH_SCENARIOS?.split(',');

/** Part des CPU occupée pendant une seconde avant le départ (la machine est partagée : d'autres travaux faussent les chiffres). */
async function busyBeforeStart(): Promise<number> {
  const total = () => cpus().reduce((acc, c) => {
    const all = Object.values(c.times).reduce((a, b) => a + b, 0);
    return { all: acc.all + all, idle: acc.idle + c.times.idle };
  }, { all: 0, idle: 0 });
  const a = total();
  await sleep(1000);
  const b = total();
  return Math.round((1 - (b.idle - a.idle) / Math.max(1, b.all - a.all)) * 100) / 100;
}
const busyAtStart = await busyBeforeStart();
if (busyAtStart > 0.25) console.warn(`machine already ${Math.round(busyAtStart * 100)} % busy before the run: figures will be low and noisy`);

/** Manche médiane (par débit), erreurs cumulées. */
function median(rounds: Measure[]): Measure {
  const sorted = [...rounds].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return { ...middle, requests: rounds.reduce((n, m) => n + m.requests, 0), errors: rounds.reduce((n, m) => n + m.errors, 0) };
}

interface Row {
  backend: string;
  scenario: Scenario;
  opsflux: Measure;
  baseline: Measure;
  ratio: number;
}

/** Objectifs du ticket, sur le serveur PostgreSQL : part du débit de la référence, p99 de la liste. */
// `access` : contrôles d'accès d'un rôle ordinaire ≤ 10 % du débit de la même liste en super-administrateur
const TARGETS = { ratio: { list: 0.6, get: 0.6, create: 0.5, access: 0.9 } as Partial<Record<Scenario, number>>, listP99Ms: 50 };

/** Réglages du serveur qui pèsent sur les chiffres (enregistrés avec les résultats). */
const SETTINGS = ['server_version', 'synchronous_commit', 'fsync', 'autovacuum', 'shared_buffers', 'max_wal_size', 'max_connections'];

async function serverDatabase(): Promise<{ url: string; settings: Record<string, string>; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch {
    console.warn(`PostgreSQL server unreachable at ${adminUrl}: server figures skipped`);
    return null;
  }
  const { rows } = await admin.query<{ name: string; setting: string }>('SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name', [SETTINGS]);
  const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  const name = `opsflux_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    settings,
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
    for (const scenario of SCENARIOS.filter((s) => !ONLY || ONLY.includes(s))) {
      const ours: Measure[] = [];
      const theirs: Measure[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const warm = round === 0;
        const admin = { base: fixture.url, token: fixture.token, ids };
        if (scenario === 'access') {
          ours.push(await measure('api', 'access', { ...admin, token: fixture.roleToken }, SECONDS, CONNECTIONS, warm));
          theirs.push(await measure('api', 'list', admin, SECONDS, CONNECTIONS, warm));
        } else {
          ours.push(await measure('api', scenario, admin, SECONDS, CONNECTIONS, warm));
          theirs.push(await measure('baseline', scenario, { base: baseline.url, ids }, SECONDS, CONNECTIONS, warm));
        }
      }
      const opsflux = median(ours);
      const reference = median(theirs);
      for (const [who, m] of [['opsflux', opsflux], ['baseline', reference]] as const) {
        if (m.errors > m.requests * 0.01) throw new Error(`[${backend}] ${scenario} (${who}): ${m.errors} failed requests of ${m.requests}`);
      }
      const row = { backend, scenario, opsflux, baseline: reference, ratio: Math.round((opsflux.rps / reference.rps) * 100) / 100 };
      rows.push(row);
      console.log(`[${backend}] ${scenario.padEnd(6)} ${String(opsflux.rps).padStart(6)} req/s (baseline ${reference.rps}, ratio ${row.ratio})`);
    }
    if (!ONLY || ONLY.includes('hooks')) hookRules.push(await benchHookRules(backend, fixture, SECONDS, CONNECTIONS, ROUNDS));
  } finally {
    await baseline.close();
    await fixture.app.close();
    await fixture.platform.close();
  }
  return rows;
}

/** import/export : tailles de fichier (BENCH_TRANSFER_ROWS, « 0 » pour s'en passer) ; Excel jusqu'à BENCH_XLSX_MAX lignes */
/** interface : lignes de l'entité listée (BENCH_FRONTEND_ROWS) */
const FRONTEND_ROWS = Number(process.env.BENCH_FRONTEND_ROWS ?? 10_000);
const TRANSFER_ROWS = (process.env.BENCH_TRANSFER_ROWS ?? '100000,1000000').split(',').map(Number).filter((n) => n > 0);
const XLSX_MAX = Number(process.env.BENCH_XLSX_MAX ?? 1_000_000);
/** webhooks : événements envoyés (BENCH_WEBHOOK_EVENTS) et concurrence de la file des travaux (BENCH_WEBHOOK_CONCURRENCY) */
const WEBHOOK_EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5000);
const WEBHOOK_CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 64);
/** assistant : clients chargés (BENCH_AI_CUSTOMERS) et questions mesurées par outil (BENCH_AI_QUESTIONS) */
const AI_OPTIONS = { customers: Number(process.env.BENCH_AI_CUSTOMERS ?? 10_000), questions: Number(process.env.BENCH_AI_QUESTIONS ?? 30) };
/** analyse : lignes de faits (BENCH_ANALYTICS_ROWS) et requêtes mesurées (BENCH_ANALYTICS_RUNS) */
const ANALYTICS_ROWS = Number(process.env.BENCH_ANALYTICS_ROWS ?? 1_000_000);
const ANALYTICS_RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 20);

const results: Row[] = [];

/** Webhooks : manche médiane (par débit) de ROUNDS manches indépendantes ; la machine partagée dérive d'une manche à l'autre. */
async function webhookRounds(backend: string, url: string): Promise<WebhookBenchResult> {
  const rounds: WebhookBenchResult[] = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await benchWebhooks(backend, url, WEBHOOK_EVENTS, WEBHOOK_CONCURRENCY, round));
  const sorted = [...rounds].sort((a, b) => a.deliveriesPerSecond - b.deliveriesPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)]!, rounds: rounds.map((r) => r.deliveriesPerSecond) };
}
const transfer: TransferResult[] = [];
const frontend: FrontendResult[] = [];
const webhooks: WebhookBenchResult[] = [];
const hookRules: HookRuleBenchResult[] = [];
const ai: AiBenchResult[] = [];
const nlQuery: NlQueryBenchResult[] = [];
const analytics: AnalyticsBenchResult[] = [];
/** scénarios du banc HTTP (les autres ont leur propre banc) */
const httpScenarios = !ONLY || ONLY.some((s) => s !== 'transfer' && s !== 'frontend' && s !== 'webhooks' && s !== 'ai' && s !== 'ocr' && s !== 'nl-query' && s !== 'analytics');
const wants = (scenario: string) => !ONLY || ONLY.includes(scenario);
const server = BACKENDS.includes('postgresql') ? await serverDatabase() : null;
if (server) {
  try {
    if (httpScenarios) results.push(...(await bench('postgresql', server.url)));
    if (wants('frontend')) frontend.push(await benchFrontend(server.url, FRONTEND_ROWS));
    if (wants('webhooks')) webhooks.push(await webhookRounds('postgresql', server.url));
    if (wants('ai')) ai.push(await benchAi('postgresql', server.url, AI_OPTIONS));
    if (wants('nl-query')) nlQuery.push(await benchNlQuery('postgresql', server.url, SECONDS));
    if (wants('analytics')) analytics.push(await benchAnalytics('postgresql', server.url, ANALYTICS_ROWS, ANALYTICS_RUNS));
    if ((!ONLY || ONLY.includes('transfer')) && TRANSFER_ROWS.length) {
      for (const rows of TRANSFER_ROWS) transfer.push(...(await benchTransfer(server.url, [rows], rows <= XLSX_MAX)));
    }
  } finally {
    await server.drop();
  }
}
if (BACKENDS.includes('pglite') && httpScenarios) results.push(...(await bench('pglite', undefined)));
if (!server && wants('frontend')) frontend.push(await benchFrontend(undefined, FRONTEND_ROWS));
if (BACKENDS.includes('pglite') && wants('webhooks')) webhooks.push(await benchWebhooks('pglite', undefined, WEBHOOK_EVENTS, WEBHOOK_CONCURRENCY));
if (BACKENDS.includes('pglite') && wants('ai')) ai.push(await benchAi('pglite', undefined, AI_OPTIONS));
if (BACKENDS.includes('pglite') && wants('nl-query')) nlQuery.push(await benchNlQuery('pglite', undefined, SECONDS));
if (BACKENDS.includes('pglite') && wants('analytics')) analytics.push(await benchAnalytics('pglite', undefined, ANALYTICS_ROWS, ANALYTICS_RUNS));

const header = ['backend', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'baseline req/s', 'baseline p50', 'baseline p99', 'ratio'];
const lines = results.map((r) => [r.backend, r.scenario, r.opsflux.rps, r.opsflux.p50, r.opsflux.p99, r.opsflux.errors,
  r.baseline.rps, r.baseline.p50, r.baseline.p99, r.ratio].map(String));
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(format).join('\n')}`);

// objectifs : sur le serveur seulement (PGlite, une seule connexion, est mesuré pour information)
const checks = results.filter((r) => r.backend === 'postgresql').flatMap((r) => {
  const out: Array<{ check: string; value: number; target: string; ok: boolean }> = [];
  const min = TARGETS.ratio[r.scenario];
  if (min !== undefined) out.push({ check: `${r.scenario} ratio`, value: r.ratio, target: `>= ${min}`, ok: r.ratio >= min });
  if (r.scenario === 'list') out.push({ check: 'list p99 ms', value: r.opsflux.p99, target: `< ${TARGETS.listP99Ms}`, ok: r.opsflux.p99 < TARGETS.listP99Ms });
  return out;
});
if (transfer.length) {
  console.log('\nimport / export (postgresql, rows per second, peak RSS of the server process during the phase)');
  console.log(`  ${'rows'.padStart(9)}  ${'CSV import'.padStart(16)}  ${'Excel import'.padStart(16)}  ${'CSV export'.padStart(16)}  audit chained after`);
  const cellOf = (m: { rowsPerSecond: number; peakRssMb: number } | null) => (m ? `${m.rowsPerSecond}/s ${m.peakRssMb} MB` : '—').padStart(16);
  for (const t of transfer) console.log(`  ${String(t.rows).padStart(9)}  ${cellOf(t.csvImport)}  ${cellOf(t.xlsxImport)}  ${cellOf(t.csvExport)}  ${t.auditChain.rowsPerSecond}/s`);
  const largest = transfer.at(-1)!;
  const transferChecks = [
    { check: 'CSV import rows/s', value: largest.csvImport.rowsPerSecond, target: TRANSFER_TARGETS.csvImport },
    ...(largest.xlsxImport ? [{ check: 'Excel import rows/s', value: largest.xlsxImport.rowsPerSecond, target: TRANSFER_TARGETS.xlsxImport }] : []),
    { check: 'CSV export rows/s', value: largest.csvExport.rowsPerSecond, target: TRANSFER_TARGETS.csvExport },
  ];
  checks.push(...transferChecks.map((c) => ({ check: `${c.check} (${largest.rows})`, value: c.value, target: `>= ${c.target}`, ok: c.value >= c.target })));
}
if (hookRules.length) {
  console.log('\nautomation rules (creations through the API, without rules then with five active rules on the entity)');
  for (const h of hookRules) console.log(`  ${h.backend.padEnd(10)} ${h.none.rps} req/s p50 ${h.none.p50} ms  →  ${h.fiveRules.rps} req/s p50 ${h.fiveRules.p50} ms  (+${h.addedLatencyPct} % latency, throughput ×${h.throughputRatio})`);
  for (const h of hookRules.filter((r) => r.backend === 'postgresql')) {
    checks.push({ check: 'latency added by 5 rules %', value: h.addedLatencyPct, target: `<= ${HOOK_RULES_TARGET.addedLatencyPct}`, ok: h.addedLatencyPct <= HOOK_RULES_TARGET.addedLatencyPct });
  }
}
if (webhooks.length) {
  console.log('\nwebhooks (events through the outbox to a local receiver verifying signatures, first write to last delivery)');
  for (const w of webhooks) console.log(`  ${w.backend.padEnd(10)} ${String(w.deliveriesPerSecond).padStart(6)} deliveries/s  ${w.events} events in ${w.seconds} s (writes ${w.writesSeconds} s), concurrency ${w.concurrency}, ${w.invalidSignatures} bad signatures${w.rounds ? `, rounds ${w.rounds.join(" / ")}` : ""}`);
  for (const w of webhooks.filter((r) => r.backend === 'postgresql')) {
    checks.push({ check: 'webhook deliveries/s', value: w.deliveriesPerSecond, target: `>= ${WEBHOOK_TARGET.deliveriesPerSecond}`, ok: w.deliveriesPerSecond >= WEBHOOK_TARGET.deliveriesPerSecond && w.invalidSignatures === 0 });
  }
}
for (const f of frontend) {
  console.log(`\nweb interface (${f.backend}, ${f.rows.toLocaleString('en')} rows, headless chromium, median of ${f.firstRender.runs})`);
  console.log(`  initial JavaScript  ${f.initialJs.gzipKb} kB gzip (${f.initialJs.rawKb} kB, ${f.initialJs.files} files)`);
  console.log(`  list page JavaScript ${f.listPageJs.gzipKb} kB gzip (${f.listPageJs.rawKb} kB, ${f.listPageJs.files} files)`);
  console.log(`  first render of the list  cold ${f.firstRender.coldMs} ms, warm ${f.firstRender.warmMs} ms`);
  console.log(`  dashboard of 8 widgets  cold ${f.dashboard.coldMs} ms, warm ${f.dashboard.warmMs} ms`);
  checks.push({ check: 'list first render ms (cold)', value: f.firstRender.coldMs, target: `< ${FRONTEND_TARGETS.firstRenderMs}`, ok: f.firstRender.coldMs < FRONTEND_TARGETS.firstRenderMs });
  checks.push({ check: 'dashboard render ms (cold)', value: f.dashboard.coldMs, target: `< ${FRONTEND_TARGETS.dashboardMs}`, ok: f.dashboard.coldMs < FRONTEND_TARGETS.dashboardMs });
}
for (const a of ai) console.log(reportAi(a).join('\n'));
for (const n of nlQuery) console.log(reportNlQuery(n).join('\n'));
if (analytics.length) console.log(`\n${reportAnalytics(analytics)}`);
// lecture de documents : le moteur seul, sans base (pages d'OCR par seconde)
const ocr = wants('ocr') ? await benchOcr() : null;
if (ocr) console.log(reportOcr(ocr).join('\n'));
if (checks.length) {
  console.log(`\ntargets (postgresql, ${CONNECTIONS} connections)`);
  for (const c of checks) console.log(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.check.padEnd(13)} ${String(c.value).padStart(6)}  (target ${c.target})`);
}

await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/latest.json', `${JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, cpuBusyBeforeStart: busyAtStart },
  settings: { rows: ROWS, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: Math.min(2, SECONDS), connections: CONNECTIONS, dispatch: process.env.BENCH_DISPATCH !== '0' },
  postgresql: server?.settings ?? null,
  results,
  transfer,
  frontend,
  webhooks,
  hookRules,
  ai,
  ocr,
  nlQuery,
  analytics,
  targets: checks,
}, null, 2)}\n`);
console.log('\nwritten bench/results/latest.json');
process.exit(0);
