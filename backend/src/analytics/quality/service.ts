// Contrôles de qualité d'un tenant : chaque règle active évaluée dans sa propre transaction (une règle fausse n'arrête
// pas les autres), un contrôle daté écrit par règle (score, enregistrements en défaut ou raison de l'échec), le
// dernier score reporté sur la règle ; une dégradation sous le seuil prévient les administrateurs.
import { sql } from 'kysely';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import { systemContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { NotifyAdministrators } from '../../services/notifications/admin-notices.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { JobSchedules } from '../../services/jobs/schedules.js';
import { activeTenants } from '../../tenancy/tenants.js';
import { evaluateRule, QualityRuleError, type QualityOutcome, type QualityRuleRow } from './checks.js';

export const QUALITY_JOB = 'analytics.quality';

export interface QualityDeps {
  db: Db;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  settings: Pick<Settings, 'value'>;
  jobs: JobQueue;
  schedules: JobSchedules;
  notifyAdministrators: NotifyAdministrators;
}

export interface QualityRunReport {
  rules: number;
  failing: number;
  invalid: number;
}

const score = (o: QualityOutcome) => (o.checked === 0 ? 1 : Math.max(0, 1 - o.failed / o.checked));

export class QualityService {
  constructor(private readonly deps: QualityDeps) {}

  install(): void {
    this.deps.jobs.register({
      name: QUALITY_JOB,
      label: { en: 'Check the data quality rules', fr: 'Contrôler les règles de qualité des données' },
      timeoutMs: 30 * 60_000,
      manual: true,
      handler: async (job) => {
        // lancé par l'administrateur d'un tenant : ce tenant seul ; planifié pour la plateforme : chaque tenant actif
        const tenants = job.tenantId ? [job.tenantId] : (await activeTenants(this.deps.db)).map((t) => t.id);
        const reports = [];
        for (const tenant of tenants) reports.push(await this.run(tenant));
        return { tenants: tenants.length, rules: reports.reduce((n, r) => n + r.rules, 0), failing: reports.reduce((n, r) => n + r.failing, 0) };
      },
    });
    this.deps.schedules.declare({ key: QUALITY_JOB, job: QUALITY_JOB, cron: '17 3 * * *' });
  }

  async run(tenantId: string): Promise<QualityRunReport> {
    const ctx = systemContext(tenantId, 'quality');
    const rules = await this.deps.tenantTx(ctx, async (trx) => (await sql<QualityRuleRow>`
      SELECT id, name, entity, field, kind, pattern, min::text, max::text, max_age_days, similarity::text, min_score::text, last_score::text
      FROM quality_rule WHERE deleted_at IS NULL AND active ORDER BY name`.execute(trx)).rows);
    const maxFuzzyRows = await this.deps.settings.value<number>('analytics.quality.maxFuzzyRows', { tenantId });
    const catalog = await this.deps.catalog(tenantId);
    const report: QualityRunReport = { rules: rules.length, failing: 0, invalid: 0 };
    const degraded: string[] = [];
    for (const rule of rules) {
      let outcome: QualityOutcome | undefined;
      let problem: string | null = null;
      try {
        const model = catalog.get(rule.entity);
        if (!model) throw new QualityRuleError(`Unknown entity ${rule.entity}`);
        outcome = await this.deps.tenantTx(ctx, (trx) => evaluateRule(trx, model, catalog, rule, maxFuzzyRows));
      } catch (error) {
        if (!(error instanceof QualityRuleError)) throw error;
        problem = error.message;
        report.invalid += 1;
      }
      const value = outcome ? score(outcome) : null;
      if (outcome?.failed) report.failing += 1;
      const below = value !== null && rule.min_score !== null && value < Number(rule.min_score);
      const wasBelow = rule.last_score !== null && rule.min_score !== null && Number(rule.last_score) < Number(rule.min_score);
      if (below && !wasBelow) degraded.push(`${rule.name} (${rule.entity}): ${(value * 100).toFixed(1)} %`);
      await this.deps.tenantTx(ctx, async (trx) => {
        await this.deps.records.create(trx, ctx, catalog, catalog.get('quality_check')!, {
          rule: rule.id, entity: rule.entity, problem,
          ...(outcome ? { checked: outcome.checked, failed: outcome.failed, offending: outcome.offending, score: value!.toFixed(6) } : {}),
        });
        await this.deps.records.update(trx, ctx, catalog, catalog.get('quality_rule')!, rule.id, {
          lastCheckedAt: new Date().toISOString(), ...(value === null ? {} : { lastScore: value.toFixed(6) }),
        });
      }, { write: true });
    }
    if (degraded.length) {
      await this.deps.notifyAdministrators(tenantId, {
        subject: { en: 'Data quality dropped below its threshold', fr: 'La qualité des données est passée sous son seuil' },
        body: { en: `Rules below their alert score:\n${degraded.join('\n')}`, fr: `Règles sous leur score d’alerte :\n${degraded.join('\n')}` },
      });
    }
    return report;
  }
}
