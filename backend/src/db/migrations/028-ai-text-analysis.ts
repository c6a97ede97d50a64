// Intelligence locale : analyse des champs de texte (langue, sentiment, mots-clés, entités nommées) gardée avec
// l'enregistrement analysé, une ligne par entité, enregistrement et champ. La RLS isole les tenants ; les
// correspondances avec d'autres enregistrements sont refiltrées aux droits du lecteur à chaque lecture.
import { APP_ROLE, tenantPolicySql } from '../roles.js';
import type { Migration } from './runner.js';

export const aiTextAnalysis: Migration = {
  version: 28,
  name: 'ai-text-analysis',
  statements: [
    `CREATE TABLE ai_text_analysis (
       tenant_id uuid NOT NULL,
       entity text NOT NULL,
       record_id uuid NOT NULL,
       field text NOT NULL,
       language text NOT NULL,
       sentiment_score real NOT NULL,
       sentiment_label text NOT NULL,
       keywords jsonb NOT NULL,
       entities jsonb NOT NULL,
       text_hash text NOT NULL,
       analysed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (tenant_id, entity, record_id, field)
     )`,
    ...tenantPolicySql('ai_text_analysis'),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ai_text_analysis TO ${APP_ROLE}`,
  ],
};
