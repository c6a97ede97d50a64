// Indicateurs clés : recalculés quand leurs données changent (travail par entité et par fenêtre d'une seconde, lancé
// depuis l'outbox), avec les droits de leur propriétaire — un indicateur ne montre jamais plus que ce que son auteur
// peut lire. Une requête devenue invalide (champ supprimé, droit retiré) marque l'indicateur `invalid` avec la raison ;
// le passage en alerte prévient le propriétaire et les rôles du partage.
import type { AnalyticsQuery } from '@opsflux/sdk';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { systemContext } from '../engine/context.js';
import type { RecordService } from '../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../engine/tenant-work.js';
import type { OutboxDispatcher } from '../events/outbox.js';
import { changedEntity } from '../events/change-feed.js';
import type { AccessProfiles } from '../iam/access/store.js';
import type { JobQueue } from '../services/jobs/queue.js';
import type { NotificationService } from '../services/notifications/service.js';
import { measureNameOf } from './compile.js';
import { failureText, ownerContext } from './owner-context.js';
import type { AnalyticsService } from './service.js';

export const KPI_JOB = 'analytics.kpis';
/** fenêtre de regroupement des écritures : une rafale donne un recalcul par entité et par fenêtre */
const WINDOW_MS = 1000;
/** durée de vie du cache « entités suivies par un indicateur » d'un tenant */
const WATCHED_TTL_MS = 10_000;

export interface KpiDeps {
  analytics: AnalyticsService;
  access: Pick<AccessProfiles, 'get'>;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  jobs: JobQueue;
  notifications: Pick<NotificationService, 'notify'>;
  dispatcher: OutboxDispatcher;
}

interface KpiRow {
  id: string;
  owner: string | null;
  name: string;
  query: AnalyticsQuery;
  period: string | null;
  date_field: string | null;
  alert_below: string | null;
  alert_above: string | null;
  notify: boolean;
  value: string | null;
  status: string;
  problem: string | null;
  shared_with: string[];
}

export interface KpiEvaluation {
  value: string | null;
  status: 'unknown' | 'ok' | 'alert' | 'invalid';
  problem: string | null;
}

/** État d'une valeur face aux seuils (bornes exclues : atteindre le seuil n'est pas le franchir). */
export function kpiStatus(value: string | null, below: string | null, above: string | null): KpiEvaluation['status'] {
  if (value === null) return 'unknown';
  const v = new Decimal(value);
  if ((below !== null && v.lessThan(below)) || (above !== null && v.greaterThan(above))) return 'alert';
  return 'ok';
}

export class KpiService {
  private readonly watched = new Map<string, { at: number; entities: Set<string> }>();
  private readonly enqueued = new Set<string>();

  constructor(private readonly deps: KpiDeps) {}

  /** Inscrit le travail de recalcul et l'abonnement aux écritures. */
  install(): void {
    this.deps.jobs.register<{ entity: string }>({
      name: KPI_JOB,
      label: { en: 'Recompute the key indicators of an entity', fr: 'Recalculer les indicateurs clés d’une entité' },
      maxAttempts: 3,
      handler: async (job) => ({ evaluated: await this.evaluateEntity(job.tenantId!, job.payload.entity) }),
    });
    this.deps.dispatcher.subscribe('*', async (event, trx) => {
      const entity = changedEntity(event.topic);
      if (!entity) return;
      if (entity === 'kpi') this.watched.delete(event.tenantId);
      if (!(await this.watchedEntities(event.tenantId, trx)).has(entity)) return;
      const window = Math.floor(Date.now() / WINDOW_MS);
      const key = `${event.tenantId}:${entity}:${window}`;
      if (this.enqueued.has(key)) return;
      if (this.enqueued.size > 10_000) this.enqueued.clear();
      this.enqueued.add(key);
      await this.deps.jobs.enqueue(event.tenantId, KPI_JOB, { entity }, { trx, singletonKey: `${entity}:${window}`, runAt: new Date((window + 1) * WINDOW_MS) });
    });
  }

  private async watchedEntities(tenantId: string, trx: Parameters<Parameters<TenantTx>[1]>[0]): Promise<Set<string>> {
    const cached = this.watched.get(tenantId);
    if (cached && Date.now() - cached.at < WATCHED_TTL_MS) return cached.entities;
    const { rows } = await sql<{ entity: string }>`SELECT DISTINCT query->>'entity' AS entity FROM kpi WHERE tenant_id = ${tenantId}::uuid AND deleted_at IS NULL`.execute(trx);
    const entities = new Set(rows.map((r) => r.entity));
    this.watched.set(tenantId, { at: Date.now(), entities });
    return entities;
  }

  /** Recalcule les indicateurs (non supprimés) qui portent sur l'entité ; renvoie leur nombre. */
  async evaluateEntity(tenantId: string, entity: string): Promise<number> {
    const system = systemContext(tenantId, `kpi-${entity}`);
    const kpis = await this.deps.tenantTx(system, async (trx) => (await sql<KpiRow>`
      SELECT k.id, k.owner, k.name, k.query, k.period, k.date_field, k.alert_below::text, k.alert_above::text, k.notify, k.value, k.status, k.problem,
        ARRAY(SELECT l.target_id::text FROM kpi_shared_with_link l WHERE l.source_id = k.id AND l.tenant_id = k.tenant_id) AS shared_with
      FROM kpi k WHERE k.deleted_at IS NULL AND k.query->>'entity' = ${entity}`.execute(trx)).rows);
    for (const kpi of kpis) await this.evaluate(tenantId, kpi);
    return kpis.length;
  }

  /** Recalcule un indicateur par son identifiant (écran, tests) ; faux s'il n'existe pas. */
  async evaluateOne(tenantId: string, id: string): Promise<boolean> {
    const entity = await this.deps.tenantTx(systemContext(tenantId, 'kpi'), async (trx) =>
      (await sql<{ entity: string }>`SELECT query->>'entity' AS entity FROM kpi WHERE id = ${id}::uuid AND deleted_at IS NULL`.execute(trx)).rows[0]?.entity);
    if (!entity) return false;
    await this.evaluateEntity(tenantId, entity);
    return true;
  }

  private async evaluate(tenantId: string, kpi: KpiRow): Promise<void> {
    const result = await this.compute(tenantId, kpi);
    if (result.value === kpi.value && result.status === kpi.status && result.problem === kpi.problem) return;
    const system = systemContext(tenantId, `kpi-${kpi.id}`);
    await this.deps.tenantTx(system, async (trx) => {
      const catalog = await this.deps.catalog(tenantId);
      await this.deps.records.update(trx, system, catalog, catalog.get('kpi')!, kpi.id, { ...result, evaluatedAt: new Date().toISOString() });
    }, { write: true });
    if (result.status === 'alert' && kpi.status !== 'alert' && kpi.notify) await this.alert(tenantId, kpi, result.value!);
  }

  private async compute(tenantId: string, kpi: KpiRow): Promise<KpiEvaluation> {
    const ctx = await ownerContext(this.deps.access, tenantId, kpi.owner, `kpi-${kpi.id}`);
    if (!ctx) return { value: null, status: 'invalid', problem: 'The owner of this indicator is no longer an active user' };
    const query: AnalyticsQuery = {
      ...kpi.query, dimensions: undefined, top: undefined, others: undefined, pivot: undefined, compare: undefined,
      ...(kpi.period && kpi.date_field ? { period: { field: kpi.date_field, preset: kpi.period as NonNullable<AnalyticsQuery['period']>['preset'] } } : {}),
    };
    try {
      const result = await this.deps.analytics.query(ctx, query);
      const raw = result.totals[measureNameOf(query.measures[0]!)];
      const value = raw === null || raw === undefined ? null : String(raw);
      return { value, status: kpiStatus(value, kpi.alert_below, kpi.alert_above), problem: null };
    } catch (error) {
      return { value: null, status: 'invalid', problem: failureText(error) };
    }
  }

  private async alert(tenantId: string, kpi: KpiRow, value: string): Promise<void> {
    await this.deps.notifications.notify({
      tenantId, users: kpi.owner ? [kpi.owner] : [], roles: kpi.shared_with, category: 'analytics.kpi', priority: 'high',
      title: { en: 'Key indicator in alert: {name}', fr: 'Indicateur clé en alerte : {name}' },
      body: { en: 'Its value is now {value}.', fr: 'Sa valeur est maintenant {value}.' },
      params: { name: kpi.name, value },
      link: `/app/data/kpi/${kpi.id}`,
      groupKey: `analytics.kpi:${kpi.id}`,
    });
  }
}
