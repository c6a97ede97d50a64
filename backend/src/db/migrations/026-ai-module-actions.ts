// IA : une proposition de l'assistant peut aussi être l'action d'un module (`run`), exécutée à la confirmation.
import type { Migration } from './runner.js';

export const aiModuleActions: Migration = {
  version: 26,
  name: 'ai-module-actions',
  statements: [
    `ALTER TABLE ai_proposal DROP CONSTRAINT ai_proposal_action_check`,
    `ALTER TABLE ai_proposal ADD CONSTRAINT ai_proposal_action_check CHECK (action IN ('create', 'update', 'delete', 'run'))`,
  ],
};
