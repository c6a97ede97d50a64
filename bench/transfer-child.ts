// Un banc d'import/export dans son propre processus (pour que la mémoire mesurée soit la sienne) : plateforme,
// tenant, entité de 10 champs, puis import CSV, export CSV et import Excel par l'API HTTP, chacun chronométré avec le
// pic de mémoire résidente échantillonné pendant la phase. Écrit le résultat en JSON sur la sortie standard.
import { openAsBlob } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ownerWork } from '../backend/src/db/role-scope.js';
import { Platform } from '../backend/src/core/platform.js';
import { buildApp } from '../backend/src/http/app.js';
import { createUser } from '../backend/src/iam/bootstrap.js';
import { BENCH_FIELDS } from './transfer-files.js';

const [databaseUrl, csvPath, xlsxPath, rowsText] = process.argv.slice(2) as [string, string, string, string];
const rows = Number(rowsText);

/** Pic de RSS pendant `work` (échantillon toutes les 50 ms). */
async function phase<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

const platform = await Platform.open({ url: databaseUrl === '-' ? undefined : databaseUrl, poolSize: 4, dispatch: false });
const app = await buildApp(platform);
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const slug = `transfer-${randomBytes(4).toString('hex')}`;
const password = 'benchmark-password';
await createUser(platform, { email: 'bench@opsflux.test', password, tenant: slug, superAdmin: true });
const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@opsflux.test', password, tenant: slug }) })).json() as { accessToken: string };
const auth = { authorization: `Bearer ${login.accessToken}` };
const entity = await fetch(`${base}/api/v1/meta/entities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench_item', fields: BENCH_FIELDS }) });
if (entity.status !== 201) throw new Error(`entity: ${entity.status} ${await entity.text()}`);

async function importFile(path: string, name: string) {
  const form = new FormData();
  form.append('file', await openAsBlob(path), name);
  const res = await fetch(`${base}/api/v1/data/bench_item/import?wait=true&mode=create`, { method: 'POST', headers: auth, body: form });
  const job = await res.json() as { status: string; counts: { created: number; errors: number }; message: string | null };
  if (job.status !== 'succeeded' || job.counts.created !== rows) throw new Error(`import ${name}: ${JSON.stringify(job)}`);
  return job.counts.created;
}

async function exportCsv(): Promise<number> {
  const res = await fetch(`${base}/api/v1/data/bench_item/export?format=csv`, { headers: auth });
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  return lines - 1;
}

const csvImport = await phase(() => importFile(csvPath, 'items.csv'));
// l'audit est chaîné après le commit : temps de rattrapage mesuré à part
const chain = await phase(() => platform.chainer.drain());
// comme pour les listes du banc HTTP : la table est nettoyée (VACUUM) avant la mesure, pas pendant
await ownerWork(() => sql`VACUUM (ANALYZE)`.execute(platform.db));
const csvExport = await phase(exportCsv);
if (csvExport.result !== rows) throw new Error(`export: ${csvExport.result} rows instead of ${rows}`);
// l'import Excel crée d'autres eids dans la même entité
const xlsxImport = xlsxPath === '-' ? null : await phase(() => importFile(xlsxPath, 'items.xlsx'));

const rate = (n: number, seconds: number) => Math.round(n / seconds);
process.stdout.write(`${JSON.stringify({
  rows,
  csvImport: { rowsPerSecond: rate(rows, csvImport.seconds), seconds: csvImport.seconds, peakRssMb: csvImport.peakRssMb },
  auditChain: { rowsPerSecond: rate(chain.result, chain.seconds), seconds: chain.seconds },
  csvExport: { rowsPerSecond: rate(rows, csvExport.seconds), seconds: csvExport.seconds, peakRssMb: csvExport.peakRssMb },
  xlsxImport: xlsxImport && { rowsPerSecond: rate(rows, xlsxImport.seconds), seconds: xlsxImport.seconds, peakRssMb: xlsxImport.peakRssMb },
})}\n`);
await app.close();
await platform.close();
process.exit(0);
