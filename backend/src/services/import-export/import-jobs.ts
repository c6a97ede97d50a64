// Lignes `import_job` et `import_issue` : création, progression, fin, lecture, annulation, rapport d'erreurs.
// Chaque écriture est sa propre petite transaction du tenant : la progression et le rapport survivent à l'annulation
// de la transaction de l'import (mode tout ou rien, essai à blanc).
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant, type TenantScope } from '../../db/transaction.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  readBytes: number;
}

export interface ImportIssue {
  row: number;
  field: string;
  code: string;
  message: string;
  value?: string | null;
}

export interface JobRow {
  id: string;
  entity: string;
  format: string;
  file_name: string;
  file_bytes: string;
  options: Record<string, unknown>;
  status: JobStatus;
  read_bytes: string;
  rows_read: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  columns: { mapped: Array<{ column: string; field: string }>; ignored: string[] } | null;
  message: string | null;
  cancel_requested: boolean;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
}

/** Le travail est-il terminé (plus en file ni en cours) ? */
export const finished = (status: JobStatus) => status !== 'queued' && status !== 'running';

/** Les créations et mises à jour comptées sont-elles enregistrées ? Non pour un essai à blanc ni un tout-ou-rien en échec. */
export function written(status: JobStatus, options: { dryRun?: unknown; onError?: unknown }, counts: { created: number; updated: number }): boolean {
  return options.dryRun !== true && (status === 'succeeded' || (options.onError === 'skip' && counts.created + counts.updated > 0));
}

/** Un travail sans signe de vie depuis ce délai est considéré comme interrompu (nœud arrêté) : suit la fréquence des signes de vie. */
export const STALE_MS = 120_000;

/** Représentation d'API d'un travail. */
export function jobView(row: JobRow) {
  const stale = !finished(row.status)
    && Date.now() - (row.heartbeat_at ?? row.created_at).getTime() > STALE_MS;
  const status: JobStatus = stale ? 'failed' : row.status;
  return {
    id: row.id,
    entity: row.entity,
    format: row.format,
    fileName: row.file_name,
    status,
    options: row.options,
    progress: {
      bytes: Number(row.read_bytes), totalBytes: Number(row.file_bytes),
      percent: Number(row.file_bytes) > 0 ? Math.min(100, Math.round((Number(row.read_bytes) / Number(row.file_bytes)) * 100)) : 0,
    },
    counts: { rowsRead: row.rows_read, created: row.created, updated: row.updated, skipped: row.skipped, errors: row.errors },
    written: written(status, row.options, row),
    columns: row.columns,
    message: stale ? 'interrupted: the node running the import stopped' : row.message,
    cancelRequested: row.cancel_requested,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    links: { self: `/api/v1/imports/${row.id}`, errors: `/api/v1/imports/${row.id}/errors`, events: `/api/v1/imports/${row.id}/events` },
  };
}

export type JobView = ReturnType<typeof jobView>;

export class ImportJobs {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, job: { id: string; entity: string; format: string; fileName: string; fileBytes: number; options: Record<string, unknown> }): Promise<JobRow> {
    return inTenant(this.db, scope, async (trx) => (await sql<JobRow>`INSERT INTO import_job (id, tenant_id, entity, format, file_name, file_bytes, options, created_by, heartbeat_at)
      VALUES (${job.id}, app_tenant(), ${job.entity}, ${job.format}, ${job.fileName}, ${job.fileBytes}, ${JSON.stringify(job.options)}::jsonb, ${scope.userId ?? null}, now())
      RETURNING *`.execute(trx)).rows[0]!);
  }

  async started(scope: TenantScope, id: string): Promise<void> {
    await inTenant(this.db, scope, (trx) => sql`UPDATE import_job SET status = 'running', started_at = now(), heartbeat_at = now() WHERE id = ${id}`.execute(trx));
  }

  /** Progression et problèmes du lot ; renvoie vrai si l'annulation a été demandée. */
  async progress(scope: TenantScope, id: string, counts: ImportCounts, issues: ImportIssue[], columns?: JobRow['columns']): Promise<boolean> {
    return inTenant(this.db, scope, async (trx) => {
      if (issues.length) {
        await sql`INSERT INTO import_issue (tenant_id, job_id, line, field, code, message, value)
          SELECT app_tenant(), ${id}::uuid, i.line::integer, i.field, i.code, i.message, i.value
          FROM unnest(${issues.map((i) => String(i.row))}::text[], ${issues.map((i) => i.field)}::text[], ${issues.map((i) => i.code)}::text[],
            ${issues.map((i) => i.message)}::text[], ${issues.map((i) => i.value ?? null)}::text[]) AS i(line, field, code, message, value)`.execute(trx);
      }
      const { rows } = await sql<{ cancel_requested: boolean }>`UPDATE import_job SET rows_read = ${counts.rowsRead}, created = ${counts.created},
        updated = ${counts.updated}, skipped = ${counts.skipped}, errors = ${counts.errors}, read_bytes = ${counts.readBytes}, heartbeat_at = now(),
        columns = coalesce(${columns ? JSON.stringify(columns) : null}::jsonb, columns) WHERE id = ${id} RETURNING cancel_requested`.execute(trx);
      return rows[0]?.cancel_requested === true;
    });
  }

  async finish(scope: TenantScope, id: string, status: JobStatus, counts: ImportCounts, message: string | null): Promise<JobRow> {
    return inTenant(this.db, scope, async (trx) => (await sql<JobRow>`UPDATE import_job SET status = ${status}, message = ${message}, finished_at = now(),
      rows_read = ${counts.rowsRead}, created = ${counts.created}, updated = ${counts.updated}, skipped = ${counts.skipped}, errors = ${counts.errors},
      read_bytes = ${counts.readBytes}, heartbeat_at = now() WHERE id = ${id} RETURNING *`.execute(trx)).rows[0]!);
  }

  async get(scope: TenantScope, id: string): Promise<JobRow | undefined> {
    return inTenant(this.db, scope, async (trx) => (await sql<JobRow>`SELECT * FROM import_job WHERE id = ${id}`.execute(trx)).rows[0], { singleStatement: true });
  }

  /** Travaux récents, du plus récent au plus ancien ; `createdBy` restreint à ceux d'un utilisateur. */
  async list(scope: TenantScope, options: { limit: number; before?: Date; createdBy?: string }): Promise<JobRow[]> {
    const before = options.before ? sql`AND created_at < ${options.before}` : sql``;
    const mine = options.createdBy ? sql`AND created_by = ${options.createdBy}` : sql``;
    return inTenant(this.db, scope, async (trx) => (await sql<JobRow>`SELECT * FROM import_job WHERE true ${before} ${mine}
      ORDER BY created_at DESC LIMIT ${options.limit}`.execute(trx)).rows, { singleStatement: true });
  }

  /** Efface le rapport (l'import reprend du début). */
  async clearIssues(scope: TenantScope, id: string): Promise<void> {
    await inTenant(this.db, scope, (trx) => sql`DELETE FROM import_issue WHERE job_id = ${id}`.execute(trx));
  }

  async requestCancel(scope: TenantScope, id: string): Promise<void> {
    await inTenant(this.db, scope, (trx) => sql`UPDATE import_job SET cancel_requested = true WHERE id = ${id} AND status IN ('queued', 'running')`.execute(trx));
  }

  /** Problèmes d'un travail par pages, dans l'ordre des lignes (leur nombre est borné par `import.maxErrors`). */
  async issues(scope: TenantScope, id: string, offset: number, limit: number): Promise<ImportIssue[]> {
    return inTenant(this.db, scope, async (trx) => {
      const { rows } = await sql<{ line: number; field: string; code: string; message: string; value: string | null }>`
        SELECT line, field, code, message, value FROM import_issue WHERE job_id = ${id}
        ORDER BY line, field, code OFFSET ${offset} LIMIT ${limit}`.execute(trx);
      return rows.map((r) => ({ row: r.line, field: r.field, code: r.code, message: r.message, value: r.value }));
    }, { singleStatement: true });
  }
}
