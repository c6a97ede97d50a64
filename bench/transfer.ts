// Banc d'import/export (appelé par `npm run bench`) : pour chaque taille, fichiers CSV et Excel générés sur le disque,
// puis un processus par taille (pic de mémoire à lui) qui importe, exporte et réimporte par l'API HTTP.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCsv, writeXlsx } from './transfer-files.js';

export interface TransferResult {
  rows: number;
  csvImport: { rowsPerSecond: number; seconds: number; peakRssMb: number };
  auditChain: { rowsPerSecond: number; seconds: number };
  csvExport: { rowsPerSecond: number; seconds: number; peakRssMb: number };
  xlsxImport: { rowsPerSecond: number; seconds: number; peakRssMb: number } | null;
}

/** Objectifs du ticket (serveur PostgreSQL, lignes par seconde). */
export const TRANSFER_TARGETS = { csvImport: 20_000, xlsxImport: 5_000, csvExport: 50_000 };

function child(args: string[]): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/transfer-child.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as TransferResult) : reject(new Error(`transfer bench exited with ${code}`))));
  });
}

export async function benchTransfer(databaseUrl: string | undefined, sizes: number[], excel: boolean): Promise<TransferResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'opsflux-transfer-bench-'));
  const results: TransferResult[] = [];
  try {
    for (const rows of sizes) {
      const csv = join(dir, `items-${rows}.csv`);
      const xlsx = join(dir, `items-${rows}.xlsx`);
      console.log(`[transfer] writing ${rows.toLocaleString('en')} rows as CSV${excel ? ' and Excel' : ''}…`);
      await writeCsv(csv, rows);
      if (excel) await writeXlsx(xlsx, rows);
      const result = await child([databaseUrl ?? '-', csv, excel ? xlsx : '-', String(rows)]);
      results.push(result);
      console.log(`[transfer] ${rows.toLocaleString('en')} rows: CSV import ${result.csvImport.rowsPerSecond} rows/s (peak RSS ${result.csvImport.peakRssMb} MB), `
        + `CSV export ${result.csvExport.rowsPerSecond} rows/s (${result.csvExport.peakRssMb} MB)`
        + (result.xlsxImport ? `, Excel import ${result.xlsxImport.rowsPerSecond} rows/s (${result.xlsxImport.peakRssMb} MB)` : '')
        + `, audit chained afterwards at ${result.auditChain.rowsPerSecond} rows/s`);
      await rm(csv, { force: true });
      await rm(xlsx, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
