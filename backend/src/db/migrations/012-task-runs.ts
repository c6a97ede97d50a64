// Exécutions des tâches planifiées des modules : une ligne par tenant, module, tâche et créneau. L'insertion réserve
// le créneau : un seul nœud l'exécute, même si tous passent en même temps.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const taskRuns: Migration = {
  version: 12,
  name: 'task-runs',
  statements: [
    `CREATE TABLE task_run (
       tenant_id uuid NOT NULL,
       module text NOT NULL,
       task text NOT NULL,
       slot timestamptz NOT NULL,
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz,
       error text,
       PRIMARY KEY (tenant_id, module, task, slot)
     )`,
    ...tenantPolicySql('task_run'),
    `GRANT SELECT, INSERT, UPDATE ON task_run TO ${APP_ROLE}`,
  ],
};
