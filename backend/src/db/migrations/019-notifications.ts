// Notifications en application : une ligne par destinataire, cloisonnée par tenant (RLS) et filtrée par utilisateur
// dans chaque requête. `seq` (séquence globale) avance à chaque changement à pousser : c'est l'identifiant des
// événements SSE (reprise par Last-Event-ID). Un groupe (`group_key`) dans une fenêtre de temps (`group_window`) n'a
// qu'une ligne par utilisateur, garantie par un index unique : les rafales s'y cumulent (`count`).
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const notifications: Migration = {
  version: 19,
  name: 'notifications',
  statements: [
    `CREATE SEQUENCE notification_seq`,
    `CREATE TABLE notification (
       id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       user_id uuid NOT NULL,
       seq bigint NOT NULL DEFAULT nextval('notification_seq'),
       state text NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'read', 'archived')),
       priority smallint NOT NULL CHECK (priority BETWEEN 0 AND 3),
       category text,
       title jsonb NOT NULL,
       body jsonb,
       link text,
       group_key text,
       group_window bigint,
       count integer NOT NULL DEFAULT 1,
       email_pending boolean NOT NULL DEFAULT false,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       priority_at timestamptz NOT NULL DEFAULT now(),
       read_at timestamptz,
       archived_at timestamptz
     )`,
    // liste de l'utilisateur (id UUIDv7 : ordre chronologique) et plafond par minute (borne basse d'id)
    `CREATE INDEX notification_inbox ON notification (tenant_id, user_id, id DESC)`,
    // flux SSE : changements de l'utilisateur après un numéro
    `CREATE INDEX notification_feed ON notification (tenant_id, user_id, seq)`,
    `CREATE UNIQUE INDEX notification_group ON notification (tenant_id, user_id, group_key, group_window) WHERE group_key IS NOT NULL`,
    // vieillissement : notifications non archivées du tenant par ancienneté ; courriels en attente
    `CREATE INDEX notification_ageing ON notification (tenant_id, priority_at) WHERE state <> 'archived'`,
    `CREATE INDEX notification_email ON notification (tenant_id) WHERE email_pending`,
    ...tenantPolicySql('notification'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON notification TO ${APP_ROLE}`,
    `GRANT USAGE ON SEQUENCE notification_seq TO ${APP_ROLE}`,
  ],
};
