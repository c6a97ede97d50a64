// Travail d'une action `ai` : le prompt rempli part au fournisseur routé pour l'automatisation, avec un schéma de
// sortie tiré des champs cibles ; la réponse validée devient une suggestion (appliquée, ou en attente d'approbation).
// Un échec du fournisseur fait réessayer le travail (file des travaux).
import type { CatalogOf } from '../../engine/tenant-work.js';
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
      const result = await deps.gateway.chat({
        tenantId, userId: null, feature: 'automation', requestId: `job-${job.id}`,
        system: taskInstructions(payload.task, fields),
        messages: [{ role: 'user', content: payload.prompt }],
        schema: outputSchema(fields),
        signal: job.signal,
      });
      const { values, confidence } = result.object as FilledFields;
      const suggestion = await deps.suggestions.record(tenantId, payload, { values, confidence, provider: result.provider, model: result.model });
      return { suggestion: suggestion.id, status: suggestion.status };
    },
  });
}
