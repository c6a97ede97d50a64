// Détection d'anomalies : apprentissage des références des champs surveillés (travail planifié, comme la plateforme
// dans le tenant), notation d'un enregistrement créé ou modifié (travail déposé par l'événement d'écriture) avec
// notification des destinataires réglés, et lectures COMME l'utilisateur (badge d'une fiche, outil de l'assistant).
import type { Settings } from '../../../config/settings.js';
import type { Tx } from '../../../db/transaction.js';
import { systemContext, type RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import type { NotificationService } from '../../../services/notifications/service.js';
import type { WatchedField } from './settings.js';
import { learnBaseline, scoreValue } from './robust.js';
import { clearFlag, listFlags, readBaseline, readFlag, writeBaseline, writeFlag, type AnomalyFlag, type FieldAnomaly } from './store.js';
import { fieldValues, fieldVisible, numericAt } from './values.js';

export interface AnomalyServiceDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  settings: Pick<Settings, 'value'>;
  notifications: Pick<NotificationService, 'notify'>;
}

export interface LearnReport {
  fields: Array<{ entity: string; field: string; n: number }>;
}

const NUMERIC_KINDS = new Set(['integer', 'decimal', 'money']);

export class AnomalyService {
  constructor(private readonly deps: AnomalyServiceDeps) {}

  /** Champs surveillés du tenant (réglage), lus dans la transaction donnée s'il y en a une. */
  watched(tenantId: string, trx?: Tx): Promise<WatchedField[]> {
    return this.deps.settings.value<WatchedField[]>('ai.local.anomaly.watch', { tenantId }, trx);
  }

  /** Apprend (ou réapprend) la référence de chaque champ surveillé du tenant. */
  async learn(tenantId: string, requestId = 'anomaly-learn'): Promise<LearnReport> {
    const ctx = systemContext(tenantId, requestId);
    const catalog = await this.deps.catalog(tenantId);
    const fields: LearnReport['fields'] = [];
    for (const w of await this.watched(tenantId)) {
      const model = numericField(catalog, w);
      if (!model) continue;
      await this.deps.tenantTx(ctx, async (trx) => {
        const baseline = learnBaseline(await fieldValues(this.deps.records, trx, ctx, catalog, model, w.field));
        if (baseline) await writeBaseline(trx, w.entity, w.field, baseline);
        fields.push({ entity: w.entity, field: w.field, n: baseline?.n ?? 0 });
      });
    }
    return { fields };
  }

  /**
   * Note un enregistrement sur les champs surveillés de son entité ; un champ sans référence l'apprend d'abord. Un
   * nouveau signalement (ou un champ de plus) notifie les destinataires réglés.
   */
  async scoreRecord(tenantId: string, entity: string, recordId: string, requestId = 'anomaly-score'): Promise<AnomalyFlag | null> {
    const watched = (await this.watched(tenantId)).filter((w) => w.entity === entity);
    const catalog = await this.deps.catalog(tenantId);
    const model = catalog.get(entity);
    if (!watched.length || !model) return null;
    const audience = { tenantId };
    const [threshold, minSamples] = await Promise.all([
      this.deps.settings.value<number>('ai.local.anomaly.threshold', audience),
      this.deps.settings.value<number>('ai.local.anomaly.minSamples', audience),
    ]);
    const ctx = systemContext(tenantId, requestId);
    const { flag, isNew } = await this.deps.tenantTx(ctx, async (trx) => {
      const row = await this.deps.records.get(trx, ctx, catalog, model, recordId).catch(() => undefined);
      const before = await readFlag(trx, entity, recordId);
      if (!row) {
        if (before) await clearFlag(trx, entity, recordId);
        return { flag: null, isNew: false };
      }
      const fields: FieldAnomaly[] = [];
      for (const w of watched) {
        if (!numericField(catalog, w)) continue;
        const value = numericAt(row, w.field);
        if (value === undefined) continue;
        let baseline = await readBaseline(trx, entity, w.field);
        if (!baseline) {
          baseline = learnBaseline(await fieldValues(this.deps.records, trx, ctx, catalog, model, w.field));
          if (baseline) await writeBaseline(trx, entity, w.field, baseline);
        }
        if (!baseline || baseline.n < minSamples) continue;
        const { z, ratio } = scoreValue(baseline, value);
        if (Math.abs(z) >= threshold) fields.push({ field: w.field, value, typical: baseline.typical, ratio, z });
      }
      if (!fields.length) {
        if (before) await clearFlag(trx, entity, recordId);
        return { flag: null, isNew: false };
      }
      const flag: AnomalyFlag = { entity, recordId, fields, detectedAt: new Date().toISOString() };
      await writeFlag(trx, flag);
      const known = new Set(before?.fields.map((f) => f.field));
      return { flag, isNew: fields.some((f) => !known.has(f.field)) };
    });
    if (flag && isNew) await this.notify(tenantId, model, flag);
    return flag;
  }

  /** Signalement d'un enregistrement que l'utilisateur lit, réduit aux champs qu'il voit (404/403 sinon). */
  async forRecord(ctx: RequestContext, entity: string, recordId: string): Promise<FieldAnomaly[]> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, entity, 'read');
    return this.deps.tenantTx(ctx, async (trx) => {
      await this.deps.records.get(trx, ctx, catalog, model, recordId);
      const flag = await readFlag(trx, entity, recordId);
      return flag ? flag.fields.filter((f) => fieldVisible(model, f.field)) : [];
    });
  }

  /** Signalements que l'utilisateur peut voir (entités lues, enregistrements permis par ses règles, champs visibles). */
  async find(ctx: RequestContext, options: { entity?: string; limit?: number }, catalog?: Catalog): Promise<AnomalyFlag[]> {
    const seen = catalog ?? (await this.deps.catalogFor(ctx));
    if (options.entity) this.deps.records.entity(ctx, seen, options.entity, 'read');
    const limit = options.limit ?? 50;
    return this.deps.tenantTx(ctx, async (trx) => {
      const byEntity = new Map<string, AnomalyFlag[]>();
      for (const flag of await listFlags(trx)) {
        if (options.entity && flag.entity !== options.entity) continue;
        if (!this.deps.records.allowed(ctx, seen, flag.entity, 'read')) continue;
        byEntity.set(flag.entity, [...(byEntity.get(flag.entity) ?? []), flag]);
      }
      const visible: AnomalyFlag[] = [];
      for (const [entity, flags] of byEntity) {
        const model = seen.get(entity)!;
        // les règles d'enregistrements de l'utilisateur décident de ce qu'il voit : relu par la liste du moteur
        const ids = flags.map((f) => f.recordId).slice(0, 1000);
        const page = await this.deps.records.list(trx, ctx, seen, model, { filter: { id: { in: ids } }, fields: ['id'], limit: 1000 });
        const readable = new Set(page.data.map((r) => String(r.id)));
        for (const flag of flags) {
          const fields = flag.fields.filter((f) => fieldVisible(model, f.field));
          if (readable.has(flag.recordId) && fields.length) visible.push({ ...flag, fields });
        }
      }
      return visible.sort((a, b) => b.detectedAt.localeCompare(a.detectedAt)).slice(0, limit);
    });
  }

  private async notify(tenantId: string, model: EntityModel, flag: AnomalyFlag): Promise<void> {
    const audience = { tenantId };
    const [roles, users] = await Promise.all([
      this.deps.settings.value<string[]>('ai.local.anomaly.notifyRoles', audience),
      this.deps.settings.value<string[]>('ai.local.anomaly.notifyUsers', audience),
    ]);
    if (!roles.length && !users.length) return;
    const first = flag.fields[0]!;
    await this.deps.notifications.notify({
      tenantId, roles, users, category: 'ai.anomaly', priority: 'normal',
      title: { en: 'Unusual value on {entity}: {field}', fr: 'Valeur inhabituelle sur {entity} : {field}' },
      body: { en: '{value} where {typical} is typical ({ratio}).', fr: '{value} alors que {typical} est habituel ({ratio}).' },
      params: {
        entity: model.label.en, field: first.field, value: first.value, typical: first.typical,
        ratio: first.ratio === null ? '—' : `×${first.ratio >= 1 ? first.ratio.toFixed(1) : first.ratio.toPrecision(2)}`,
      },
      link: `/app/data/${model.name}/${flag.recordId}`,
      groupKey: `ai.anomaly:${model.name}:${flag.recordId}`,
    });
  }
}

/** Modèle de l'entité si le champ surveillé y est numérique (entier, décimal, montant). */
function numericField(catalog: Catalog, w: WatchedField): EntityModel | undefined {
  const model = catalog.get(w.entity);
  const field = model?.byName.get(w.field.split('.')[0]!);
  return model && field && NUMERIC_KINDS.has(field.type) ? model : undefined;
}
