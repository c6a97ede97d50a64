// Service d'analyse de texte rendu aux routes et à l'assistant : analyse d'un texte comme l'utilisateur, et analyses
// stockées d'un enregistrement qu'il peut lire (champs masqués exclus, correspondances refiltrées à ses droits).
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';
import { validationFailed } from '../../../errors/problem.js';
import { message } from '../../../text/messages.js';
import { analyseText, type TextAnalysis } from './analyse.js';
import { visibleEntities } from './matches.js';
import { NLP_MAX_CHARS_SETTING } from './settings.js';
import { readAnalyses, type StoredAnalysis } from './store.js';

export interface NlpServiceDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  settings: Settings;
}

export class NlpService {
  constructor(private readonly deps: NlpServiceDeps) {}

  async analyse(ctx: RequestContext, text: string, locale?: string): Promise<TextAnalysis> {
    const max = await this.deps.settings.value<number>(NLP_MAX_CHARS_SETTING, { tenantId: ctx.tenantId });
    if (!text.trim() || text.length > max) {
      throw validationFailed([{ field: 'text', code: 'text_length', message: message(ctx.locale, 'nlp_text_length', { max }) }]);
    }
    const catalog = await this.deps.catalogFor(ctx);
    return analyseText(this.deps, ctx, catalog, text, { locale: locale ?? ctx.locale });
  }

  /** Analyses stockées d'un enregistrement (404 ou 403 s'il n'est pas lisible). */
  async forRecord(ctx: RequestContext, entity: string, id: string): Promise<StoredAnalysis[]> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, entity, 'read');
    const stored = await this.deps.tenantTx(ctx, async (trx) => {
      await this.deps.records.get(trx, ctx, catalog, model, id);
      return readAnalyses(trx, model.name, id);
    });
    const readable = stored.filter((a) => model.byName.has(a.field));
    const out: StoredAnalysis[] = [];
    for (const a of readable) out.push({ ...a, entities: await visibleEntities(this.deps, ctx, catalog, a.entities) });
    return out;
  }
}
