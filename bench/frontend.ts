// Banc de l'interface (appelé par `npm run bench`) : poids gzip du JavaScript initial (page d'entrée et préchargements)
// et temps jusqu'au premier rendu de la liste d'une entité de 10 000 lignes dans Chromium sans tête, à froid (cache
// vide) et à chaud (rechargement), puis d'un tableau de bord de 8 widgets sur la même entité, médianes de plusieurs
// passages. Le serveur est le vrai, sur un port local.
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { Platform } from '../backend/src/core/platform.js';
import { buildApp } from '../backend/src/http/app.js';
import { frontendDir } from '../backend/src/http/routes/frontend.js';
import { createUser } from '../backend/src/iam/bootstrap.js';
import { buildFrontend } from '../scripts/src/build-frontend.ts';
import { BENCH_FIELDS, writeCsv } from './transfer-files.js';

export interface FrontendResult {
  backend: string;
  rows: number;
  /** JavaScript chargé avant le premier rendu : script d'entrée et modules préchargés */
  initialJs: { files: number; rawKb: number; gzipKb: number };
  /** JavaScript chargé jusqu'au premier rendu de la liste (routes, composants, textes de UI5) */
  listPageJs: { files: number; rawKb: number; gzipKb: number };
  firstRender: { coldMs: number; warmMs: number; runs: number };
  /** tableau de bord de 8 widgets sur la même entité : jusqu'au rendu des huit */
  dashboard: { coldMs: number; warmMs: number; runs: number };
}

export const FRONTEND_TARGETS = { firstRenderMs: 1500, dashboardMs: 2000 };
const RUNS = Number(process.env.BENCH_FRONTEND_RUNS ?? 5);
const ROW = '[data-component-name="AnalyticalTableBodyScrollableContainer"] [role="row"]';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** un widget rendu : graphique tracé, chiffre clé ou tableau */
const RENDERED = '[data-widget] .recharts-surface, [data-widget] [data-kpi-value], [data-widget] [data-widget-table]';
const widget = (id: string, type: string, x: number, y: number, query: Record<string, unknown>) => ({ id, type, x, y, w: 3, h: 4, query: { entity: 'bench_item', ...query } });
/** huit widgets : chiffres clés, colonnes, barres, courbe par mois, secteurs, anneau, tableau */
const DASHBOARD = [
  widget('count', 'kpi', 0, 0, { measures: [{ fn: 'count' }] }),
  widget('qty', 'kpi', 3, 0, { measures: [{ fn: 'sum', field: 'qty' }] }),
  widget('by-category', 'column', 6, 0, { measures: [{ fn: 'sum', field: 'qty' }], dimensions: [{ field: 'category' }] }),
  widget('price', 'bar', 9, 0, { measures: [{ fn: 'avg', field: 'price' }], dimensions: [{ field: 'category' }] }),
  widget('due', 'line', 0, 4, { measures: [{ fn: 'count' }], dimensions: [{ field: 'dueOn', bucket: 'month' }] }),
  widget('active', 'pie', 3, 4, { measures: [{ fn: 'count' }], dimensions: [{ field: 'active' }] }),
  widget('score', 'donut', 6, 4, { measures: [{ fn: 'count' }], dimensions: [{ field: 'score' }], top: 8, others: true }),
  widget('table', 'table', 9, 4, { measures: [{ fn: 'sum', field: 'price' }, { fn: 'countDistinct', field: 'code' }], dimensions: [{ field: 'category' }] }),
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Tailles brute et gzip d'une liste de fichiers du dossier compilé. */
async function weigh(files: string[]): Promise<{ files: number; rawKb: number; gzipKb: number }> {
  let raw = 0;
  let gzip = 0;
  for (const file of new Set(files)) {
    const content = await readFile(join(frontendDir(), file));
    raw += content.length;
    gzip += gzipSync(content, { level: 6 }).length;
  }
  return { files: new Set(files).size, rawKb: kb(raw), gzipKb: kb(gzip) };
}

async function initialFiles(): Promise<string[]> {
  const html = await readFile(join(frontendDir(), 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script type="module"[^>]*src="\.\/([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\.\/([^"]+)"/g)].map((m) => m[1]!);
  return [...scripts, ...preloads];
}

export async function benchFrontend(databaseUrl: string | undefined, rows = 10_000): Promise<FrontendResult> {
  await buildFrontend({ quiet: true });
  const platform = await Platform.open({ url: databaseUrl, poolSize: 4, dispatch: false });
  const app = await buildApp(platform);
  const dir = await mkdtemp(join(tmpdir(), 'opsflux-frontend-bench-'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const tenant = `front-${randomBytes(4).toString('hex')}`;
    const credentials = { email: 'bench@opsflux.test', password: 'benchmark-password', tenant };
    await createUser(platform, { ...credentials, superAdmin: true });
    const token = ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) })).json()) as { accessToken: string }).accessToken;
    const auth = { authorization: `Bearer ${token}` };
    const entity = await fetch(`${base}/api/v1/meta/entities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench_item', label: { en: 'Bench item' }, fields: BENCH_FIELDS }) });
    if (entity.status !== 201) throw new Error(`entity: ${entity.status} ${await entity.text()}`);
    const csv = join(dir, 'items.csv');
    await writeCsv(csv, rows);
    const form = new FormData();
    form.append('file', await openAsBlob(csv), 'items.csv');
    const job = (await (await fetch(`${base}/api/v1/data/bench_item/import?wait=true&mode=create`, { method: 'POST', headers: auth, body: form })).json()) as { counts: { created: number } };
    if (job.counts.created !== rows) throw new Error(`import: ${JSON.stringify(job)}`);
    await platform.chainer.drain();

    const cold: number[] = [];
    const warm: number[] = [];
    let loaded: string[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 900 } });
      // session par cookies comme dans le navigateur (la connexion elle-même n'est pas chronométrée)
      const login = await context.request.post(`${base}/api/v1/auth/login`, { data: { ...credentials, cookie: true } });
      if (!login.ok()) throw new Error(`browser login: ${login.status()}`);
      const page = await context.newPage();
      const firstRow = async () => {
        await page.waitForSelector(ROW, { timeout: 30_000 });
        return page.evaluate(() => performance.now());
      };
      await page.goto(`${base}/app/data/bench_item`);
      cold.push(await firstRow());
      loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')));
      await page.reload();
      warm.push(await firstRow());
      await context.close();
    }
    const board = await fetch(`${base}/api/v1/data/dashboard`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench board', widgets: DASHBOARD }) });
    if (board.status !== 201) throw new Error(`dashboard: ${board.status} ${await board.text()}`);
    const boardId = ((await board.json()) as { id: string }).id;
    const boardCold: number[] = [];
    const boardWarm: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 900 } });
      await context.request.post(`${base}/api/v1/auth/login`, { data: { ...credentials, cookie: true } });
      const page = await context.newPage();
      const allRendered = async () => {
        await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(RENDERED)}).length >= 8`, undefined, { timeout: 30_000 });
        return page.evaluate(() => performance.now());
      };
      await page.goto(`${base}/app/dashboards/${boardId}`);
      boardCold.push(await allRendered());
      await page.reload();
      boardWarm.push(await allRendered());
      await context.close();
    }
    return {
      backend: databaseUrl ? 'postgresql' : 'pglite',
      dashboard: { coldMs: Math.round(median(boardCold)), warmMs: Math.round(median(boardWarm)), runs: RUNS },
      rows,
      initialJs: await weigh(await initialFiles()),
      listPageJs: await weigh(loaded.map((path) => path.replace(/^\/app\//, ''))),
      firstRender: { coldMs: Math.round(median(cold)), warmMs: Math.round(median(warm)), runs: RUNS },
    };
  } finally {
    await browser.close();
    await app.close();
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  }
}
