// Analyse des champs de texte configurés (`ai.local.nlp.fields`) après une écriture : l'événement d'écriture (outbox)
// dépose un travail ; le travail relit l'enregistrement comme la plateforme dans le tenant (rôle applicatif, RLS), stocke
// l'analyse de chaque champ changé et publie l'événement `<entité>.text_<sentiment>` que les règles d'automatisation
// peuvent écouter (« quand une note est négative, prévenir le commercial »).
import { createHash } from 'node:crypto';
import type { Settings } from '../../../config/settings.js';
import { systemContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import { outboxInsert, recordWrite, type OutboxDispatcher } from '../../../events/outbox.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import { analyseText } from './analyse.js';
import { analysedFields, NLP_FIELDS_SETTING, NLP_MAX_CHARS_SETTING } from './settings.js';
import { deleteAnalysis, readAnalyses, writeAnalysis } from './store.js';

export const NLP_JOB = 'ai.local.nlp.analyse';

export interface NlpJobDeps {
  jobs: JobQueue;
  dispatcher: Pick<OutboxDispatcher, 'subscribe'>;
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
}

interface NlpPayload {
  entity: string;
  recordId: string;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export function installNlpJob(deps: NlpJobDeps): void {
  // écritures validées (outbox, après le commit) : une entité sans champ analysé garde son chemin direct de création
  deps.dispatcher.subscribe('*', async (event, trx) => {
    const write = recordWrite(event);
    if (!write) return;
    const { entity, id: recordId } = write;
    const fields = analysedFields(await deps.settings.value<string[]>(NLP_FIELDS_SETTING, { tenantId: event.tenantId }, trx), entity);
    if (!fields.length) return;
    // le travail compare l'empreinte du texte : une écriture qui n'y touche pas ne réanalyse rien
    await deps.jobs.enqueue(event.tenantId, NLP_JOB, { entity, recordId }, { trx, singletonKey: `${entity}:${recordId}` });
  });

  deps.jobs.register<NlpPayload>({
    name: NLP_JOB,
    label: { en: 'Analyse the text fields of a record', fr: 'Analyser les champs de texte d’un enregistrement' },
    maxAttempts: 3,
    timeoutMs: 60_000,
    handler: async (job) => {
      const tenantId = job.tenantId!;
      const { entity, recordId } = job.payload;
      const ctx = systemContext(tenantId, `job-${job.id}`);
      const catalog = await deps.catalog(tenantId);
      const model = catalog.get(entity);
      const fields = analysedFields(await deps.settings.value<string[]>(NLP_FIELDS_SETTING, { tenantId }), entity).filter((f) => model?.byName.get(f));
      if (!model || !fields.length) return { skipped: 'entity or fields not analysed' };
      const maxChars = await deps.settings.value<number>(NLP_MAX_CHARS_SETTING, { tenantId });
      const [record, stored] = await deps.tenantTx(ctx, async (trx) => [
        await deps.records.get(trx, ctx, catalog, model, recordId).catch(() => undefined),
        await readAnalyses(trx, entity, recordId),
      ] as const);
      if (!record) return { skipped: 'record gone' };
      const analysed: Record<string, string> = {};
      for (const field of fields) {
        const text = typeof record[field] === 'string' ? (record[field] as string).slice(0, maxChars) : '';
        const textHash = hash(text);
        if (stored.find((s) => s.field === field)?.textHash === textHash) continue;
        if (!text.trim()) {
          await deps.tenantTx(ctx, (trx) => deleteAnalysis(trx, entity, recordId, field), { write: true });
          continue;
        }
        const analysis = await analyseText(deps, ctx, catalog, text);
        analysed[field] = analysis.sentiment.label;
        await deps.tenantTx(ctx, async (trx) => {
          await writeAnalysis(trx, entity, recordId, field, textHash, analysis);
          // les règles d'automatisation écoutent cet événement (conditions sur les champs de l'enregistrement)
          await outboxInsert(tenantId, [{
            topic: `${entity}.text_${analysis.sentiment.label}`,
            payload: { record, field, language: analysis.language, sentiment: analysis.sentiment, keywords: analysis.keywords },
          }]).execute(trx);
        }, { write: true });
      }
      return { analysed };
    },
  });
}
