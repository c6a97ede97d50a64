// Travaux de fond et planifications cron. La table `job` est à la fois la file et l'historique : une ligne par
// travail (état, tentatives, durée, résultat, erreur). Un nœud réserve un travail en posant un bail (`locked_until`) ;
// un bail échu (processus tué) remet le travail en file. `job_schedule` : une ligne par planification (code ou
// administrateur) ; la ligne verrouillée et son prochain créneau avancé dans la même transaction que la création du
// travail garantissent une seule exécution par créneau, quel que soit le nombre de nœuds.
// Les deux tables sont lues par les nœuds pour tous les tenants (pas de RLS) ; les routes filtrent par tenant.
import { APP_ROLE } from '../roles.js';
import type { Migration } from './runner.js';

export const jobs: Migration = {
  version: 17,
  name: 'jobs',
  statements: [
    `CREATE TABLE job (
       id uuid PRIMARY KEY,
       tenant_id uuid,
       name text NOT NULL,
       payload jsonb NOT NULL DEFAULT '{}',
       state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
       priority integer NOT NULL DEFAULT 0,
       run_at timestamptz NOT NULL DEFAULT now(),
       attempts integer NOT NULL DEFAULT 0,
       max_attempts integer NOT NULL DEFAULT 3,
       backoff_ms integer NOT NULL DEFAULT 1000,
       timeout_ms integer NOT NULL DEFAULT 60000,
       singleton_key text,
       schedule_id uuid,
       locked_by text,
       locked_until timestamptz,
       started_at timestamptz,
       finished_at timestamptz,
       duration_ms integer,
       result jsonb,
       error text,
       created_by uuid,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX job_due ON job (priority DESC, run_at) WHERE state = 'queued'`,
    `CREATE INDEX job_lease ON job (locked_until) WHERE state = 'running'`,
    `CREATE INDEX job_history ON job (tenant_id, created_at DESC)`,
    `CREATE INDEX job_schedule_runs ON job (schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL`,
    `CREATE UNIQUE INDEX job_singleton ON job (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), name, singleton_key)
       WHERE singleton_key IS NOT NULL AND state IN ('queued', 'running')`,
    `GRANT SELECT, INSERT, UPDATE ON job TO ${APP_ROLE}`,
    `CREATE TABLE job_schedule (
       id uuid PRIMARY KEY,
       tenant_id uuid,
       key text NOT NULL,
       job text NOT NULL,
       cron text NOT NULL,
       timezone text NOT NULL DEFAULT 'UTC',
       payload jsonb NOT NULL DEFAULT '{}',
       source text NOT NULL DEFAULT 'admin',
       active boolean NOT NULL DEFAULT true,
       next_run_at timestamptz NOT NULL,
       last_run_at timestamptz,
       last_job_id uuid,
       created_by uuid,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       deleted_at timestamptz
     )`,
    `CREATE UNIQUE INDEX job_schedule_key ON job_schedule (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), key) WHERE deleted_at IS NULL`,
    `CREATE INDEX job_schedule_due ON job_schedule (next_run_at) WHERE active AND deleted_at IS NULL`,
    `GRANT SELECT, INSERT, UPDATE ON job_schedule TO ${APP_ROLE}`,
  ],
};
