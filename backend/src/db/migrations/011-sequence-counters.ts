// Compteurs des séquences de numérotation : une ligne par séquence et par période (année, mois, jour ou aucune).
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const sequenceCounters: Migration = {
  version: 11,
  name: 'sequence-counters',
  statements: [
    `CREATE TABLE sequence_counter (
       tenant_id uuid NOT NULL,
       sequence_id uuid NOT NULL,
       period text NOT NULL,
       value bigint NOT NULL,
       PRIMARY KEY (tenant_id, sequence_id, period)
     )`,
    ...tenantPolicySql('sequence_counter'),
    `GRANT SELECT, INSERT, UPDATE ON sequence_counter TO ${APP_ROLE}`,
  ],
};
