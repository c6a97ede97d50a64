// Action « lancer un travail » : un type de travail permis aux administrateurs, avec sa charge (gabarits remplis par
// l'enregistrement) et la référence de l'enregistrement déclencheur ; déposé dans la transaction de l'écriture.
import type { JobQueue } from '../jobs/queue.js';
import { actionError, fillStrings, isObject, type ActionType } from './rule-actions.js';

export function jobAction(jobs: JobQueue): ActionType {
  return {
    validate(action) {
      const errors = [];
      if (typeof action.job !== 'string' || !jobs.definition(action.job)?.manual) errors.push(actionError('job', 'unknown_job', 'Not a job type administrators can start (see GET /api/v1/jobs/types)'));
      if (action.payload !== undefined && !isObject(action.payload)) errors.push(actionError('payload', 'type', 'Must be a JSON object'));
      return errors;
    },
    async run(action, { trx, ctx, entity, topic, record, rule }) {
      const payload = { ...fillStrings((action.payload ?? {}) as Record<string, unknown>, record), trigger: { rule: rule.id, topic, entity: entity.name, id: record.id } };
      await jobs.enqueue(ctx.tenantId, action.job as string, payload, { trx, createdBy: ctx.userId });
    },
  };
}
