// Apprentissage de la prédiction de saisie pour un tenant, dans ses transactions (rôle applicatif, RLS) :
// - habitudes : le journal d'audit (créations et mises à jour des champs texte courts) regroupé par auteur et champ ;
//   le contexte d'une saisie est la valeur des champs de référence écrits avec elle (« pour ce client ») ; les
//   utilisateurs qui ont coupé l'apprentissage sont ignorés et leurs habitudes effacées ;
// - enchaînements de mots : les textes longs de chaque champ `text`, seuil d'enregistrements distincts compris.
import { sql } from 'kysely';
import type { Settings } from '../../../config/settings.js';
import { systemContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import { exposedFields, type EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import { writeModel } from '../model-store.js';
import { buildHabits, type HabitEvent } from './habits.js';
import { trainNgram } from './ngram.js';
import { LEARNING_PREFERENCE, PREDICT_ENABLED, PREDICT_HISTORY_DAYS, PREDICT_MAX_ROWS, PREDICT_MAX_VALUES, PREDICT_MIN_RECORDS } from './settings.js';
import { HABITS, habitScope, NGRAM, ngramScope } from './store.js';

export interface TrainingDeps {
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
}

export interface TrainingReport {
  habits: number;
  ngrams: number;
  disabled?: boolean;
}

interface AuditRow {
  actor: string;
  entity: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  at: Date;
}

const stringFields = (m: EntityModel) => exposedFields(m).filter((f) => f.type === 'string' && !f.def.readOnly);
const refFields = (m: EntityModel) => new Set(exposedFields(m).filter((f) => f.type === 'ref').map((f) => f.name));

export async function trainPredictions(deps: TrainingDeps, tenantId: string, now = new Date()): Promise<TrainingReport> {
  const ctx = systemContext(tenantId, 'job-predict-train');
  const setting = <T>(key: string) => deps.settings.value<T>(key, { tenantId });
  if (!(await setting<boolean>(PREDICT_ENABLED))) {
    await deps.tenantTx(ctx, (trx) => sql`DELETE FROM ai_local_model WHERE kind IN (${HABITS}, ${NGRAM})`.execute(trx), { write: true });
    return { habits: 0, ngrams: 0, disabled: true };
  }
  const catalog = await deps.catalog(tenantId);
  const [days, maxRows, maxValues, minRecords] = await Promise.all([
    setting<number>(PREDICT_HISTORY_DAYS), setting<number>(PREDICT_MAX_ROWS), setting<number>(PREDICT_MAX_VALUES), setting<number>(PREDICT_MIN_RECORDS),
  ]);
  const optedOut = await optedOutUsers(deps, catalog, tenantId);
  const groups = await habitEvents(deps, catalog, tenantId, days, maxRows, optedOut);
  const texts = await fieldTexts(deps, catalog, tenantId, maxRows);
  return deps.tenantTx(ctx, async (trx) => {
    await sql`DELETE FROM ai_local_model WHERE kind IN (${HABITS}, ${NGRAM})`.execute(trx);
    for (const [scope, events] of groups) {
      await writeModel(trx, HABITS, scope, buildHabits(events, maxValues, now.getTime()), { events: events.length });
    }
    let ngrams = 0;
    for (const [scope, list] of texts) {
      const model = trainNgram(list, minRecords);
      if (!Object.keys(model.next).length) continue;
      await writeModel(trx, NGRAM, scope, model, { texts: list.length, contexts: Object.keys(model.next).length });
      ngrams += 1;
    }
    return { habits: groups.size, ngrams };
  }, { write: true });
}

/** Utilisateurs dont la préférence `ai.learning` est désactivée. */
async function optedOutUsers(deps: TrainingDeps, catalog: Catalog, tenantId: string): Promise<Set<string>> {
  const ctx = systemContext(tenantId, 'job-predict-train');
  const model = catalog.get('user_preference')!;
  const { data } = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, { filter: { key: LEARNING_PREFERENCE }, limit: 10_000, fields: ['user', 'value'] }));
  return new Set(data.filter((r) => r.value === false || r.value === 'false').map((r) => String(r.user)));
}

/** Saisies des champs texte courts, par `<utilisateur>:<entité>.<champ>`. */
async function habitEvents(deps: TrainingDeps, catalog: Catalog, tenantId: string, days: number, maxRows: number, optedOut: Set<string>) {
  const ctx = systemContext(tenantId, 'job-predict-train');
  const { rows } = await deps.tenantTx(ctx, (trx) => sql<AuditRow>`
    SELECT actor, entity, changes, at FROM audit_log
    WHERE actor IS NOT NULL AND action IN ('create', 'update') AND at > now() - make_interval(days => ${days})
    ORDER BY id DESC LIMIT ${maxRows}`.execute(trx));
  const groups = new Map<string, HabitEvent[]>();
  for (const row of rows) {
    const model = catalog.get(row.entity);
    if (!model || optedOut.has(row.actor)) continue;
    const refs = refFields(model);
    const context: Record<string, string> = {};
    for (const [name, change] of Object.entries(row.changes)) if (refs.has(name) && typeof change?.to === 'string') context[name] = change.to;
    for (const field of stringFields(model)) {
      const to = row.changes[field.name]?.to;
      if (typeof to !== 'string' || !to.trim() || to.length > 200) continue;
      const scope = habitScope(row.actor, model.name, field.name);
      groups.set(scope, [...(groups.get(scope) ?? []), { value: to, at: new Date(row.at).getTime(), context }]);
    }
  }
  return groups;
}

/** Textes longs de chaque champ `text` des entités du tenant, par `<entité>.<champ>`. */
async function fieldTexts(deps: TrainingDeps, catalog: Catalog, tenantId: string, maxRows: number) {
  const ctx = systemContext(tenantId, 'job-predict-train');
  const out = new Map<string, string[]>();
  for (const model of catalog.all().filter((m) => !m.abstract)) {
    for (const field of exposedFields(model).filter((f) => f.type === 'text')) {
      const { data } = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, {
        filter: { [field.name]: { null: false } }, sort: '-updatedAt', limit: maxRows, fields: ['id', field.name],
      }));
      const list = data.map((r) => r[field.name]).filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
      if (list.length) out.set(ngramScope(model.name, field.name), list);
    }
  }
  return out;
}
