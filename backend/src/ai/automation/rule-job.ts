// Travail d'une action `ai` : le prompt rempli (et, avec `files`, les images jointes à l'enregistrement) part au
// fournisseur routé pour l'automatisation, avec un schéma de sortie tiré des champs cibles ; la réponse validée
// devient une suggestion (appliquée, ou en attente d'approbation).
// Un échec du fournisseur fait réessayer le travail (file des travaux).
import type { UserContent } from 'ai';
import { systemContext } from '../../engine/context.js';
import type { CatalogOf } from '../../engine/tenant-work.js';
import type { FileService } from '../../services/files/file-service.js';
import { recordImages } from '../assistant/attachments.js';
import type { JobQueue } from '../../services/jobs/queue.js';
import type { AiGateway } from '../gateway.js';
import { outputSchema, type FilledFields } from '../output-schema.js';
import { taskInstructions } from './task-instructions.js';
import { AI_RULE_JOB, type AiRulePayload } from './rule-action.js';
import type { SuggestionStore } from './suggestions.js';

export interface AiRuleJobDeps {
  jobs: JobQueue;
  gateway: Pick<AiGateway, 'chat'>;
  catalog: CatalogOf;
  suggestions: SuggestionStore;
  files: Pick<FileService, 'find' | 'store' | 'list'>;
}

export function registerAiRuleJob(deps: AiRuleJobDeps): void {
  deps.jobs.register<AiRulePayload>({
    name: AI_RULE_JOB,
    label: { en: 'AI action of an automation rule', fr: 'Action d’IA d’une règle d’automatisation' },
    maxAttempts: 3,
    timeoutMs: 300_000,
    handler: async (job) => {
      const { payload } = job;
      const tenantId = job.tenantId!;
      const model = (await deps.catalog(tenantId)).get(payload.entity);
      const fields = payload.fields.map((name) => model?.byName.get(name)).filter((f) => f !== undefined);
      if (!model || fields.length === 0) return { skipped: 'entity or fields no longer exist' };
      let content: UserContent = payload.prompt;
      if (payload.files) {
        // lues comme la plateforme : la règle agit pour le tenant, sur l'enregistrement qui l'a déclenchée
        const images = await recordImages(deps.files, systemContext(tenantId, `job-${job.id}`), { entity: payload.entity, recordId: payload.recordId });
        if (images.parts.length) content = [{ type: 'text', text: payload.prompt }, ...images.parts];
      }
      const result = await deps.gateway.chat({
        tenantId, userId: null, feature: 'automation', requestId: `job-${job.id}`,
        system: taskInstructions(payload.task, fields),
        messages: [{ role: 'user', content }],
        schema: outputSchema(fields),
        signal: job.signal,
      });
      const { values, confidence } = result.object as FilledFields;
      const suggestion = await deps.suggestions.record(tenantId, payload, { values, confidence, provider: result.provider, model: result.model });
      return { suggestion: suggestion.id, status: suggestion.status };
    },
  });
}
