// Rapports planifiés : le travail `analytics.reports` (chaque minute) envoie les rapports dus de chaque tenant —
// analyse calculée avec les droits du propriétaire, fichier Excel ou PDF joint au rapport (service de fichiers), un
// courriel par destinataire dans la file des courriels — puis pose la prochaine échéance. Une erreur (requête devenue
// invalide, propriétaire inactif) est gardée sur le rapport, qui sera retenté à l'échéance suivante.
import { Readable } from 'node:stream';
import type { AnalyticsQuery } from '@opsflux/sdk';
import { CronExpressionParser } from 'cron-parser';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { systemContext, type RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { HookBus } from '../../events/hooks.js';
import { validationFailed } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import type { AccessProfiles } from '../../iam/access/store.js';
import type { EmailService } from '../../services/email/email-service.js';
import type { FileService } from '../../services/files/file-service.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { JobSchedules } from '../../services/jobs/schedules.js';
import { activeTenants } from '../../tenancy/tenants.js';
import type { AnalyticsService } from '../service.js';
import type { ReportFormat } from './entity.js';
import { toPdf, toXlsx } from './render.js';
import { failureText, ownerContext } from '../owner-context.js';

export const REPORTS_JOB = 'analytics.reports';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ReportDeps {
  db: Db;
  analytics: AnalyticsService;
  access: Pick<AccessProfiles, 'get'>;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  files: FileService;
  email: EmailService;
  jobs: JobQueue;
  schedules: JobSchedules;
  hooks: HookBus;
}

interface ReportRow {
  id: string;
  owner: string | null;
  name: string;
  query: AnalyticsQuery;
  format: ReportFormat;
  cron: string;
  time_zone: string;
  recipients: string[];
}

/** Prochaine échéance d'un cron dans un fuseau, après `after` ; undefined si l'expression est invalide. */
export function nextRun(cron: string, timeZone: string, after = new Date()): Date | undefined {
  try {
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
  } catch {
    return undefined;
  }
}

export class ReportService {
  constructor(private readonly deps: ReportDeps) {}

  install(): void {
    // expression, fuseau et destinataires contrôlés à l'écriture ; prochaine échéance posée par la plateforme
    const check = ({ data, before, ctx }: Parameters<Parameters<HookBus['on']>[2]>[0]) => {
      const cron = (data!.cron ?? before?.cron) as string;
      const zone = (data!.timeZone ?? before?.timeZone ?? 'UTC') as string;
      const next = nextRun(cron, zone);
      const errors = [];
      if (!nextRun(cron, 'UTC')) errors.push({ field: 'cron', code: 'invalid_value', message: message(ctx.locale, 'invalid_cron') });
      else if (!next) errors.push({ field: 'timeZone', code: 'invalid_time_zone', message: message(ctx.locale, 'invalid_time_zone') });
      const recipients = (data!.recipients ?? []) as string[];
      recipients.forEach((r, i) => {
        if (!EMAIL.test(r)) errors.push({ field: `recipients[${i}]`, code: 'invalid_email', message: message(ctx.locale, 'invalid_email') });
      });
      if (errors.length) throw validationFailed(errors);
      if (data!.cron !== undefined || data!.timeZone !== undefined || !before) data!.nextRunAt = next!.toISOString();
    };
    this.deps.hooks.on('beforeCreate', 'report', check);
    this.deps.hooks.on('beforeUpdate', 'report', check);
    this.deps.jobs.register({
      name: REPORTS_JOB,
      label: { en: 'Send the scheduled reports that are due', fr: 'Envoyer les rapports planifiés arrivés à échéance' },
      timeoutMs: 10 * 60_000,
      handler: async (job) => {
        const tenants = job.tenantId ? [job.tenantId] : (await activeTenants(this.deps.db)).map((t) => t.id);
        let sent = 0;
        for (const tenant of tenants) sent += await this.runDue(tenant);
        return { tenants: tenants.length, sent };
      },
    });
    this.deps.schedules.declare({ key: REPORTS_JOB, job: REPORTS_JOB, cron: '* * * * *' });
  }

  /** Envoie les rapports actifs dont l'échéance est passée à `now` ; renvoie le nombre de rapports envoyés. */
  async runDue(tenantId: string, now = new Date()): Promise<number> {
    const system = systemContext(tenantId, 'reports');
    const due = await this.deps.tenantTx(system, async (trx) => (await sql<ReportRow>`
      SELECT id, owner, name, query, format, cron, time_zone, coalesce(recipients, '{}') AS recipients FROM report
      WHERE deleted_at IS NULL AND active AND next_run_at <= ${now.toISOString()}::timestamptz ORDER BY next_run_at`.execute(trx)).rows);
    let sent = 0;
    for (const report of due) if (await this.send(tenantId, report, now)) sent += 1;
    return sent;
  }

  private async send(tenantId: string, report: ReportRow, now: Date): Promise<boolean> {
    const system = systemContext(tenantId, `report-${report.id}`);
    let error: string | null = null;
    try {
      const ctx = await this.ownerContext(tenantId, report);
      const result = await this.deps.analytics.query(ctx, report.query);
      const file = report.format === 'pdf' ? await toPdf(result, report.name, ctx.locale) : await toXlsx(result, report.name, ctx.locale);
      const stamp = now.toISOString().slice(0, 10);
      const attachment = await this.deps.files.attach({ ...ctx, system: true }, { entity: 'report', recordId: report.id }, {
        stream: Readable.from(file), filename: `${report.name.replace(/[^\w .-]+/g, '_')} ${stamp}.${report.format}`, truncated: () => false, maxMegabytes: 100,
      });
      for (const to of report.recipients) {
        await this.deps.email.send({
          tenantId, to, userId: report.owner, attachments: [attachment.id as string],
          subject: `${report.name} — ${stamp}`,
          text: ctx.locale === 'fr'
            ? `Rapport « ${report.name} » du ${stamp} : ${result.rows.length} lignes, en pièce jointe (${report.format.toUpperCase()}).`
            : `Report "${report.name}" of ${stamp}: ${result.rows.length} rows, attached (${report.format.toUpperCase()}).`,
        });
      }
    } catch (failure) {
      error = failureText(failure);
    }
    const catalog = await this.deps.catalog(tenantId);
    await this.deps.tenantTx(system, (trx) => this.deps.records.update(trx, system, catalog, catalog.get('report')!, report.id, {
      lastRunAt: now.toISOString(), lastError: error, nextRunAt: (nextRun(report.cron, report.time_zone, now) ?? now).toISOString(),
    }), { write: true });
    return error === null;
  }

  /** Droits du propriétaire et sa langue (libellés du fichier et du courriel). */
  private async ownerContext(tenantId: string, report: ReportRow): Promise<RequestContext> {
    const { rows } = await this.deps.tenantTx(systemContext(tenantId, 'report-owner'), (trx) =>
      sql<{ locale: string | null }>`SELECT locale FROM app_user WHERE id = ${report.owner}::uuid`.execute(trx));
    const ctx = await ownerContext(this.deps.access, tenantId, report.owner, `report-${report.id}`, rows[0]?.locale === 'fr' ? 'fr' : 'en');
    if (!ctx) throw validationFailed([{ field: 'owner', code: 'inactive_owner', message: 'The owner of this report is no longer an active user' }]);
    return ctx;
  }
}
