// Carte du processus d'un champ d'état (liste ou référence, comme l'étape d'une piste du CRM), calculée COMME
// l'utilisateur : seuls ses enregistrements lisibles et un champ qu'il voit ; les libellés des états référencés sont
// relus avec ses droits.
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';
import { validationFailed } from '../../../errors/problem.js';
import { message } from '../../../text/messages.js';
import type { Tx } from '../../../db/transaction.js';
import { tracesOf, visibleIds, type CaseWindow } from './events.js';
import { mine, type ProcessMap, type Transitions } from './mine.js';

export interface ProcessMiningDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  settings: Settings;
}

export interface ProcessRequest extends CaseWindow {
  entity: string;
  field: string;
  /** transitions permises (sinon celles du réglage ai.local.process.transitions) */
  transitions?: Transitions;
}

export interface ProcessResult extends ProcessMap {
  entity: string;
  field: string;
  /** libellé de chaque état (valeur d'une liste, ou enregistrement référencé) */
  labels: Record<string, string>;
  /** plus d'enregistrements que le réglage ai.local.process.maxRecords : les plus récents seulement */
  truncated: boolean;
}

/** Types de champ qui portent un état. */
export const STATE_FIELD_TYPES = ['enum', 'ref'] as const;

export class ProcessMining {
  constructor(private readonly deps: ProcessMiningDeps) {}

  /** L'utilisateur lit-il une entité qui a un champ d'état (sinon l'outil ne lui est pas offert) ? */
  usable(ctx: RequestContext, catalog: Catalog): boolean {
    return catalog.all().some((m) => m.fields.some((f) => (STATE_FIELD_TYPES as readonly string[]).includes(f.type))
      && this.deps.records.allowed(ctx, catalog, m.name, 'read'));
  }

  async map(ctx: RequestContext, request: ProcessRequest): Promise<ProcessResult> {
    const { records, settings } = this.deps;
    const catalog = await this.deps.catalogFor(ctx);
    const model = records.entity(ctx, catalog, request.entity, 'read');
    const field = stateField(ctx, model, request.field);
    const audience = { tenantId: ctx.tenantId };
    const [maxRecords, maxVariants, declared] = await Promise.all([
      settings.value<number>('ai.local.process.maxRecords', audience),
      settings.value<number>('ai.local.process.maxVariants', audience),
      settings.value<Record<string, Transitions>>('ai.local.process.transitions', audience),
    ]);
    const fromSetting = declared[`${model.name}.${field.name}`];
    const transitions = request.transitions
      ? { map: request.transitions, source: 'request' as const }
      : fromSetting ? { map: fromSetting, source: 'setting' as const } : undefined;
    return this.deps.tenantTx(ctx, async (trx) => {
      const window = { from: instant(request.from), to: instant(request.to) };
      const { ids, truncated } = await visibleIds(records, trx, ctx, catalog, model, window, maxRecords);
      const result = mine(await tracesOf(trx, model, field, ids), { maxVariants, transitions });
      const labels = await this.labels(trx, ctx, catalog, field, result.states.map((s) => s.state));
      return { entity: model.name, field: field.name, ...result, labels, truncated };
    });
  }

  /** Libellés des états : la valeur d'une liste, ou le titre de l'enregistrement référencé s'il est lisible. */
  private async labels(trx: Tx, ctx: RequestContext, catalog: Catalog, field: FieldModel, states: string[]): Promise<Record<string, string>> {
    const labels = Object.fromEntries(states.map((s) => [s, s]));
    const target = field.type === 'ref' ? catalog.get(field.def.options?.to ?? '') : undefined;
    if (!target || states.length === 0 || !this.deps.records.allowed(ctx, catalog, target.name, 'read')) return labels;
    const display = target.display && target.byName.has(target.display) ? target.display : 'eid';
    const rows = await this.deps.records.list(trx, ctx, catalog, target, { filter: { id: { in: states } }, fields: [display], limit: states.length });
    for (const row of rows.data) labels[String(row.id)] = String(row[display] ?? row.id);
    return labels;
  }
}

/** Une date seule vaut minuit UTC. */
const instant = (value: string | undefined) => (value && value.length === 10 ? `${value}T00:00:00Z` : value);

/** Le champ d'état demandé, visible de l'utilisateur et d'un type qui porte un état (400 sinon). */
function stateField(ctx: RequestContext, model: EntityModel, name: string): FieldModel {
  const field = model.byName.get(name);
  if (!field || field.def.internal || field.def.writeOnly) {
    throw validationFailed([{ field: 'field', code: 'unknown_field', message: message(ctx.locale, 'unknown_field', { field: name }) }]);
  }
  if (!(STATE_FIELD_TYPES as readonly string[]).includes(field.type)) {
    throw validationFailed([{ field: 'field', code: 'not_a_state_field', message: message(ctx.locale, 'process_not_state_field', { field: name }) }]);
  }
  return field;
}
