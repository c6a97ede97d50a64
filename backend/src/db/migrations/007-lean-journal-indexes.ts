// Index redondants des journaux écrits à chaque requête : chaque index coûte une insertion par écriture métier.
// - outbox_pending : les événements distribués sont supprimés, la clé primaire (id) suffit à les parcourir dans l'ordre ;
// - audit_log_pending : les lignes à chaîner (seq IS NULL) se trouvent par l'index de chaîne (tenant_id, seq).
import type { Migration } from './runner.js';

export const leanJournalIndexes: Migration = {
  version: 7,
  name: 'lean-journal-indexes',
  statements: [
    `DROP INDEX outbox_pending`,
    `DROP INDEX audit_log_pending`,
  ],
};
