// Journal des erreurs : une ligne par groupe (même empreinte : origine, type, message normalisé, haut de la pile),
// compteur, première et dernière apparition, dernière requête, résolution. Les erreurs de la plateforme (hors tenant)
// ont la portée nulle (uuid zéro) ; la lecture est filtrée par les routes (administrateur : son tenant).
import { APP_ROLE } from '../roles.js';
import type { Migration } from './runner.js';

export const errorLog: Migration = {
  version: 16,
  name: 'error-log',
  statements: [
    `CREATE TABLE error_group (
       id uuid PRIMARY KEY,
       scope uuid NOT NULL,
       fingerprint text NOT NULL,
       source text NOT NULL,
       kind text NOT NULL,
       message text NOT NULL,
       stack text,
       method text,
       route text,
       count integer NOT NULL DEFAULT 1,
       hour_start timestamptz NOT NULL DEFAULT date_trunc('hour', now()),
       hour_count integer NOT NULL DEFAULT 1,
       first_seen timestamptz NOT NULL DEFAULT now(),
       last_seen timestamptz NOT NULL DEFAULT now(),
       last_request_id text,
       last_user_id uuid,
       resolved_at timestamptz,
       resolved_by uuid,
       UNIQUE (scope, fingerprint)
     )`,
    `CREATE INDEX error_group_recent ON error_group (scope, last_seen DESC)`,
    `GRANT SELECT, INSERT, UPDATE ON error_group TO ${APP_ROLE}`,
  ],
};
