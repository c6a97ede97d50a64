// Suggestions de saisie rendues aux formulaires, COMME l'utilisateur : seulement sur un champ texte qu'il peut écrire ;
// les habitudes sont les siennes (ses propres saisies, jamais celles d'un autre) ; les mots suivants viennent du modèle
// du tenant pour ce champ, où seuls les enchaînements vus dans plusieurs enregistrements sont gardés.
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { FieldModel } from '../../../engine/model.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import { validationFailed } from '../../../errors/problem.js';
import type { Preferences } from '../../../iam/preferences.js';
import { message } from '../../../text/messages.js';
import { readModel } from '../model-store.js';
import { suggestHabits, type HabitModel, type Suggestion } from './habits.js';
import { nextWords, type Completion, type NgramModel } from './ngram.js';
import { LEARNING_PREFERENCE, PREDICT_ENABLED } from './settings.js';
import { HABITS, habitScope, NGRAM, ngramScope } from './store.js';
import { trainPredictions, type TrainingReport } from './training.js';

export interface PredictServiceDeps {
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  preferences: Preferences;
}

export interface PredictionQuery {
  entity: string;
  field: string;
  prefix?: string;
  context?: Record<string, string>;
  limit?: number;
}

export class PredictService {
  constructor(private readonly deps: PredictServiceDeps) {}

  /** Valeurs que l'utilisateur tape d'habitude dans ce champ, pour ce début, ce contexte et cette heure. */
  async suggest(ctx: RequestContext, query: PredictionQuery): Promise<{ suggestions: Suggestion[]; learning: boolean }> {
    const field = await this.writableField(ctx, query.entity, query.field, ['string', 'text']);
    const learning = await this.learning(ctx);
    if (!learning) return { suggestions: [], learning };
    const stored = await this.deps.tenantTx(ctx, (trx) => readModel<HabitModel>(trx, HABITS, habitScope(ctx.userId!, query.entity, field.name)));
    if (!stored) return { suggestions: [], learning };
    const suggestions = suggestHabits(stored.model, { prefix: query.prefix ?? '', context: query.context ?? {}, now: Date.now(), limit: query.limit ?? 5 });
    return { suggestions, learning };
  }

  /** Suite probable du texte tapé dans un champ texte long. */
  async nextWords(ctx: RequestContext, entity: string, fieldName: string, text: string): Promise<{ completions: Completion[]; learning: boolean }> {
    const field = await this.writableField(ctx, entity, fieldName, ['text', 'string']);
    const learning = await this.learning(ctx);
    if (!learning) return { completions: [], learning };
    const stored = await this.deps.tenantTx(ctx, (trx) => readModel<NgramModel>(trx, NGRAM, ngramScope(entity, field.name)));
    return { completions: stored ? nextWords(stored.model, text.slice(-500)) : [], learning };
  }

  /** Apprentissage du tenant (travail planifié, ou à la demande). */
  train(tenantId: string): Promise<TrainingReport> {
    return trainPredictions(this.deps, tenantId);
  }

  /** Le tenant permet la prédiction et l'utilisateur n'a pas coupé l'apprentissage. */
  private async learning(ctx: RequestContext): Promise<boolean> {
    if (!(await this.deps.settings.value<boolean>(PREDICT_ENABLED, { tenantId: ctx.tenantId }))) return false;
    const catalog = await this.deps.catalogFor(ctx);
    const prefs = await this.deps.tenantTx(ctx, (trx) => this.deps.preferences.effective(trx, catalog, ctx.userId!));
    return prefs[LEARNING_PREFERENCE] !== false;
  }

  /** Le champ, s'il est un champ texte que l'utilisateur peut écrire (création ou mise à jour) ; sinon 404, 403 ou 422. */
  private async writableField(ctx: RequestContext, entity: string, name: string, types: string[]): Promise<FieldModel> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, entity, 'read');
    const field = model.byName.get(name);
    const mayWrite = this.deps.records.allowed(ctx, catalog, model.name, 'update') || this.deps.records.allowed(ctx, catalog, model.name, 'create');
    if (!field || field.def.readOnly || field.def.internal || !mayWrite || !this.deps.records.fieldWritable(ctx, model, field)) {
      throw validationFailed([{ field: 'field', code: 'not_writable', message: message(ctx.locale, 'predict_not_writable', { entity, field: name }) }]);
    }
    if (!types.includes(field.type)) throw validationFailed([{ field: 'field', code: 'not_text', message: message(ctx.locale, 'predict_not_text') }]);
    return field;
  }
}
