// Intelligence locale : modèles appris par tenant (références d'anomalies, n-grammes et habitudes de saisie,
// co-occurrences…), gardés dans la base et non dans des fichiers, réentraînés par des travaux planifiés. Un modèle est
// nommé par sa sorte et sa portée (par exemple `anomaly` / `customer.creditLimit`) ; la RLS empêche tout mélange entre
// tenants.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const aiLocalModels: Migration = {
  version: 27,
  name: 'ai-local-models',
  statements: [
    `CREATE TABLE ai_local_model (
       tenant_id uuid NOT NULL,
       kind text NOT NULL,
       scope text NOT NULL DEFAULT '',
       model jsonb NOT NULL,
       stats jsonb,
       trained_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, kind, scope)
     )`,
    ...tenantPolicySql('ai_local_model'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ai_local_model TO ${APP_ROLE}`,
  ],
};
