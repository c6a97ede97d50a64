// Contenus de fichiers, dédoublonnés par empreinte SHA-256 dans chaque tenant (le quota compte chaque contenu une fois) ;
// les pièces jointes (entité `attachment`) y renvoient.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const fileBlobs: Migration = {
  version: 13,
  name: 'file-blobs',
  statements: [
    `CREATE TABLE file_blob (
       tenant_id uuid NOT NULL,
       sha256 text NOT NULL,
       size bigint NOT NULL,
       mime text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, sha256)
     )`,
    ...tenantPolicySql('file_blob'),
    `GRANT SELECT, INSERT ON file_blob TO ${APP_ROLE}`,
  ],
};
