// Action `ai` des règles d'automatisation : classer dans une énumération, extraire des champs d'un texte, résumer,
// noter, traduire, rédiger une réponse. Configurée dans la console (tâche, gabarit de prompt `{{champ}}`, champs
// cibles, approbation humaine) ; à l'écriture déclenchante, elle ne fait que déposer un travail dans la même
// transaction — l'appel au modèle ne se fait jamais dans la requête.
import { aiFillable } from '../../engine/meta/ai-suggest.js';
import type { EntityModel } from '../../engine/model.js';
import { writableBy } from '../../engine/writers.js';
import { actionError, fillTemplate, type ActionType } from '../../services/automation/rule-actions.js';
import type { JobQueue } from '../../services/jobs/queue.js';

export const AI_TASKS = ['classify', 'extract', 'summarise', 'score', 'translate', 'draft'] as const;
export type AiTask = (typeof AI_TASKS)[number];

export const AI_RULE_JOB = 'ai.rule';
/** préfixe des écritures faites par une action `ai` : elles ne redéclenchent aucune action `ai` (ni boucle, ni coût) */
export const AI_WRITE_PREFIX = 'ai:';

const MAX_PROMPT = 4000;
const MAX_FIELDS = 10;

export interface AiRulePayload {
  rule: { id: string; name: string };
  entity: string;
  recordId: string;
  task: AiTask;
  prompt: string;
  fields: string[];
  approval: boolean;
  /** les images jointes à l'enregistrement partent avec le prompt (extraction d'une facture photographiée…) */
  files?: boolean;
}

function targetErrors(value: unknown, entity: EntityModel) {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_FIELDS) return [actionError('fields', 'type', `1 to ${MAX_FIELDS} field names`)];
  return value.flatMap((name, i) => {
    const field = typeof name === 'string' ? entity.byName.get(name) : undefined;
    if (!field) return [actionError(`fields[${i}]`, 'unknown_field', `${String(name)} is not a field of ${entity.name}`)];
    if (!aiFillable(field.type) || field.def.readOnly || field.def.internal || !writableBy(field, 'rules')) {
      return [actionError(`fields[${i}]`, 'not_writable', `${field.name} cannot be filled by an AI action`)];
    }
    return [];
  });
}

export function aiRuleAction(jobs: JobQueue): ActionType {
  return {
    validate(action, entity) {
      const errors = [];
      if (!(AI_TASKS as readonly unknown[]).includes(action.task)) errors.push(actionError('task', 'invalid_enum', AI_TASKS.join(' | ')));
      if (typeof action.prompt !== 'string' || !action.prompt.trim() || action.prompt.length > MAX_PROMPT) {
        errors.push(actionError('prompt', 'type', `A prompt template of 1 to ${MAX_PROMPT} characters ({{field}} inserts a value)`));
      }
      errors.push(...targetErrors(action.fields, entity));
      if (action.approval !== undefined && typeof action.approval !== 'boolean') errors.push(actionError('approval', 'type', 'true or false'));
      if (action.files !== undefined && typeof action.files !== 'boolean') errors.push(actionError('files', 'type', 'true or false'));
      return errors;
    },
    async run(action, { trx, ctx, entity, record, rule }) {
      if (ctx.requestId.startsWith(AI_WRITE_PREFIX)) return;
      const payload: AiRulePayload = {
        rule, entity: entity.name, recordId: String(record.id), task: action.task as AiTask,
        prompt: fillTemplate(action.prompt as string, record), fields: action.fields as string[], approval: action.approval === true,
        ...(action.files === true ? { files: true } : {}),
      };
      await jobs.enqueue(ctx.tenantId, AI_RULE_JOB, payload as unknown as Record<string, unknown>, { trx, createdBy: ctx.userId });
    },
  };
}
